"""A run folder sent from a Ray worker to the driver as an uncompressed tar, and taken in there.

The archive is treated as hostile (a worker node is another machine, and every file in it came
from the agent): it is never handed to `tarfile.extractall`. `take_in_archive` reads its members
one by one and creates only regular files and folders of its own, with fresh names checked like
the intake's (`..`, `.`, absolute names, NUL and unprintable characters refused), opened with
`O_EXCL | O_NOFOLLOW` in a folder it just made; links, devices, FIFOs and anything else are refused
and listed; totals are bounded by entries and bytes. No compression, so reading it is bounded by
its own size (no decompression bomb). Refusals are added to the run's `intake.json` (`archive`),
and a submission that did not arrive byte for byte as the worker's intake recorded it is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
from pathlib import Path

from mlebench.intake import MAX_DEPTH, MAX_ENTRIES, IntakeRefused, json_object, safe_name
from mlebench.runtime import workspace

CHUNK = 1 << 20


def pack(run_dir: Path) -> bytes:
    """The run folder's folders and regular files as an uncompressed tar (members under its name).
    On the worker the folder holds only what the worker's intake copied out of the sandbox."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(run_dir):
            dirnames.sort()
            for name in [*dirnames, *sorted(filenames)]:
                path = Path(dirpath) / name
                st = os.lstat(path)
                arcname = f"{run_dir.name}/{path.relative_to(run_dir).as_posix()}"
                if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
                    tar.add(path, arcname=arcname, recursive=False)
    return buf.getvalue()


def _parts(name: str, top: str) -> list[str]:
    shown = safe_name(name)
    if "\0" in name or name.startswith("/"):
        raise IntakeRefused(shown, "absolute or NUL names are not taken in", "bad-name")
    parts = [p for p in name.split("/") if p]
    if not parts or parts[0] != top:
        raise IntakeRefused(shown, f"is outside the run folder {top}/", "bad-name")
    if any(p in (".", "..") or not p.isprintable() or len(p) > 255 for p in parts):
        raise IntakeRefused(shown, "'.', '..', unprintable or overlong names are not allowed",
                            "bad-name")
    if len(parts) > MAX_DEPTH:
        raise IntakeRefused(shown, f"is nested deeper than {MAX_DEPTH} folders", "too-deep")
    return parts[1:]


def _write_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, parts: list[str],
                  left: int) -> tuple[int, str]:
    """Write one regular file member under `dest` (folders made on the way); (size, sha256)."""
    shown = safe_name(member.name)
    if member.size > left:
        raise IntakeRefused(shown, f"is {member.size} bytes; the run may bring back {left} more",
                            "oversize")
    folder = dest
    for p in parts[:-1]:
        folder = folder / p
        try:
            folder.mkdir(mode=0o755)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise IntakeRefused(shown, "a parent folder is not a folder", "bad-name") from None
    try:
        fd = os.open(folder / parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                     | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise IntakeRefused(shown, "appears twice in the archive", "duplicate") from None
    source = tar.extractfile(member)
    assert source is not None  # a regular file member
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "wb") as out:
        while size < member.size and (chunk := source.read(min(CHUNK, member.size - size))):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def take_in_archive(archive: bytes, group_dir: Path, run_name: str, max_bytes: int,
                    max_entries: int = MAX_ENTRIES) -> Path:
    """Unpack a worker's run-folder archive into `group_dir/run_name`, replacing it atomically
    (see the module docstring). Returns the run folder."""
    try:
        tar = tarfile.open(fileobj=io.BytesIO(archive), mode="r:")  # uncompressed only
    except tarfile.TarError as e:
        raise IntakeRefused(run_name, f"the worker's archive is unreadable ({e})",
                            "bad-archive") from None
    partial = group_dir / f".{run_name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    dest = partial / run_name
    dest.mkdir(parents=True)
    refused: list[dict] = []
    hashes: dict[str, str] = {}
    total = 0
    with tar:
        try:
            for count, member in enumerate(tar):
                if count >= max_entries:
                    refused.append({"path": "…", "kind": "too-many",
                                    "reason": f"more than {max_entries} entries; the rest "
                                    "were not taken in"})
                    break
                try:
                    parts = _parts(member.name, run_name)
                    if member.isdir():
                        if parts:
                            (dest.joinpath(*parts)).mkdir(parents=True, exist_ok=True)
                        continue
                    if not member.isreg():
                        raise IntakeRefused(safe_name(member.name), "is not a regular file "
                                            "(links and special files are never taken in)",
                                            "not-regular")
                    if not parts:
                        raise IntakeRefused(safe_name(member.name), "is not a file", "bad-name")
                    size, sha = _write_member(tar, member, dest, parts, max_bytes - total)
                    total += size
                    hashes["/".join(parts)] = sha
                except IntakeRefused as e:
                    refused.append({"path": e.path, "kind": e.kind, "reason": e.reason})
                except OSError as e:  # e.g. a file where a folder must go
                    refused.append({"path": safe_name(member.name), "kind": "bad-name",
                                    "reason": f"cannot be written ({e.strerror})"})
        except tarfile.TarError as e:
            refused.append({"path": run_name, "kind": "bad-archive",
                            "reason": f"archive damaged; the rest was not taken in ({e})"})
    _record(dest, refused, hashes)
    final = group_dir / run_name
    if final.exists():
        workspace.unmount_stale(final)
        shutil.rmtree(final)
    dest.rename(final)
    shutil.rmtree(partial, ignore_errors=True)
    return final


def _record(run_dir: Path, refused: list[dict], hashes: dict[str, str]) -> None:
    """Add the archive's refusals to intake.json, and refuse every file the worker's intake
    recorded as taken that did not arrive with the recorded bytes (the submission among them)."""
    record = json_object(run_dir, workspace.INTAKE_FILE) or {
        "taken": [], "refused": [], "notes": ["intake.json did not come back from the worker"]}
    taken = [t for t in record.get("taken") or [] if isinstance(t, dict)]
    arrived = [t for t in taken if hashes.get(str(t.get("path"))) == t.get("sha256")]
    lost = [{"path": safe_name(str(t.get("path"))), "kind": "not-intact",
             "reason": "did not arrive from the worker as its intake recorded it"}
            for t in taken if t not in arrived]
    record["taken"] = arrived
    record["refused"] = [r for r in record.get("refused") or [] if isinstance(r, dict)] + lost
    record["archive"] = {"refused": refused, "files": len(hashes)}
    (run_dir / workspace.INTAKE_FILE).unlink(missing_ok=True)
    (run_dir / workspace.INTAKE_FILE).write_text(json.dumps(record, indent=2))
