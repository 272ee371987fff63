"""The one intake for files an agent wrote: never follows a link, bounds every read.

Everything in a run's submission/, logs/, code/ and agent/ folders (and anything else read from a
run folder, which may come from another machine) is written by an adversary. Reading it goes through
this module, which:

- resolves a path from a trusted root one component at a time (`openat` with `O_NOFOLLOW`), so a
  symbolic link anywhere below the root — the file itself or a parent folder — is refused, never
  followed; names with `..`, `.`, `/` or NUL are refused;
- opens regular files only (a FIFO, socket or device node is refused before it is opened, so opening
  cannot block or touch a device) and re-checks the opened inode (no swap between check and open);
- refuses a file with other hard links (it could be the answers, linked in), unless the caller takes
  a whole tree and every link is inside it;
- caps sizes by apparent size *and* allocated blocks (a sparse 1 TiB file is refused, not read);
- reads at most a given number of bytes.

A refusal is an `IntakeRefused` with a one-line reason meant for reports; callers turn it into an
invalid submission or a flagged artifact, never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mlebench.errors import MLEBenchError

CHUNK = 1 << 20
# Reading more than this of one log or code file is never needed to judge or show it.
DEFAULT_TEXT_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_DEPTH = 64
_SLACK_BLOCKS = 64 * 1024  # allocated size may exceed the apparent size by a few blocks


class IntakeRefused(MLEBenchError):
    """A file the harness will not read: a link, a special file, too large, a bad name."""

    def __init__(self, path: str, reason: str, kind: str = "refused"):
        self.path, self.reason, self.kind = path, reason, kind
        super().__init__(f"{path}: {reason}")


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "dir"), (stat.S_ISLNK, "symlink"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "char-device"), (stat.S_ISBLK, "block-device")):
        if test(mode):
            return name
    return "unknown"


def kind_of(path: Path | str) -> str:
    """What `path` itself is (a link is reported as one, never followed)."""
    return _kind(os.lstat(path).st_mode)


def safe_name(name: str) -> str:
    """A file name as it may be shown in a report: printable, bounded."""
    shown = name.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)
    return shown if len(shown) <= 200 else shown[:200] + f"… ({len(name)} characters)"


def _parts(rel: str | os.PathLike[str]) -> list[str]:
    text = os.fspath(rel)
    if "\0" in text:
        raise IntakeRefused(safe_name(text), "name contains a NUL byte", "bad-name")
    if text.startswith("/"):
        raise IntakeRefused(safe_name(text), "absolute paths are not taken in", "bad-name")
    parts = [p for p in text.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise IntakeRefused(safe_name(text), "'.' and '..' are not allowed in names", "bad-name")
    return parts


def _open_dir(root: Path | str) -> int:
    """The trusted root (a run folder made by the harness); links above it are the user's own."""
    return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def _descend(dir_fd: int, name: str, shown: str) -> int:
    """Open sub-folder `name` of `dir_fd` without following a link."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise IntakeRefused(shown, "does not exist", "missing") from None
    if not stat.S_ISDIR(st.st_mode):
        kind = _kind(st.st_mode)
        what = "a symbolic link" if kind == "symlink" else f"a {kind}, not a folder"
        raise IntakeRefused(shown, f"a parent folder is {what}; links are never followed", kind)
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        raise IntakeRefused(shown, "changed while it was being opened", "raced")
    return fd


def check_regular(st: os.stat_result, shown: str, max_bytes: int | None,
                  allow_hard_links: bool = False) -> None:
    """Refuse anything but a plain, single-link regular file within the size cap."""
    kind = _kind(st.st_mode)
    if kind != "file":
        what = {"symlink": "a symbolic link; links are never followed",
                "dir": "a folder, not a file"}.get(kind, f"a {kind}, not a regular file")
        raise IntakeRefused(shown, f"is {what}", kind)
    if st.st_nlink > 1 and not allow_hard_links:
        raise IntakeRefused(shown, f"has {st.st_nlink} hard links; only a file with one link is "
                            "taken in (a hard link could point at a file outside the run)",
                            "hardlink")
    if max_bytes is not None:
        allocated = st.st_blocks * 512
        if st.st_size > max_bytes:
            sparse = " (a sparse file)" if allocated < st.st_size // 2 else ""
            raise IntakeRefused(shown, f"is {_size(st.st_size)}{sparse}, larger than the "
                                f"{_size(max_bytes)} taken in", "oversize")
        if allocated > max_bytes + _SLACK_BLOCKS:
            raise IntakeRefused(shown, f"occupies {_size(allocated)} on disk, larger than the "
                                f"{_size(max_bytes)} taken in", "oversize")


def _size(n: int) -> str:
    for unit, div in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} bytes"


@contextlib.contextmanager
def open_regular(root: Path | str, rel: str | os.PathLike[str], max_bytes: int | None,
                 allow_hard_links: bool = False) -> Iterator[int]:
    """A read-only fd of the regular file `root/rel`, taken in as described above."""
    parts = _parts(rel)
    shown = safe_name("/".join(parts))
    try:
        fds = [_open_dir(root)]
    except FileNotFoundError:
        raise IntakeRefused(shown, "does not exist (no such folder)", "missing") from None
    except OSError as e:
        raise IntakeRefused(shown, f"cannot be opened ({e.strerror or e})", "unreadable") from None
    try:
        for name in parts[:-1]:
            fds.append(_descend(fds[-1], name, shown))
        try:
            st = os.stat(parts[-1], dir_fd=fds[-1], follow_symlinks=False)
        except FileNotFoundError:
            raise IntakeRefused(shown, "does not exist", "missing") from None
        check_regular(st, shown, max_bytes, allow_hard_links)
        # O_NONBLOCK: had the name been swapped for a FIFO since the check, open returns at once.
        fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
                     | os.O_CLOEXEC, dir_fd=fds[-1])
        fds.append(fd)
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise IntakeRefused(shown, "changed while it was being opened", "raced")
        check_regular(now, shown, max_bytes, allow_hard_links)
        os.set_blocking(fd, True)
        yield fd
    except OSError as e:
        raise IntakeRefused(shown, f"cannot be opened ({e.strerror or e})", "unreadable") from None
    finally:
        for fd in reversed(fds):
            os.close(fd)


def read_bytes(root: Path | str, rel: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The whole file, refused if larger than `max_bytes`."""
    with open_regular(root, rel, max_bytes) as fd:
        data = _read_up_to(fd, max_bytes + 1)
    if len(data) > max_bytes:  # grew after the check
        raise IntakeRefused(safe_name(os.fspath(rel)), f"is more than {_size(max_bytes)}",
                            "oversize")
    return data


