"""Safe defaults: memory, disk and process limits are on unless the user widens them.

A limit the user leaves unset is chosen from the machine (a share of its memory and of the run
folder's free disk, split between the runs that go at once) and recorded, with how it was chosen,
in `RunLimits.machine_defaults` (so in group.json and every run's metadata). A resumed run group
keeps the values recorded when it was made, so that its runs all ran under the same limits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import replace
from pathlib import Path

import psutil

from mlebench.runtime.cgroups import cgroup_mounts
from mlebench.runtime.group import read_group_file
from mlebench.runtime.runs import RunLimits

MEMORY_SHARE = 0.8  # of the machine's memory for all runs at once; the rest for the host, grading
DISK_SHARE = 0.8    # of the run folder's free space for all runs at once
DEFAULT_PIDS = 4096
AUTO_FIELDS = ("memory_bytes", "disk_bytes", "pids_max")
_MAX_CGROUP_LIMIT = 1 << 60  # cgroup v1 writes "no limit" as a number near 2**63


def machine_memory_bytes() -> int:
    """Physical memory, or less where this process's cgroup (or an ancestor's) caps it."""
    total = psutil.virtual_memory().total
    v1, v2 = cgroup_mounts()
    folder, name = (v2, "memory.max") if v2 is not None and "memory" not in v1 else (
        v1.get("memory"), "memory.limit_in_bytes")
    while folder is not None and folder != folder.parent:
        with contextlib.suppress(OSError, ValueError):
            value = (folder / name).read_text(errors="replace")[:32].strip()
            if value != "max" and int(value) < _MAX_CGROUP_LIMIT:
                total = min(total, int(value))
        if not (folder.parent / name).exists():
            break
        folder = folder.parent
    return total


def free_disk_bytes(path: Path) -> int:
    """Free space of the filesystem that holds (or will hold) `path`."""
    p = Path(os.path.abspath(path))
    while not p.exists() and p != p.parent:
        p = p.parent
    return shutil.disk_usage(p).free


def _gib(n: float) -> str:
    return f"{n / 2**30:.1f} GiB"


def choose(fields: set[str], group_dir: Path, concurrent: int) -> dict[str, tuple[int, str]]:
    """field -> (value, how it was chosen) for each of `fields`, from this machine."""
    n = max(1, concurrent)
    runs = f"{n} run{'s' if n > 1 else ''} at once"
    out: dict[str, tuple[int, str]] = {}
    if "memory_bytes" in fields:
        total = machine_memory_bytes()
        out["memory_bytes"] = (int(total * MEMORY_SHARE / n) >> 20 << 20,
                               f"{MEMORY_SHARE:.0%} of the machine's {_gib(total)} memory, {runs}")
    if "disk_bytes" in fields:
        free = free_disk_bytes(group_dir)
        out["disk_bytes"] = (int(free * DISK_SHARE / n) >> 20 << 20,
                             f"{DISK_SHARE:.0%} of {_gib(free)} free where the runs are written, "
                             f"{runs}")
    if "pids_max" in fields:
        out["pids_max"] = (DEFAULT_PIDS, f"mlebench's default {DEFAULT_PIDS} processes")
    return out


def _recorded(group_dir: Path) -> dict:
    """The limits a run group was made with (empty for a new group)."""
    limits = ((read_group_file(group_dir) or {}).get("identity") or {}).get("limits")
    return limits if isinstance(limits, dict) else {}


def with_machine_defaults(limits: RunLimits, auto: set[str], group_dir: Path,
                          concurrent: int) -> RunLimits:
    """`limits` with each field named in `auto` (those the user left unset) chosen from the machine,
    or taken from group_dir's group.json when resuming a group whose limits were chosen so."""
    unknown = set(auto) - set(AUTO_FIELDS)
    if unknown:
        raise ValueError(f"No machine default for {sorted(unknown)}")
    old = _recorded(group_dir)
    old_how = old.get("machine_defaults") if isinstance(old.get("machine_defaults"), dict) else {}
    chosen = {f: (old[f], old_how[f]) for f in auto if f in old_how and f in old}
    chosen.update(choose(set(auto) - set(chosen), group_dir, concurrent))
    return replace(limits, **{f: v for f, (v, _) in chosen.items()},
                   machine_defaults={f: how for f, (_, how) in sorted(chosen.items())})
