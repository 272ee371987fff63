"""Small filesystem helpers shared across the package."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

CHUNK = 1 << 20
# libyaml's parser where PyYAML was built with it (about 10x faster: 75 competition configs take
# 0.05 s instead of 0.6 s); the resolver and constructor are PyYAML's own either way, so both
# loaders give the same objects.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_yaml(text: str | bytes) -> Any:
    """`yaml.safe_load`, through libyaml when it is available."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def file_digest(path: Path, algorithm: str = "md5") -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode())


def atomic_create_text(directory: Path, names: Iterable[str], text: str) -> Path:
    """Write `text` under the first of `names` that does not exist in `directory`, atomically
    (readers never see a partial file) and exclusively (two writers never take the same name:
    the complete file is hard-linked into place, which fails if the name is taken)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".new-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        for name in names:
            try:
                os.link(tmp, directory / name)
                return directory / name
            except FileExistsError:
                continue
            except OSError:  # no hard links here: reserve the name, then rename over it
                try:
                    os.close(os.open(directory / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    continue
                os.replace(tmp, directory / name)
                return directory / name
        raise FileExistsError(f"no free name in {directory}")
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_json(path: Path, data: dict) -> None:
    """Atomically write `data` as indented JSON (non-JSON values via `str`)."""
    atomic_write_text(path, json.dumps(data, indent=2, default=str))