def read_text(root: Path | str, rel: str | os.PathLike[str],
              max_bytes: int = DEFAULT_TEXT_BYTES) -> tuple[str, bool]:
    """At most the first `max_bytes` of a text file (UTF-8, invalid bytes replaced), and whether
    it was cut. Large files are not refused, only cut: a 1 TiB sparse log yields its first bytes."""
    with open_regular(root, rel, None) as fd:
        size = os.fstat(fd).st_size
        data = _read_up_to(fd, max_bytes)
    return data.decode("utf-8", errors="replace"), size > len(data)


def _read_up_to(fd: int, limit: int) -> bytes:
    # The size the file has now in one read (no second, joined copy of a large submission),
    # then chunks for whatever arrives after (a file still growing) up to `limit`.
    chunks = [os.read(fd, min(limit, os.fstat(fd).st_size + 1))]
    left = limit - len(chunks[0])
    while left > 0 and chunks[-1]:
        chunks.append(os.read(fd, min(CHUNK, left)))
        left -= len(chunks[-1])
    return chunks[0] if not any(chunks[1:]) else b"".join(chunks)


# --------------------------------------------------------------------------- trees

@dataclass(frozen=True)
class Entry:
    """One name found in an untrusted tree (never followed)."""

    path: str            # relative to the root, '/'-separated, as found
    kind: str            # file, dir, symlink, fifo, socket, char-device, block-device, unknown
    size: int
    allocated: int
    nlink: int
    link_target: str | None = None  # a symlink's target, bounded, for reports
    inode: tuple[int, int] = (0, 0)  # (st_dev, st_ino): tells hard links inside the tree apart


