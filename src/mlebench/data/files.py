"""Placing prepared files cheaply: image competitions move hundreds of thousands of files from the
raw download into `public/`, so each is hard-linked when possible and copied only when it must be."""

from __future__ import annotations

import errno
import os
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path

# errno values meaning "a hard link is not possible here" (other filesystem, no link support,
# too many links to the inode, or not permitted); anything else is a real error.
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}


def link_or_copy(src: Path | str, dst: Path | str) -> str:
    """Make `dst` hold the bytes of `src`: a hard link when possible, else a plain copy.

    Creates the destination's folder; `dst` must not exist. Returns "link" or "copy". Contents
    are identical either way (a link shares the inode, so treat prepared files as read-only).
    For many files, `place_files` avoids one mkdir per file.
    """
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
        return "link"
    except OSError as e:
        if e.errno not in _NO_LINK:
            raise
    shutil.copyfile(src, dst)
    return "copy"


def place_files(pairs: Iterable[tuple[Path | str, Path | str]]) -> dict[str, int]:
    """`link_or_copy` each `(src, dst)`, creating destination folders once each; counts by kind.

    After the first hard link fails across filesystems, the rest are copied without retrying.
    Plain strings are accepted (and cheaper than `Path`s when there are hundreds of thousands).
    """
    counts = {"link": 0, "copy": 0}
    made: set[str] = set()
    can_link = True
    for src, dst in pairs:
        parent = os.path.dirname(dst)
        if parent not in made:
            os.makedirs(parent or ".", exist_ok=True)
            made.add(parent)
        kind = "copy"
        if can_link:
            try:
                os.link(src, dst)  # the folder exists: one system call per file
                kind = "link"
            except OSError as e:
                if e.errno not in _NO_LINK:
                    raise
                can_link = False
        if kind == "copy":
            shutil.copyfile(src, dst)
        counts[kind] += 1
    return counts


def zip_files(archive: Path, members: Iterable[tuple[str, Path]]) -> None:
    """Write a deflated zip holding each `(name in archive, file on disk)` in the given order."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in members:
            zf.write(path, arcname=name)


def link_tree(src: Path | str, dst: Path | str) -> dict[str, int]:
    """`shutil.copytree` for prepared data: the same tree (empty folders included), each file
    hard-linked when possible (see `place_files`). `dst` may exist; its files must not."""
    src, dst = Path(src), Path(dst)
    pairs: list[tuple[Path, Path]] = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        target = dst / Path(root).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        pairs.extend((Path(root) / name, target / name) for name in sorted(files))
    return place_files(pairs)
