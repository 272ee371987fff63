"""Agent environments: the Python stack an agent gets, as data (a lock) with a content hash.

Why: results are comparable only when agents get the same tools. An environment is a *profile*
(`profiles/<name>/profile.yaml`, see `mlebench.envs.profiles`) with one lock per *variant*
(`cpu`, `cuda`): every package of the environment, transitive ones included, pinned with its
files' hashes. mlebench ships `reference` (the default: the reference's 92 pinned packages plus
TensorFlow 2.17 and PyTorch 2.2.0, as its Dockerfile installs them) and `lite` (numpy, pandas,
scikit-learn, scipy, lightgbm, pillow at the reference's versions). Users give their own as a
profile folder or a single lock file by path.

Lock format (stable; the docker backend builds its image from the same file): pip's hash format,
as `uv pip compile --generate-hashes` writes it. One `name==version` per package, each followed
by one or more `--hash=sha256:<hex>` (continuation lines with `\\`), comments after `#`; no
options, URLs or markers needed (a lock is resolved for one Python minor version and platform,
named in profile.yaml). Any installer that honours hashes installs it:
`pip install --no-deps --require-hashes -r cpu.lock.txt`.

Content hash: `EnvSpec.hash` = sha256(b"mlebench-env/1\\n" + b"python=<X.Y>\\nplatform=<platform>\\n"
+ the lock's bytes). Runs record it with the profile, variant and the lock's own sha256.

Build API (stable):
- `resolve_profile(profile=None, variant=None) -> EnvSpec`: a built-in name, folder or lock file.
- `build_env(spec, wheels=None, python=None, progress=None, force=False) -> BuiltEnv`: builds
  into `<envs dir>/<hash16>/` (a relocatable venv + env.json + lock.txt), resumable, verified.
- `find_built(hash) -> BuiltEnv | None`, `require_built(spec) -> BuiltEnv` (one-line error
  saying how to build), `list_built()`, `envs_dir()` (`MLEBENCH_ENVS_DIR`, else the user cache).
- `clean_requirements(lines, where)`, `build_layer(env, requirements, wheels=None) ->
  BuiltLayer`: an agent's own requirements on top (see `mlebench.envs.layers`).
- Inside the local sandbox the environment is mounted read-only at `INSIDE_ENV`
  (/opt/mlebench/env, its `bin/` first on PATH) and a layer at `INSIDE_LAYER`
  (`mlebench.envs.run_env.RunEnvironment`: binds, masked host site-packages, variables). An
  environment built elsewhere (e.g. a container image from the same lock) takes a layer the
  same way: `install_layer_hook(site_packages)`, then `MLEBENCH_AGENT_LAYER=<layer>/site-packages`.
- What a run records: `RunEnvironment.identity()` (profile, variant, python (X.Y), python_version,
  platform, lock_sha256, hash, source, layer) plus the host's `gpu_stack`.
- `mlebench.envs.lock.lock_profile(folder, variant)`: regenerates a profile's locks
  (`mlebench env lock`).
"""

from mlebench.envs.build import (
    INSIDE_ENV,
    INSIDE_LAYER,
    INSIDE_LAYER_SITE,
    LAYER_PTH_NAME,
    LAYER_PTH_TEXT,
    LAYER_VAR,
    BuiltEnv,
    build_env,
    dir_size,
    envs_dir,
    find_built,
    install_layer_hook,
    list_built,
    require_built,
    verify_built,
)
from mlebench.envs.layers import BuiltLayer, build_layer, clean_requirements, find_layer
from mlebench.envs.profiles import (
    DEFAULT_PROFILE,
    EnvSpec,
    builtin_profiles,
    parse_lock,
    resolve_profile,
)

__all__ = [
    "DEFAULT_PROFILE", "INSIDE_ENV", "INSIDE_LAYER", "INSIDE_LAYER_SITE", "LAYER_PTH_NAME",
    "LAYER_PTH_TEXT", "LAYER_VAR", "BuiltEnv", "BuiltLayer", "EnvSpec", "build_env",
    "build_layer", "builtin_profiles", "clean_requirements", "dir_size", "envs_dir", "find_built",
    "find_layer", "install_layer_hook", "list_built", "parse_lock", "require_built", "resolve_profile", "verify_built",
]
