"""v2 of multi-modal-gesture-recognition: strip Video.Labels from the public test recordings.

The public `test.tar.gz` is Kaggle's `training4.tar.gz` unchanged: top-level `SampleNNNNN.zip`
members, each holding `SampleNNNNN_data.mat` whose `Video` struct has a `Labels` field (the
gestures' Name, Begin and End frames), i.e. the answers. `strip_archive` rewrites the archive with
every `_data.mat` re-saved (scipy.io) without any `Labels` field, everything else kept: member
names, order, modes and times in the tarball and in each sample zip, and each zip member's
compression. `labelled_members` re-reads an archive and names the .mat files that still hold one.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mlebench.errors import MLEBenchError

LABELS = "Labels"
MAT_SUFFIX = "_data.mat"


def _has_labels(value: object) -> bool:
    """True if `value` (a loadmat result) holds a struct with a Labels field, at any depth."""
    if isinstance(value, np.ndarray):
        names = value.dtype.names
        if names:
            return LABELS in names or any(_has_labels(value[n]) for n in names)
        if value.dtype == object:
            return any(_has_labels(v) for v in value.flat)
    return False


def _drop_labels(value: np.ndarray) -> np.ndarray:
    """A struct array without its Labels field (nested structs handled recursively)."""
    names = [n for n in value.dtype.names or () if n != LABELS]
    out = np.empty(value.shape, dtype=[(n, "O") for n in names])
    for n in names:
        col = value[n]
        if col.dtype == object:
            col = np.vectorize(lambda v: _drop_labels(v) if _struct(v) else v,
                               otypes=[object])(col) if col.size else col
        out[n] = col
    return out


def _struct(v: object) -> bool:
    return isinstance(v, np.ndarray) and bool(v.dtype.names)


def _load(data: bytes, name: str) -> dict:
    import scipy.io  # lazy: only these .mat labels need scipy.io

    try:
        return scipy.io.loadmat(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 (scipy raises many kinds for a bad or v7.3 file)
        raise MLEBenchError(f"Cannot read {name} as a MATLAB 5 file ({type(e).__name__}: {e}); "
                            "v2 cannot remove its labels.") from None


def strip_mat(data: bytes, name: str) -> bytes | None:
    """The .mat re-saved without any Labels field; None when it holds none (keep it as is)."""
    import scipy.io  # lazy: only these .mat labels need scipy.io

    mat = _load(data, name)
    variables = {k: v for k, v in mat.items() if not k.startswith("__")}
    if not any(_has_labels(v) for v in variables.values()):
        return None
    cleaned = {k: _drop_labels(v) if _struct(v) else v for k, v in variables.items()}
    buf = io.BytesIO()
    scipy.io.savemat(buf, cleaned, format="5", long_field_names=True, do_compression=True)
    return buf.getvalue()


def _strip_zip(data: bytes, zip_name: str) -> tuple[bytes, int]:
    """The sample zip rebuilt with stripped .mat files; (bytes, number of .mat files changed)."""
    changed, out = 0, io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith(MAT_SUFFIX):
                new = strip_mat(body, f"{zip_name}/{info.filename}")
                if new is not None:
                    body, changed = new, changed + 1
            clone = zipfile.ZipInfo(info.filename, info.date_time)
            clone.compress_type, clone.external_attr = info.compress_type, info.external_attr
            dst.writestr(clone, body)
    return out.getvalue(), changed


def strip_archive(path: Path) -> tuple[int, int]:
    """Rewrite the test tarball in place; returns (samples changed, samples)."""
    changed = samples = 0
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as out, \
                tarfile.open(path, "r:*") as src:
            for member in src:
                fileobj = src.extractfile(member) if member.isfile() else None
                if fileobj is None:
                    out.addfile(member)
                    continue
                data = fileobj.read()
                if member.name.endswith(".zip"):
                    samples += 1
                    data, n = _strip_zip(data, member.name)
                    changed += bool(n)
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return changed, samples


def _mats(path: Path) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            f = tar.extractfile(member) if member.isfile() else None
            if f is None or not member.name.endswith(".zip"):
                continue
            with zipfile.ZipFile(io.BytesIO(f.read())) as z:
                for name in z.namelist():
                    if name.endswith(MAT_SUFFIX):
                        yield f"{member.name}/{name}", z.read(name)


def labelled_members(path: Path) -> list[str]:
    """`<sample zip>/<name>_data.mat` of every .mat in the archive that still holds Labels."""
    return [name for name, data in _mats(path) if any(
        _has_labels(v) for k, v in _load(data, name).items() if not k.startswith("__"))]
