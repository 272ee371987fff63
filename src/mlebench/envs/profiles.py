"""Environment profiles: data (a profile.yaml and per-variant lock files), never code.

A profile is a folder holding `profile.yaml`:

```yaml
description: numpy, pandas, scikit-learn, scipy, lightgbm and pillow at the reference's versions
python: "3.11"                       # the interpreter's minor version
platform: x86_64-manylinux_2_28      # what the locks were resolved for (uv's --python-platform)
exclude_newer: "2024-10-08T00:00:00Z"  # resolution date: `mlebench env lock` ignores later uploads
default_variant: cpu
variants:
  cpu:
    requirements: [requirements.in]  # inputs of `mlebench env lock` (one requirement a line)
    overrides: []                    # optional: uv override files (versions that win)
    lock: cpu.lock.txt               # the lock the environment is built from
```

or, for a user's own environment, a single lock file (`--profile ./my.lock.txt`: one variant,
`default`, Python 3.11 unless `MLEBENCH_ENV_PYTHON_VERSION` says otherwise).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mlebench.errors import MLEBenchError
from mlebench.utils import safe_load_yaml

PROFILES_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "reference"
HASH_DOMAIN = b"mlebench-env/1\n"
MAX_LOCK_BYTES = 16 << 20
_REQ = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
_HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


class VariantSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lock: str
    requirements: list[str] = []
    overrides: list[str] = []


class ProfileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    python: str = "3.11"
    platform: str = "x86_64-manylinux_2_28"
    exclude_newer: str | None = None
    default_variant: str
    variants: dict[str, VariantSpec]


def normalize(name: str) -> str:
    """PEP 503 project name normalisation (`Pillow` == `pillow`, `ruamel_yaml` == `ruamel-yaml`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text: str, where: str = "lock") -> dict[str, tuple[str, list[str]]]:
    """{normalised name: (version, sha256 hashes)} of a lock in pip's hash format: every entry
    `name==version` with at least one `--hash=sha256:...`, continuation lines joined."""
    joined = re.sub(r"\\\s*\n", " ", text)
    out: dict[str, tuple[str, list[str]]] = {}
    for n, raw in enumerate(joined.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()  # pip's comments: '#' after a space
        if not line:
            continue
        if line.startswith("-"):
            raise MLEBenchError(f"{where}: line {n}: options ({line.split()[0]}) are not allowed "
                                "in a lock; give indexes with --wheels or MLEBENCH_INDEX_URL.")
        m = _REQ.match(line)
        if not m:
            raise MLEBenchError(f"{where}: line {n}: expected `name==version --hash=sha256:...`, "
                                f"got {line[:80]!r}.")
        hashes = _HASH.findall(line)
        if not hashes:
            raise MLEBenchError(f"{where}: {m.group(1)}=={m.group(3)} has no --hash=sha256: a "
                                "lock pins every file (`uv pip compile --generate-hashes`).")
        name = normalize(m.group(1))
        if name in out:
            raise MLEBenchError(f"{where}: {name} is listed twice.")
        out[name] = (m.group(3), hashes)
    if not out:
        raise MLEBenchError(f"{where}: no packages.")
    return out


def content_hash(lock_bytes: bytes, python: str, platform: str) -> str:
    """sha256(b"mlebench-env/1\\n" + b"python=<X.Y>\\nplatform=<platform>\\n" + lock bytes)."""
    h = hashlib.sha256(HASH_DOMAIN)
    h.update(f"python={python}\nplatform={platform}\n".encode())
    h.update(lock_bytes)
    return h.hexdigest()


@dataclass(frozen=True)
class EnvSpec:
    """One buildable environment: a profile's variant, i.e. a lock plus the Python it is for."""

    profile: str
    variant: str
    python: str
    platform: str
    lock_path: Path
    lock_bytes: bytes
    source: str                 # "builtin" or the user's profile path
    description: str = ""

    @property
    def lock_sha256(self) -> str:
        return hashlib.sha256(self.lock_bytes).hexdigest()

    @property
    def hash(self) -> str:
        """The environment's content hash: the lock's bytes and the Python/platform they are for."""
        return content_hash(self.lock_bytes, self.python, self.platform)

    @property
    def short(self) -> str:
        return self.hash[:16]

    def packages(self) -> dict[str, str]:
        return {k: v for k, (v, _) in parse_lock(self.lock_bytes.decode(), str(self.lock_path)).items()}

    def identity(self) -> dict[str, str]:
        """What a run records (and a run group's identity holds) of its environment."""
        return {"profile": self.profile, "variant": self.variant, "python": self.python,
                "platform": self.platform, "lock_sha256": self.lock_sha256, "hash": self.hash}


def builtin_profiles() -> list[str]:
    return sorted(p.parent.name for p in PROFILES_DIR.glob("*/profile.yaml"))


def load_profile_spec(folder: Path) -> ProfileSpec:
    path = folder / "profile.yaml"
    try:
        spec = ProfileSpec.model_validate(safe_load_yaml(path.read_text()) or {})
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as e:
        raise MLEBenchError(f"Invalid environment profile {path}: {e}") from None
    if spec.default_variant not in spec.variants:
        raise MLEBenchError(f"{path}: default_variant {spec.default_variant!r} is not a variant.")
    return spec


def _read_lock(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_LOCK_BYTES:
            raise MLEBenchError(f"Lock {path} is larger than {MAX_LOCK_BYTES >> 20} MiB.")
        data = path.read_bytes()
    except OSError as e:
        raise MLEBenchError(f"Cannot read lock {path}: {e.strerror or e}.") from None
    parse_lock(data.decode("utf-8", errors="replace"), str(path))
    return data


def resolve_profile(profile: str | None = None, variant: str | None = None) -> EnvSpec:
    """A built-in profile by name, a profile folder, or a lock file; `variant` defaults to the
    profile's default."""
    name = profile or DEFAULT_PROFILE
    path = Path(name).expanduser()
    if (PROFILES_DIR / name / "profile.yaml").is_file() and "/" not in name:
        folder, source = PROFILES_DIR / name, "builtin"
    elif path.is_dir():
        folder, source = path.resolve(), str(path.resolve())
        name = folder.name
    elif path.is_file():
        if variant not in (None, "default"):
            raise MLEBenchError(f"{path} is a single lock: it has no variant {variant!r}.")
        lock = path.resolve()
        return EnvSpec(profile=lock.name.removesuffix(".txt").removesuffix(".lock"),
                       variant="default",
                       python=os.environ.get("MLEBENCH_ENV_PYTHON_VERSION", "3.11"),
                       platform="host", lock_path=lock, lock_bytes=_read_lock(lock),
                       source=str(lock))
    else:
        raise MLEBenchError(f"Unknown environment profile {name!r}: built-ins are "
                            f"{', '.join(builtin_profiles())}; or give a profile folder or a "
                            "lock file by path.")
    spec = load_profile_spec(folder)
    var = variant or spec.default_variant
    if var not in spec.variants:
        raise MLEBenchError(f"Profile {name!r} has no variant {var!r} (it has "
                            f"{', '.join(spec.variants)}).")
    lock = folder / spec.variants[var].lock
    return EnvSpec(profile=name, variant=var, python=spec.python, platform=spec.platform,
                   lock_path=lock, lock_bytes=_read_lock(lock), source=source,
                   description=spec.description)
