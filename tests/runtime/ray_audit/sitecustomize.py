"""Loaded by every Python process of a test cluster's worker nodes (PYTHONPATH set on the node's
raylet): logs each file-system access to a path under a `prepared/` folder, with the process id,
so a test can show that a worker's processes opened the staged public data and never a private
file."""

import os
import sys

_LOG = os.environ.get("MLEBENCH_TEST_AUDIT_LOG")


def _paths(args):
    for a in args:
        if isinstance(a, (str, bytes, os.PathLike)):
            try:
                yield os.fsdecode(a)
            except (TypeError, ValueError):
                continue


def _hook(event, args):
    if not event.startswith(("open", "os.", "shutil.")):
        return
    for path in _paths(args):
        if "prepared" in path:
            fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, f"{os.getpid()}\t{event}\t{path}\n".encode(errors="replace"))
            finally:
                os.close(fd)


if _LOG:
    sys.addaudithook(_hook)