def walk(root: Path | str, rel: str = "", max_entries: int = MAX_ENTRIES,
         max_depth: int = MAX_DEPTH) -> tuple[list[Entry], list[str]]:
    """Every entry under `root/rel` (folders first, sorted), never following a link, plus notes on
    what was not listed (too many entries, too deep, unreadable). `rel` must be a plain folder."""
    entries: list[Entry] = []
    notes: list[str] = []
    try:
        top = _open_dir(root)
    except OSError as e:
        return [], [f"{root}: cannot be opened ({e.strerror or e})"]
    opened: list[int] = []
    try:
        start, prefix = top, ""
        if rel:
            for name in _parts(rel):
                start = _descend(start, name, safe_name(rel))
                opened.append(start)
            prefix = "/".join(_parts(rel)) + "/"
        _walk_fd(start, prefix, 0, entries, notes, max_entries, max_depth)
    except IntakeRefused as e:
        notes.append(str(e))
    finally:
        for fd in [*opened, top]:
            os.close(fd)
    return entries, notes


def _walk_fd(dir_fd: int, prefix: str, depth: int, entries: list[Entry], notes: list[str],
             max_entries: int, max_depth: int) -> None:
    try:  # at most what may still be listed: a folder of ten million names is not read whole
        with os.scandir(dir_fd) as it:
            names = sorted(itertools.islice((e.name for e in it), max_entries - len(entries) + 1))
    except OSError as e:
        notes.append(f"{safe_name(prefix) or '.'}: cannot be listed ({e.strerror or e})")
        return
    for name in names:
        if len(entries) >= max_entries:
            if not notes or not notes[-1].startswith("more than"):
                notes.append(f"more than {max_entries} entries: the rest were not listed")
            return
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            continue
        kind = _kind(st.st_mode)
        target = None
        if kind == "symlink":
            with contextlib.suppress(OSError):
                target = safe_name(os.readlink(name, dir_fd=dir_fd))
        entries.append(Entry(prefix + name, kind, st.st_size, st.st_blocks * 512, st.st_nlink,
                             target, (st.st_dev, st.st_ino)))
        if kind == "dir":
            if depth + 1 >= max_depth:
                notes.append(f"{safe_name(prefix + name)}: deeper than {max_depth} folders, not "
                             "listed")
                continue
            try:
                sub = _descend(dir_fd, name, safe_name(prefix + name))
            except (IntakeRefused, OSError):
                continue
            try:
                _walk_fd(sub, prefix + name + "/", depth + 1, entries, notes, max_entries,
                         max_depth)
            finally:
                os.close(sub)


def internal_links(entries: list[Entry]) -> set[tuple[int, int]]:
    """Inodes all of whose hard links are inside the listed tree: the agent's own files."""
    seen: dict[tuple[int, int], int] = {}
    links: dict[tuple[int, int], int] = {}
    for e in entries:
        if e.kind == "file" and e.nlink > 1:
            seen[e.inode] = seen.get(e.inode, 0) + 1
            links[e.inode] = e.nlink
    return {inode for inode, n in seen.items() if n >= links[inode]}


def regular_files(root: Path | str, rel: str = "", max_entries: int = MAX_ENTRIES
                  ) -> tuple[list[Entry], list[Entry]]:
    """(plain files that may be read, everything else that is not a folder): the split most
    readers need. A file with hard links outside the tree counts as refused."""
    entries, _ = walk(root, rel, max_entries)
    inside = internal_links(entries)
    ok, refused = [], []
    for e in entries:
        if e.kind == "dir":
            continue
        plain = e.kind == "file" and (e.nlink == 1 or e.inode in inside)
        (ok if plain else refused).append(e)
    return ok, refused


# --------------------------------------------------------------------------- copying out

@dataclass
class TakenFile:
    path: str
    size: int
    sha256: str


@dataclass
class IntakeReport:
    """What a copy of an untrusted tree took in and what it refused (written as intake.json)."""

    taken: list[TakenFile] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)   # {path, kind, reason}
    notes: list[str] = field(default_factory=list)
    bytes_taken: int = 0

    def to_dict(self) -> dict:
        return {"taken": [asdict(t) for t in self.taken], "refused": self.refused,
                "notes": self.notes, "bytes_taken": self.bytes_taken}

    def find(self, path: str) -> TakenFile | None:
        return next((t for t in self.taken if t.path == path), None)


