"""Byte-stable archives for synthetic downloads: zips (also with fixed member times), .tar.gz, .7z, and
stand-in binary payloads."""

from __future__ import annotations

import calendar
import gzip
import io
import tarfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import py7zr
from py7zr.helpers import ArchiveTimestamp

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def to_bytes(content: pd.DataFrame | bytes | str) -> bytes:
    if isinstance(content, pd.DataFrame):
        return content.to_csv(index=False).encode()
    if isinstance(content, str):
        return content.encode()
    return content


def zip_bytes(files: Mapping[str, pd.DataFrame | bytes | str]) -> bytes:
    """An in-memory zip of `{archive name: DataFrame (written as CSV) | bytes | str}` (for
    competitions that ship zips inside the download zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            # A fixed timestamp keeps fixtures byte-for-byte reproducible.
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            zf.writestr(info, b"" if name.endswith("/") else to_bytes(content))
    return buf.getvalue()


def write_zip(path: Path, files: Mapping[str, pd.DataFrame | bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zip_bytes(files))
    return path


def write_fast_zip(path: Path | str, files: Mapping[str, pd.DataFrame | bytes | str]) -> Path:
    """Like `write_zip` (fixed timestamps) with the fastest deflate level, for downloads holding
    large CSV texts or many thousands of small files."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, to_bytes(content), compresslevel=1)
    return path


FIXED_MTIME = 1577836800  # 2020-01-01T00:00:00Z: keeps archives byte-for-byte reproducible


def tar_gz_bytes(files: Mapping[str, bytes]) -> bytes:
    """A deterministic in-memory .tar.gz of `{member name: bytes}` (members in the given order)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            tf.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def blob(rng: np.random.Generator, size: int, magic: bytes = b"") -> bytes:
    """`magic` followed by random bytes: a stand-in for a binary file that is only copied."""
    return magic + rng.integers(0, 256, max(size - len(magic), 0), dtype=np.uint8).tobytes()


def seven_zip_stub(rng: np.random.Generator, size: int = 64) -> bytes:
    """Bytes starting with the 7z signature (the preparers only copy these archives)."""
    return blob(rng, size, b"7z\xbc\xaf\x27\x1c")


FIXED_TIME = (2019, 1, 1, 0, 0, 0)  # archive member timestamps, so that fixtures are byte-stable


def stable_zip_bytes(files: dict[str, bytes | str | pd.DataFrame]) -> bytes:
    """Like `zip_bytes`, with fixed member timestamps (an inner zip is then
    byte-identical from run to run, and so is the outer zip's member holding it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, to_bytes(content))
    return buf.getvalue()


def stable_7z_bytes(files: dict[str, bytes], store: bool = False) -> bytes:
    """A .7z of `{archive name: bytes}` with fixed member timestamps, so that the fixture is
    byte-stable; `store` keeps the members uncompressed (fast to write and read)."""
    fixed = ArchiveTimestamp.from_datetime(calendar.timegm(FIXED_TIME + (0, 0, 0)))
    buf = io.BytesIO()
    filters = [{"id": py7zr.FILTER_COPY}] if store else None
    archive = py7zr.SevenZipFile(buf, "w", filters=filters)
    try:
        for name, data in files.items():
            archive.writestr(data, name)
        # py7zr stamps writestr members with the current time; pin them (best effort: internal).
        for info in getattr(getattr(archive.header, "files_info", None), "files", []):
            for key in ("creationtime", "lastwritetime", "lastaccesstime"):
                if key in info:
                    info[key] = fixed
    finally:
        archive.close()
    return buf.getvalue()


def rezip_members(source: zipfile.ZipFile, archive: Path, members: Iterable[tuple[str, str]]) -> None:
    """Write `archive` holding, for each `(member of source, new name)`, that member's bytes
    under the new name (keeping its timestamp): no extraction to disk."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for old, new in members:
            info = source.getinfo(old)
            new_info = zipfile.ZipInfo(new, date_time=info.date_time)
            new_info.compress_type = zipfile.ZIP_DEFLATED
            new_info.external_attr = 0o644 << 16
            out.writestr(new_info, source.read(info))
