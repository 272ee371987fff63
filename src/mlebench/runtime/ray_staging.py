"""Public data for Ray workers: packed once on the head, cached by content hash on each node.

The head packs a competition's `prepared/public/` folder — and nothing else: never `private/`,
never the preparation manifest (it lists the answers' checksums) — into a deterministic tar
(sorted names, zeroed times and owners, fixed modes), named by its sha256, and puts it into Ray's
object store in chunks. A worker node keeps one extracted copy per digest under its cache folder
(`$MLEBENCH_RAY_CACHE`, else `<tmp>/mlebench-ray-cache`): the first task on the node fetches and
checks the chunks under a file lock, later runs of the same competition (same bytes) reuse the
copy. Nodes need not share a filesystem.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlebench.errors import MLEBenchError

CHUNK_BYTES = 64 * 2**20  # one object-store object; bounds what either side holds in memory
READY = "READY"
CACHE_ENV = "MLEBENCH_RAY_CACHE"


@dataclass
class StagedPublicData:
    """What a task needs to find the public data: the digest and the chunks (object refs)."""

    competition_id: str
    digest: str
    size: int
    chunks: list[Any] = field(default_factory=list)


def _members(public_dir: Path) -> Iterator[tuple[str, Path, os.stat_result]]:
    """Folders and regular files under `public_dir`, sorted; links are never followed."""
    for dirpath, dirnames, filenames in os.walk(public_dir):
        dirnames.sort()
        rel_dir = Path(dirpath).relative_to(public_dir)
        for name in [*dirnames, *sorted(filenames)]:
            path = Path(dirpath) / name
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
                yield (rel_dir / name).as_posix(), path, st


def pack_public(public_dir: Path, competition_id: str, out: Path) -> str:
    """Write `public_dir` as a deterministic tar at `out` (members under
    `<competition_id>/prepared/public/`); return its sha256."""
    prefix = f"{competition_id}/prepared/public"
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for rel, path, st in [(".", public_dir, os.lstat(public_dir)), *_members(public_dir)]:
            info = tarfile.TarInfo(prefix if rel == "." else f"{prefix}/{rel}")
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            if stat.S_ISDIR(st.st_mode):
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.mode, info.size = 0o644, st.st_size
                with open(path, "rb") as f:
                    tar.addfile(info, f)
    digest = hashlib.sha256()
    with open(out, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def stage(public_dir: Path, competition_id: str, put: Any) -> StagedPublicData:
    """Pack the public data and hand it to the object store (`put`: `ray.put`)."""
    if not public_dir.is_dir():
        raise MLEBenchError(f"{public_dir} is missing: prepare {competition_id} first.")
    with tempfile.TemporaryDirectory(prefix="mlebench-stage-") as tmp:
        archive = Path(tmp) / "public.tar"
        digest = pack_public(public_dir, competition_id, archive)
        staged = StagedPublicData(competition_id, digest, archive.stat().st_size)
        with open(archive, "rb") as f:
            while chunk := f.read(CHUNK_BYTES):
                staged.chunks.append(put(chunk))
    return staged


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "mlebench-ray-cache")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def ensure_public(staged: StagedPublicData, get: Any, root: Path | None = None) -> Path:
    """A data dir on this node holding `<competition>/prepared/public/` of `staged` (fetched and
    checked on first use, reused after). `get` turns a chunk's ref into bytes (`ray.get`)."""
    root = root or cache_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / staged.digest
    if (final / READY).is_file():
        return final / "data"
    with _locked(root / f".{staged.digest}.lock"):  # concurrent tasks on this node: one fetch
        if (final / READY).is_file():
            return final / "data"
        shutil.rmtree(final, ignore_errors=True)  # a fetch interrupted before it was complete
        tmp = root / f".{staged.digest}.{uuid.uuid4().hex}"
        tmp.mkdir(mode=0o755)
        try:
            archive, digest = tmp / "public.tar", hashlib.sha256()
            with open(archive, "wb") as f:
                for ref in staged.chunks:
                    chunk = get(ref)
                    digest.update(chunk)
                    f.write(chunk)
            if digest.hexdigest() != staged.digest:
                raise MLEBenchError(f"Public data of {staged.competition_id} arrived damaged "
                                    f"(sha256 {digest.hexdigest()[:12]}, expected "
                                    f"{staged.digest[:12]}).")
            (tmp / "data").mkdir(mode=0o755)
            with tarfile.open(archive) as tar:
                tar.extractall(tmp / "data", filter="data")
            archive.unlink()
            (tmp / READY).write_text(staged.digest)
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return final / "data"