def copy_tree(src_root: Path | str, dest_root: Path, rel: str, report: IntakeReport,
              max_total_bytes: int, max_entries: int = MAX_ENTRIES) -> None:
    """Copy the plain files of `src_root/rel` to `dest_root/rel` (fresh files, harness-owned),
    recording every refused entry in `report`. Hard links whose other links are all inside the
    copied tree are the agent's own files and are copied as separate files; other special
    entries are refused. Stops taking files in at `max_total_bytes` (apparent size)."""
    entries, notes = walk(src_root, rel, max_entries)
    report.notes.extend(notes)
    inside = internal_links(entries)
    dest_root = Path(dest_root)
    (dest_root / rel).mkdir(parents=True, exist_ok=True)
    for e in entries:
        shown = safe_name(e.path)
        if e.kind == "dir":
            if e.path.isprintable():
                (dest_root / e.path).mkdir(parents=True, exist_ok=True)
            continue
        if e.kind != "file":
            what = {"symlink": f"a symbolic link to {e.link_target!s}"}.get(e.kind, f"a {e.kind}")
            record = {"path": shown, "kind": e.kind,
                      "reason": f"is {what}; only regular files are taken in"}
            if e.kind == "symlink":
                record["target"] = e.link_target
            report.refused.append(record)
            continue
        if not e.path.isprintable():
            report.refused.append({"path": shown, "kind": "bad-name",
                                   "reason": "name has unprintable characters"})
            continue
        if e.nlink > 1 and e.inode not in inside:
            report.refused.append({"path": shown, "kind": "hardlink",
                                   "reason": f"has {e.nlink} hard links, some outside the run's "
                                   "folders"})
            continue
        left = max_total_bytes - report.bytes_taken
        try:
            taken = copy_file(src_root, e.path, dest_root / e.path, max(0, left),
                              allow_hard_links=True)
        except IntakeRefused as refusal:
            reason = refusal.reason
            if refusal.kind == "oversize" and left < e.size:
                reason = f"{reason} (the run's folders together may hold {_size(max_total_bytes)})"
            report.refused.append({"path": shown, "kind": refusal.kind, "reason": reason})
            continue
        report.taken.append(taken)
        report.bytes_taken += taken.size


def copy_file(src_root: Path | str, rel: str, dest: Path, max_bytes: int,
              allow_hard_links: bool = False) -> TakenFile:
    """Copy one untrusted regular file to `dest` (a fresh file), hashing it on the way."""
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.intake")
    with open_regular(src_root, rel, max_bytes, allow_hard_links) as fd, open(tmp, "wb") as out:
        while True:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                out.close()
                tmp.unlink(missing_ok=True)
                raise IntakeRefused(safe_name(rel), f"grew past {_size(max_bytes)} while read",
                                    "oversize")
            digest.update(chunk)
            out.write(chunk)
    os.replace(tmp, dest)
    return TakenFile(path="/".join(_parts(rel)), size=size, sha256=digest.hexdigest())


def sha256_of(root: Path | str, rel: str, max_bytes: int | None = None) -> tuple[str, int]:
    """sha256 and size of a regular file, taken in (for checks of files already copied in)."""
    digest, size = hashlib.sha256(), 0
    with open_regular(root, rel, max_bytes) as fd:
        while chunk := os.read(fd, CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return digest.hexdigest(), size


MAX_JSON_BYTES = 64 * 2**20


def read_json(root: Path | str, rel: str | os.PathLike[str], max_bytes: int = MAX_JSON_BYTES
              ) -> object:
    """A JSON document of a run folder, taken in: refused (`IntakeRefused`) when it is a link,
    special, too large or not JSON."""
    data = read_bytes(root, rel, max_bytes)
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise IntakeRefused(safe_name(os.fspath(rel)), "is not valid JSON", "not-json") from None


def json_object(root: Path | str, rel: str | os.PathLike[str]) -> dict | None:
    """A JSON object of a run folder, taken in; None when missing, refused or not an object."""
    try:
        data = read_json(root, rel)
    except IntakeRefused:
        return None
    return data if isinstance(data, dict) else None


def json_records(root: Path | str, rel: str | os.PathLike[str],
                 max_bytes: int = MAX_JSON_BYTES) -> list[dict] | None:
    """The JSON objects of a JSONL file of a run folder, taken in (at most `max_bytes` read);
    lines that are not JSON objects are skipped. None when the file is missing or refused."""
    try:
        text, _ = read_text(root, rel, max_bytes)
    except IntakeRefused:
        return None
    records = []
    for line in text.splitlines():
        try:
            rec = json.loads(line) if line.strip() else None
        except (ValueError, RecursionError):
            continue
        if isinstance(rec, dict):
            records.append(rec)
    return records
