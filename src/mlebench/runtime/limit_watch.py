"""Limits the harness enforces while a sandboxed run lives: the rlimits that stand in for missing
cgroup controllers, the disk watch, the wall clock, and the stop (SIGTERM to the command's group,
a grace period, then SIGKILL of the whole tree)."""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from mlebench.runtime.cgroups import Cgroup
from mlebench.runtime.sandbox_spec import Limits, SandboxSpec, Status

POLL_S = 0.02


def _disk_usage(paths: list[Path]) -> int:
    total = 0
    stack = [str(p) for p in paths]
    while stack:
        p = stack.pop()
        try:
            st = os.lstat(p)
        except OSError:
            continue
        total += st.st_blocks * 512
        if os.path.isdir(p) and not os.path.islink(p):
            with contextlib.suppress(OSError), os.scandir(p) as it:
                stack.extend(e.path for e in it)
    return total


def disk_check(limits: Limits, paths: list[Path], record: dict, every: float = 1.0
               ) -> tuple[bool, float]:
    """(whether the run is over its disk limit, when to check next). On the writable folders' own
    filesystem a statvfs (cheap, exact: full means writes already fail); else a walk of the
    folders, less often when it is slow. The highest use seen goes in record["disk_used_bytes"]."""
    assert limits.disk_bytes is not None
    start = time.monotonic()
    if limits.disk_filesystem is not None:
        used = _filesystem_used(limits.disk_filesystem, limits.disk_baseline_bytes)
        full = used >= limits.disk_bytes - max(2**20, limits.disk_bytes // 200)
        later = time.monotonic() + 0.25
    else:
        used = _disk_usage(paths)
        full = used > limits.disk_bytes
        later = time.monotonic() + max(every, 20 * (time.monotonic() - start))
    record["disk_used_bytes"] = max(used, record.get("disk_used_bytes", 0))
    return full, later


def _filesystem_used(path: Path, baseline: int) -> int:
    """Bytes in use on the writable folders' own filesystem, beyond its empty state."""
    try:
        st = os.statvfs(path)
    except OSError:
        return 0
    return max(0, (st.f_blocks - st.f_bfree) * st.f_frsize - baseline)


def apply_rlimits(pid: int, limits: Limits, cg: Cgroup | None, enforcement: dict,
                   gpus: bool = False) -> None:
    """Fallback for limits no cgroup controller enforces."""
    have = set(cg.controllers) if cg else set()
    applied: list[str] = []
    if limits.memory_bytes is not None and "memory" not in have and gpus:
        # CUDA reserves far more address space than memory: RLIMIT_AS would make it fail.
        enforcement["memory"] = "not enforced: no memory cgroup, and RLIMIT_AS breaks CUDA"
    elif limits.memory_bytes is not None and "memory" not in have:
        # Address space, not resident memory: coarser (and unusable with CUDA), but enforced.
        resource.prlimit(pid, resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        applied.append("RLIMIT_AS")
    if limits.pids_max is not None and "pids" not in have:
        # Counts all processes of the sandbox uid on the host, not just this run's.
        resource.prlimit(pid, resource.RLIMIT_NPROC, (limits.pids_max, limits.pids_max))
        applied.append("RLIMIT_NPROC")
    if limits.cpus is not None and "cpu" not in have:
        cpus = sorted(os.sched_getaffinity(0))[: max(1, math.ceil(limits.cpus))]
        os.sched_setaffinity(pid, cpus)
        applied.append(f"cpu affinity {cpus}")
    # Core dumps of a memory-hungry agent would fill the writable folders.
    resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
    enforcement["rlimits"] = [*applied, "RLIMIT_CORE=0"]


def _tree(pid: int) -> set[int]:
    """pid and its descendants, from /proc (used when there is no cgroup)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{d}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
    out, stack = set(), [pid]
    while stack:
        p = stack.pop()
        if p not in out:
            out.add(p)
            stack.extend(children.get(p, []))
    return out



def read_info(fd: int, buf: bytearray) -> dict | None:
    """bubblewrap's --info-fd JSON ({"child-pid": ...}) once it is complete."""
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buf += chunk
    with contextlib.suppress(ValueError):
        return json.loads(buf.decode())
    return None


def _wait(proc: subprocess.Popen) -> tuple[int, Any] | None:
    """Reap the launcher if it has exited: (returncode, rusage)."""
    pid, wstatus, rusage = os.wait4(proc.pid, os.WNOHANG)
    if pid == 0:
        return None
    code = os.waitstatus_to_exitcode(wstatus)
    proc.returncode = code
    return code, rusage


def watch(proc: subprocess.Popen, spec: SandboxSpec, cg: Cgroup | None, info_fd: int,
           t0: float, unsafe: bool, init_pid: int | None = None) -> tuple[Status, int | None, dict]:
    limits = spec.limits
    info_buf = bytearray()
    disk_paths = [m.source for m in spec.writable_dirs] + [spec.stdout_path, spec.stderr_path]
    next_disk, disk_every = t0, 1.0
    reason: Status | None = None
    extra: dict[str, Any] = {}
    while True:
        done = _wait(proc)
        if done is not None:
            break
        now = time.monotonic()
        if init_pid is None and not unsafe:
            info = read_info(info_fd, info_buf)
            if info:
                init_pid = int(info["child-pid"])
        if now - t0 >= limits.time_limit_s or (spec.stop is not None and spec.stop.is_set()):
            reason = "timed-out"
        elif limits.disk_bytes is not None and now >= next_disk:
            full, next_disk = disk_check(limits, disk_paths, extra, disk_every)
            if full:
                reason = "killed-for-disk"
        if reason is not None:
            if init_pid is None and not unsafe:
                init_pid = int((read_info(info_fd, info_buf) or {}).get("child-pid", 0)) or None
            done = _stop(proc, init_pid, cg, limits.grace_period_s, unsafe)
            break
        time.sleep(POLL_S)
    code, rusage = done
    extra["_rusage_maxrss"] = rusage.ru_maxrss * 1024 if rusage is not None else None
    if reason is not None:
        return reason, code, extra
    # Whatever the agent left running dies with the PID namespace; sweep the cgroup anyway.
    if cg is not None:
        cg.kill_all()
    if unsafe:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    if code == 0:
        return "completed", code, extra
    if code == -signal.SIGKILL or code == 128 + signal.SIGKILL:
        return "crashed", code, extra  # promoted to killed-for-memory if the cgroup OOM-killed
    return "crashed", code, extra


def _agent_pids(proc: subprocess.Popen, init_pid: int | None, cg: Cgroup | None) -> set[int]:
    pids = cg.pids() if cg is not None else _tree(proc.pid)
    return pids - {proc.pid, init_pid or -1}


def _stop(proc: subprocess.Popen, init_pid: int | None, cg: Cgroup | None, grace: float,
          unsafe: bool) -> tuple[int, Any]:
    """SIGTERM, a grace period, then SIGKILL of the whole tree."""
    _terminate(proc, init_pid, cg, unsafe)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        done = _wait(proc)
        if done is not None:
            if cg is not None:
                cg.kill_all()
            return done
        time.sleep(POLL_S)
    kill_everything(proc, init_pid, cg)
    for _ in range(500):
        done = _wait(proc)
        if done is not None:
            return done
        time.sleep(POLL_S)
    proc.kill()
    pid, wstatus, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(wstatus)
    return proc.returncode, rusage


def _terminate(proc: subprocess.Popen, init_pid: int | None, cg: Cgroup | None,
               unsafe: bool) -> None:
    """SIGTERM to the process group of the sandbox's command (as `docker stop` signals only the
    container's command): the forwarder, which passes it on to the agent's group and keeps the
    validation endpoint up meanwhile. bubblewrap's launcher and the namespace's init (which shares
    the command's group) are left out: killing the init now would kill everything at once."""
    if unsafe:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)  # started as its own session
        return
    pids = _agent_pids(proc, init_pid, cg)
    top = next(iter(_children(init_pid)), None) if init_pid else None
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if top is not None:
            group = os.getpgid(top)
            pids = {p for p in pids if _pgid(p) == group}
    for pid in pids:  # without the command's group: every process of the run
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except (ProcessLookupError, PermissionError):
        return None


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d))
    return out


def kill_everything(proc: subprocess.Popen, init_pid: int | None, cg: Cgroup | None) -> None:
    # The kernel kills every process of a PID namespace when its init dies: nothing can escape
    # by forking or re-parenting, cgroup or not.
    for pid in (init_pid,):
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    if cg is not None:
        cg.kill_all()
    else:
        for pid in _tree(proc.pid) - {proc.pid}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
