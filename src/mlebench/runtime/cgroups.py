"""The cgroup a sandboxed run's processes live in: v2 where its controllers are delegated, else one
folder per v1 controller. It enforces memory (no swap), process count and CPU, counts peak memory
and OOM kills, lists the run's processes and kills them all at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlebench.runtime.sandbox_spec import Limits


def cgroup_mounts() -> tuple[dict[str, Path], Path | None]:
    """v1 controller -> this process's cgroup folder, and the v2 folder (if any)."""
    own: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, ctrls, path = line.split(":", 2)
            for c in ctrls.split(",") if ctrls else [""]:
                own[c] = path
    v1: dict[str, Path] = {}
    v2: Path | None = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            pre, _, post = line.partition(" - ")
            fields, post_f = pre.split(), post.split()
            if len(fields) < 5 or len(post_f) < 3:
                continue
            root, mnt, fstype = fields[3], fields[4], post_f[0]

            def here(path: str, root: str = root, mnt: str = mnt) -> Path:
                # The cgroup path is relative to the cgroup namespace; the mount may start lower.
                rel = os.path.relpath(path, root) if path.startswith(root) else path.lstrip("/")
                p = Path(mnt) / rel
                return p if p.is_dir() else Path(mnt)

            if fstype == "cgroup2" and "" in own:
                v2 = here(own[""])
            elif fstype == "cgroup":
                for c in post_f[2].split(","):
                    if c in ("memory", "pids", "cpu") and c in own:
                        v1[c] = here(own[c])
    return v1, v2


def _v2_has_controllers(path: Path) -> bool:
    """False on hybrid hosts, whose v2 hierarchy has no controllers (they are all on v1)."""
    try:
        return bool({"memory", "pids"} & set((path / "cgroup.controllers").read_text().split()))
    except OSError:
        return False


def _remove_stale(base: Path) -> None:
    """Empty cgroups left by a harness that was killed (e.g. a lost Ray worker)."""
    with contextlib.suppress(OSError):
        for d in base.glob("mlebench-*"):
            try:
                os.kill(int(d.name.split("-")[1]), 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    d.rmdir()  # fails, harmlessly, while it holds processes
            except (ValueError, IndexError, PermissionError):
                pass


class Cgroup:
    """A cgroup (one folder per v1 controller, or one v2 folder) holding one run's processes."""

    def __init__(self, version: str, dirs: dict[str, Path]):
        self.version = version
        self.dirs = dirs  # controller -> folder ("" for v2's single folder)

    @classmethod
    def create(cls, name: str, limits: Limits, notes: list[str]) -> Cgroup | None:
        v1, v2 = cgroup_mounts()
        for base in {*v1.values(), *([v2] if v2 else [])}:
            _remove_stale(base)
        if v2 is not None and _v2_has_controllers(v2):
            try:
                return cls._create_v2(v2, name, limits)
            except OSError as e:
                notes.append(f"cgroup v2 unusable ({e.strerror or e})")
        # memory and pids always: they also count (peak memory, OOM kills) and list the processes.
        wanted = {"memory": limits.memory_bytes, "pids": limits.pids_max, "cpu": limits.cpus}
        dirs: dict[str, Path] = {}
        for ctrl, value in wanted.items():
            if ctrl not in v1 or (value is None and ctrl == "cpu"):
                continue
            d = v1[ctrl] / name
            try:
                d.mkdir()
                dirs[ctrl] = d
                if value is None:
                    pass
                elif ctrl == "memory":
                    (d / "memory.limit_in_bytes").write_text(str(value))
                    if (d / "memory.memsw.limit_in_bytes").exists():  # no escape into swap
                        (d / "memory.memsw.limit_in_bytes").write_text(str(value))
                elif ctrl == "pids":
                    (d / "pids.max").write_text(str(value))
                else:
                    (d / "cpu.cfs_period_us").write_text("100000")
                    (d / "cpu.cfs_quota_us").write_text(str(max(1000, int(value * 100000))))
            except OSError as e:
                notes.append(f"cgroup v1 {ctrl} unusable ({e.strerror or e})")
                with contextlib.suppress(OSError):
                    d.rmdir()
                dirs.pop(ctrl, None)
        return cls("v1", dirs) if dirs else None

    @classmethod
    def _create_v2(cls, base: Path, name: str, limits: Limits) -> Cgroup:
        needed = {c for c, v in (("memory", limits.memory_bytes), ("pids", limits.pids_max),
                                 ("cpu", limits.cpus)) if v is not None}
        available = set((base / "cgroup.controllers").read_text().split())
        if needed - available:
            raise OSError(0, f"controllers {sorted(needed - available)} not delegated")
        needed |= {"memory", "pids"} & available  # for accounting even without a limit
        enabled = set((base / "cgroup.subtree_control").read_text().split())
        if needed - enabled:
            # Fails (EBUSY) when our own cgroup holds processes: then fall back to v1/rlimits.
            (base / "cgroup.subtree_control").write_text(
                " ".join(f"+{c}" for c in sorted(needed - enabled)))
        d = base / name
        d.mkdir()
        try:
            if limits.memory_bytes is not None:
                (d / "memory.max").write_text(str(limits.memory_bytes))
                if (d / "memory.swap.max").exists():
                    (d / "memory.swap.max").write_text("0")
            if limits.pids_max is not None:
                (d / "pids.max").write_text(str(limits.pids_max))
            if limits.cpus is not None:
                (d / "cpu.max").write_text(f"{max(1000, int(limits.cpus * 100000))} 100000")
        except OSError:
            d.rmdir()
            raise
        return cls("v2", {"": d, **{c: d for c in needed}})

    @property
    def controllers(self) -> list[str]:
        return sorted(c for c in self.dirs if c)

    def add(self, pid: int) -> None:
        for d in set(self.dirs.values()):
            (d / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        out: set[int] = set()
        for d in set(self.dirs.values()):
            with contextlib.suppress(OSError, ValueError):
                out |= {int(x) for x in (d / "cgroup.procs").read_text().split()}
        return out

    def kill_all(self) -> None:
        """SIGKILL every process until the cgroup is empty (forks racing the sweep included)."""
        kill_file = self.dirs.get("", Path("/nonexistent")) / "cgroup.kill"
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            if kill_file.exists():
                with contextlib.suppress(OSError):
                    kill_file.write_text("1")
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def oom_kills(self) -> int:
        d = self.dirs.get("memory")
        if d is None:
            return 0
        try:
            if self.version == "v2":
                text = (d / "memory.events").read_text()
            else:
                text = (d / "memory.oom_control").read_text()
            for line in text.splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
            if self.version == "v1":  # old kernels: no oom_kill counter, only the failure count
                return int((d / "memory.memsw.failcnt").read_text()
                           if (d / "memory.memsw.failcnt").exists()
                           else (d / "memory.failcnt").read_text()) and 1
        except (OSError, ValueError):
            pass
        return 0

    def peak_memory(self) -> int | None:
        d = self.dirs.get("memory")
        if d is None:
            return None
        name = "memory.peak" if self.version == "v2" else "memory.max_usage_in_bytes"
        with contextlib.suppress(OSError, ValueError):
            return int((d / name).read_text())
        return None

    def remove(self) -> None:
        for d in set(self.dirs.values()):
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill_all()
                    time.sleep(0.02)

