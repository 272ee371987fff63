"""Regenerating a profile's locks from its inputs (`mlebench env lock`, maintainers only).

`uv pip compile --generate-hashes` resolves each variant's `requirements` files (with its
`overrides`, versions that win over what packages declare) for the profile's Python version and
platform, from PyPI (or `MLEBENCH_INDEX_URL`), ignoring uploads after `exclude_newer` so that a
lock made today resolves as it would have on that date. The machine's pip/uv configuration is
never read.
"""

from __future__ import annotations

from pathlib import Path

from mlebench.envs.build import envs_dir, run_uv, source_args
from mlebench.envs.profiles import load_profile_spec, parse_lock


def lock_profile(folder: Path, variant: str | None = None, wheels: Path | None = None) -> list[Path]:
    """Write the lock of `variant` (default: every variant) of the profile in `folder`."""
    folder = Path(folder).resolve()
    spec = load_profile_spec(folder)
    written = []
    for name, var in spec.variants.items():
        if variant and name != variant:
            continue
        out = folder / var.lock
        args = ["pip", "compile", "--no-config", "--quiet", "--generate-hashes",
                "--python-version", spec.python, *source_args(wheels),
                "--custom-compile-command", f"mlebench env lock {folder.name} --variant {name}"]
        if spec.platform != "host":
            args += ["--python-platform", spec.platform]
        if spec.exclude_newer:
            args += ["--exclude-newer", spec.exclude_newer]
        for o in var.overrides:
            args += ["--override", o]
        # Run in the profile's folder: the lock's comments name its inputs relatively.
        args += [*var.requirements, "-o", var.lock]
        run_uv(args, envs_dir() / ".cache", f"Locking {folder.name}/{name}", timeout=1800,
               cwd=folder)
        parse_lock(out.read_text(), str(out))
        written.append(out)
    return written
