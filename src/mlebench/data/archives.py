"""Extracting Kaggle downloads (zip, 7z) into a folder, atomically."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from mlebench.errors import MLEBenchError

ARCHIVE_SUFFIXES = (".zip", ".7z")


def is_archive(path: Path) -> bool:
    return path.suffix.lower() in ARCHIVE_SUFFIXES


def extract(archive: Path, dest: Path, on_member: Callable[[int, int], None] | None = None) -> None:
    """Extract `archive` into `dest` (created). `on_member(done, total)` reports progress."""
    dest.mkdir(parents=True, exist_ok=True)
    suffix = archive.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                members = zf.infolist()
                for i, member in enumerate(members, 1):
                    zf.extract(member, dest)
                    if on_member:
                        on_member(i, len(members))
        elif suffix == ".7z":
            import py7zr  # lazy: only .7z archives need it

            with py7zr.SevenZipFile(archive, mode="r") as z:
                z.extractall(dest)
            if on_member:
                on_member(1, 1)
        else:
            raise MLEBenchError(f"Unsupported archive format: {archive.name}")
    except (zipfile.BadZipFile, EOFError) as e:
        raise MLEBenchError(f"{archive} is not a complete {suffix} archive ({e}).") from e
    except Exception as e:
        if type(e).__module__.startswith("py7zr"):
            raise MLEBenchError(f"{archive} is not a complete 7z archive ({e}).") from e
        raise


def extract_atomically(archive: Path, dest: Path, on_member: Callable[[int, int], None] | None = None) -> Path:
    """Extract into `<dest>.partial` and rename it to `dest` only when complete, so an existing
    `dest` always means a finished extraction."""
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    extract(archive, partial, on_member)
    partial.rename(dest)
    return dest
