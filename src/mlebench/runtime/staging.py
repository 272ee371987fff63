"""Read-only mounts re-sourced from a per-run staging folder, so that the sandbox's
/proc/self/mountinfo does not show where they live on the host.

A bind mount's `root` field in mountinfo is the source's path inside its filesystem: binding
`<data-dir>/<id>/prepared/public` tells the agent where the private answers are (`../private`).
Bind mounts, overlays (their options list the lower folders) and mount namespaces all keep that
path; only a new inode tree hides it. So each read-only mount whose target differs from its
source is rebuilt in the run's staging folder (the sandbox's own temporary folder):

- a small file (instructions, scripts) is copied;
- a folder (the competition's public data) becomes a tree of new folders holding hard links to
  the same files: no data is copied, but it costs one link per file (about 30 us, see
  benchmarks/bench_staging.py) and needs the staging folder on the same mount as the data (set
  TMPDIR to a folder there if /tmp is another filesystem; a staging folder inside the data
  folder would name the data folder, so none is made there);
- anything else (another mount, links not permitted, special files) is bound as before and
  recorded as visible, with the reason.

Not hidden: mounts whose target is their source path (the Python environment, which must keep
its path), the system folders (/usr, /etc files), and the writable run folders (handled apart).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import stat
from pathlib import Path
from typing import Any, Protocol, TypeVar

SMALL_FILE_BYTES = 1 << 20  # copied; bigger files are hard-linked


class BindMount(Protocol):  # sandbox.Mount
    source: Path
    target: str
    read_only: bool


M = TypeVar("M", bound=BindMount)


def _link_tree(source: Path, dest: Path) -> int:
    """dest: new folders (source's modes) with hard links to source's files; symlinks copied as
    links (they resolve inside the sandbox). Returns the number of files linked."""
    linked = 0
    stack = [(source, dest)]
    while stack:
        src, dst = stack.pop()
        os.mkdir(dst, 0o700)
        # Names relative to open folders: no path walk per file (about 2x faster on big trees).
        src_fd = os.open(src, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        dst_fd = os.open(dst, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            with os.scandir(src_fd) as entries:
                for e in entries:  # the type from the folder entry, without a stat per file
                    if e.is_dir(follow_symlinks=False):
                        stack.append((src / e.name, dst / e.name))
                    elif e.is_file(follow_symlinks=False):
                        os.link(e.name, e.name, src_dir_fd=src_fd, dst_dir_fd=dst_fd,
                                follow_symlinks=False)
                        linked += 1
                    elif e.is_symlink():
                        os.symlink(os.readlink(e.name, dir_fd=src_fd), e.name, dir_fd=dst_fd)
                    else:
                        raise OSError(f"special file {e.name!r}")
            os.chmod(dst_fd, stat.S_IMODE(os.fstat(src_fd).st_mode))
        finally:
            os.close(src_fd)
            os.close(dst_fd)
    return linked


def stage(source: Path, dest: Path) -> str:
    """Rebuild `source` at `dest` (which must not exist); returns how. Raises OSError, leaving
    nothing at dest, when it cannot."""
    try:
        st = os.stat(source)
        if stat.S_ISREG(st.st_mode) and st.st_size <= SMALL_FILE_BYTES:
            shutil.copy2(source, dest)
            return "copied"
        if stat.S_ISREG(st.st_mode):
            os.link(source, dest)
            return "hard link"
        if stat.S_ISDIR(st.st_mode):
            n = _link_tree(Path(os.path.realpath(source)), dest)  # a symlinked data dir is fine
            return f"{n} file{'' if n == 1 else 's'} hard-linked"
        raise OSError("not a regular file or folder")
    except OSError:
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                dest.unlink()
        raise


def stage_mounts(mounts: list[M], folder: Path) -> tuple[list[M], dict[str, Any]]:
    """The mounts with their read-only sources staged under `folder` where possible, and the
    record of what mountinfo hides ({"hidden": {target: how}, "visible": {target: why}})."""
    hidden: dict[str, str] = {}
    visible: dict[str, str] = {}
    out: list[M] = []
    for i, m in enumerate(mounts):
        source, target = Path(m.source), m.target
        if not getattr(m, "stage", True):
            visible[target] = "not staged (the agent's environment)"
            out.append(m)
            continue
        if not m.read_only or os.path.normpath(target) == str(source):
            visible[target] = "bound at its own path" if m.read_only else "writable"
            out.append(m)
            continue
        folder.mkdir(mode=0o700, exist_ok=True)
        dest = folder / f"{i}-{Path(target).name or 'root'}"
        try:
            hidden[target] = stage(source, dest)
            out.append(dataclasses.replace(m, source=dest))  # type: ignore[type-var]
        except OSError as e:
            visible[target] = f"host path shown (not staged: {e.strerror or e})"
            out.append(m)
    return out, {"hidden": hidden, "visible": visible}
