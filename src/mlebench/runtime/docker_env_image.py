"""The docker backend's environment images: the base image plus an agent environment installed
from the same lock as `mlebench env build` (mlebench.envs), at the same path as in the local
sandbox (/opt/mlebench/env, first on PATH).

The host's build of the environment comes first (it is what `mlebench run` checks and what the
agent's requirements layer is built against) and fills uv's cache; the image is then installed
inside a container with no network, offline from that cache (or from `--wheels DIR`), every file
checked against the lock's hashes (`uv pip sync --require-hashes`), and verified against the lock
before it is committed. Tag: `mlebench-env:<profile>-<hash12>`, the environment's content hash;
labels name the profile, variant, hashes, the image's Python and the base image.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mlebench.envs import INSIDE_ENV, build_env, envs_dir, install_layer_hook, resolve_profile
from mlebench.envs.build import compare, normalize, uv_bin
from mlebench.errors import MLEBenchError
from mlebench.runtime.docker_image import (
    LABEL,
    Log,
    _docker,
    _last_line,
    base_image_tag,
    build_base_image,
    image_info,
    mount_arg,
)

if TYPE_CHECKING:
    from mlebench.envs import EnvSpec

ENV_REPO = "mlebench-env"
BUILD_DIR = "/run/mlebench-build"      # lock, script (read-only)
CACHE_DIR = "/run/mlebench-uv-cache"   # the host's uv cache
WHEELS_DIR = "/run/mlebench-wheels"
_LIST = ("import importlib.metadata as m, json, platform; print(json.dumps({'python': "
         "platform.python_version(), 'packages': [[d.metadata['Name'], d.version] for d in "
         "m.distributions()]}))")


def env_image_tag(spec: EnvSpec) -> str:
    name = re.sub(r"[^a-z0-9_.-]+", "-", spec.profile.lower()).strip("-.") or "env"
    return f"{ENV_REPO}:{name[:60]}-{spec.hash[:12]}"


def _install_script(python_minor: str, offline_from: str) -> str:
    env = INSIDE_ENV
    return "\n".join([
        "set -eu",
        f"uv={BUILD_DIR}/uv",
        f'"$uv" venv --no-config --relocatable --python /usr/bin/python{python_minor} {env}',
        f'"$uv" pip sync --no-config --python {env}/bin/python --require-hashes '
        f"--compile-bytecode {offline_from} {BUILD_DIR}/lock.txt",
        # The agent's requirements layer (mounted per run) joins through this hook, as locally.
        f'site=$({env}/bin/python -c "import sysconfig; print(sysconfig.get_path(\'purelib\'))")',
        f'cp {BUILD_DIR}/hook/* "$site/"',
        f'for f in {BUILD_DIR}/hook/*.py; do {env}/bin/python -m py_compile "$site/${{f##*/}}"; done',
        f'{env}/bin/python -I -c "{_LIST}"',
    ]) + "\n"


def build_env_image(profile: str | None = None, variant: str | None = None,
                    wheels: Path | None = None, rebuild: bool = False, log: Log = print,
                    mirror: str | None = None) -> str:
    """The environment image's tag for `profile`, after building what is missing: the host's
    environment, the base image, then the image itself."""
    spec = resolve_profile(profile, variant)
    tag = env_image_tag(spec)
    info = image_info(tag)
    if not rebuild and info is not None and _recipe_labels(info["labels"]) == _recipe_labels({
            f"{LABEL}.base": base_image_tag(), f"{LABEL}.env.layer_hook": layer_hook_digest()}):
        log(f"{tag} is already built")
        return tag  # (one from an older base or layer hook is rebuilt with the current ones)
    if spec.platform != "host" and not spec.platform.startswith(os.uname().machine):
        raise MLEBenchError(f"Profile '{spec.profile}' is locked for {spec.platform}.")
    t0 = time.monotonic()
    log(f"environment {spec.profile} ({spec.variant}, {spec.short}) on the host")
    built = build_env(spec, wheels=wheels)
    base = build_base_image(mirror=mirror, log=log)
    log(f"installing {len(spec.packages())} packages into {tag} (no network)")
    cache = envs_dir() / ".cache"
    name = f"mlebench-build-{spec.short}-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="mlebench-image-") as tmp:
        build = Path(tmp)
        build.chmod(0o755)
        (build / "lock.txt").write_bytes(spec.lock_bytes)
        (build / "hook").mkdir()
        install_layer_hook(build / "hook")
        shutil.copy2(uv_bin(), build / "uv")
        source = (f"--offline --no-index --find-links {WHEELS_DIR}" if wheels is not None
                  else "--offline")
        (build / "install.sh").write_text(_install_script(spec.python, source))
        mounts = [mount_arg(build, BUILD_DIR, True), mount_arg(cache, CACHE_DIR, False)]
        if wheels is not None:
            mounts.append(mount_arg(Path(wheels).resolve(), WHEELS_DIR, True))
        args = ["run", "--name", name, "--network", "none", "--user", "0:0",
                "--env", f"UV_CACHE_DIR={CACHE_DIR}", "--env", "UV_PYTHON_DOWNLOADS=never",
                "--env", "UV_NO_PROGRESS=1", "--env", "UV_LINK_MODE=copy",
                *(x for m in mounts for x in ("--mount", m)), base, "sh", f"{BUILD_DIR}/install.sh"]
        try:
            r = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=7200)
            if r.returncode != 0:
                raise MLEBenchError(f"Installing '{spec.profile}' into the image failed: "
                                    f"{_last_line(r.stderr or r.stdout)}")
            found = json.loads(r.stdout.strip().splitlines()[-1])
            packages: dict[str, list[str]] = {}
            for pkg, version in found["packages"]:
                packages.setdefault(normalize(pkg), []).append(version)
            problems = compare(spec.packages(), packages)
            if problems:
                raise MLEBenchError(f"The image's environment does not match the lock of "
                                    f"'{spec.profile}': {'; '.join(problems[:5])}.")
            labels = {"image": "env", "env.profile": spec.profile, "env.variant": spec.variant,
                      "env.hash": spec.hash, "env.lock_sha256": spec.lock_sha256,
                      "env.python": found["python"], "env.layer_hook": layer_hook_digest(),
                      "base": base,
                      "base_id": (image_info(base) or {}).get("id", "")}
            env_bin = f"{_inside_env()}/bin"
            changes = [f"ENV PATH={env_bin}:/usr/local/bin:/usr/bin:/bin",
                       f"ENV VIRTUAL_ENV={_inside_env()}",
                       *(f"LABEL {LABEL}.{k}={json.dumps(v)}" for k, v in labels.items())]
            _docker("commit", *(x for c in changes for x in ("--change", c)), name, tag,
                    timeout=1800)
            if info is not None:  # the image this one replaces, unless a container still uses it
                _docker("rmi", info["id"], check=False)
        finally:
            subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=120)
    log(f"built {tag} in {time.monotonic() - t0:.0f}s (host environment {built.path.name})")
    return tag


def layer_hook_digest() -> str:
    """sha256 (12) of the files that let an agent's layer join the environment."""
    with tempfile.TemporaryDirectory() as tmp:
        install_layer_hook(Path(tmp))
        h = hashlib.sha256()
        for p in sorted(Path(tmp).iterdir()):
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def _recipe_labels(labels: dict) -> tuple:
    return labels.get(f"{LABEL}.base"), labels.get(f"{LABEL}.env.layer_hook")


def _inside_env() -> str:
    return INSIDE_ENV
