"""The agent's writable folders for one run, and taking their contents in afterwards.

When the harness can (root, loop devices, mkfs.ext4), the folders live on an ext4 filesystem image
of their own, sized to the run's disk limit: a write beyond the limit fails (ENOSPC) instead of
being noticed by polling after the fact, a sparse file cannot make the harness read a terabyte, and
the sandbox's mount table shows a loop device instead of the host path of the run folder. Else they
live in a plain folder next to the run and the sandbox's watch loop polls their size.

Either way the agent's files never become the run's record directly: after the sandbox is gone the
harness copies what it will keep through the intake (`mlebench.intake.copy_tree`: regular files
only, links and special files refused and listed) into the run folder and writes `intake.json`.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psutil

from mlebench.intake import IntakeRefused, IntakeReport, copy_file, copy_tree, safe_name
from mlebench.runtime.run_folder import RunFolder

FOLDERS = RunFolder.AGENT_FOLDERS
OUT = ".out"  # harness-side folder on the workspace filesystem: the agent's stdout/stderr
AGENT_KEEP_BYTES = 1 << 30  # agent/ is the agent's scratch space: at most this much of it is kept
INTAKE_FILE = RunFolder.INTAKE
HARNESS_DIR, ROOT_NAME, OWNER = ".harness", "workspace", "workspace.owner"
_MIN_IMAGE = 16 * 2**20


@dataclass
class Workspace:
    root: Path               # holds submission/ logs/ code/ agent/ and .out/
    kind: str                # "ext4-image" or "folder"
    limit_bytes: int | None
    image: Path | None = None
    baseline_used: int = 0   # filesystem metadata in use before the agent starts
    note: str | None = None  # why there is no filesystem of its own

    @property
    def dirs(self) -> dict[str, Path]:
        return {name: self.root / name for name in FOLDERS}

    @property
    def stdout_path(self) -> Path:
        return self.root / OUT / "agent.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.root / OUT / "agent.stderr.log"

    @property
    def filesystem(self) -> Path | None:
        """The mount whose usage the watch loop polls (statvfs), when the folders have one."""
        return self.root if self.kind == "ext4-image" else None

    def describe(self) -> str:
        if self.kind == "ext4-image":
            return (f"writable folders and output logs on an ext4 image of their own holding "
                    f"{self.limit_bytes} bytes (writes beyond it fail); killed when it is full")
        base = "writable folders in a plain folder"
        return f"{base}; harness polls their size" + (f" ({self.note})" if self.note else "")

    def close(self) -> None:
        """Unmount and delete the image (its contents were taken in already)."""
        if self.kind == "ext4-image":
            _umount(self.root)
            if self.image is not None:
                self.image.unlink(missing_ok=True)
        if not os.path.ismount(self.root):  # never delete inside a filesystem still mounted
            shutil.rmtree(self.root, ignore_errors=True)
        (self.root.parent / OWNER).unlink(missing_ok=True)


def _can_mount() -> str | None:
    """None when an ext4 image can be loop-mounted here, else why not."""
    if os.geteuid() != 0:
        return "not root: no filesystem of its own"
    if not Path("/dev/loop-control").exists():
        return "no loop devices"
    if shutil.which("mkfs.ext4") is None or shutil.which("mount") is None:
        return "mkfs.ext4 or mount missing"
    return None


def _mkfs(image: Path, size: int, uid: int, gid: int) -> None:
    with open(image, "wb") as f:
        f.truncate(size)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal",
                    "-E", f"lazy_itable_init=1,root_owner={uid}:{gid}", str(image)],
                   check=True, capture_output=True, timeout=120)


def _available(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def _mount(image: Path, mountpoint: Path) -> None:
    subprocess.run(["mount", "-o", "loop,nosuid,nodev", str(image), str(mountpoint)],
                   check=True, capture_output=True, timeout=60)


def _umount(mountpoint: Path) -> None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(["umount", str(mountpoint)], capture_output=True, timeout=60)
    if os.path.ismount(mountpoint):  # still busy: detach now, the kernel frees it when unused
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, timeout=60)


def _mountpoints() -> list[str]:
    points = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            fields = line.split()
            if len(fields) > 4:  # mountinfo escapes space, tab, newline and backslash as octal
                points.append(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)),
                                     fields[4]))
    return points


def unmount_stale(folder: Path) -> None:
    """Unmount workspaces left mounted under `folder` by a harness that was killed, so that the
    folder can be removed (resuming a run group starts unfinished runs over)."""
    prefix = str(Path(folder).resolve()) + "/"
    for point in sorted(_mountpoints(), key=len, reverse=True):
        if point.startswith(prefix):
            _umount(Path(point))


def _owner_alive(mountpoint: str) -> bool:
    """Whether the harness process that mounted this workspace (its `owner` file: pid and start
    time) still runs. A harness killed mid-run (a lost Ray worker) leaves its mount behind."""
    try:
        pid, started = (Path(mountpoint).parent / OWNER).read_text().split()
        return psutil.Process(int(pid)).create_time() == float(started)
    except (OSError, ValueError, psutil.Error):
        return False


def sweep_stale() -> None:
    """Unmount every workspace whose harness process is gone (any folder, any run group)."""
    for point in _mountpoints():
        if point.endswith(f"/{ROOT_NAME}") and Path(point).parent.name == HARNESS_DIR \
                and not _owner_alive(point):
            _umount(Path(point))


def create(parent: Path, limit_bytes: int | None, uid: int | None, gid: int | None) -> Workspace:
    """Make the workspace under `parent` (a harness-owned folder, never bound into a sandbox)."""
    parent.mkdir(parents=True, exist_ok=True)
    sweep_stale()
    me = psutil.Process()
    (parent / OWNER).write_text(f"{me.pid} {me.create_time()}")
    root = parent / ROOT_NAME
    root.mkdir()
    reason = "no --disk limit" if limit_bytes is None else _can_mount()
    ws = Workspace(root, "folder", limit_bytes, note=reason)
    if reason is None:
        assert limit_bytes is not None
        image = parent / "workspace.img"
        owner = (uid if uid is not None else os.getuid(), gid if gid is not None else os.getgid())
        try:
            # ext4 keeps some of the image for itself: size it so that the agent gets the limit.
            size = max(_MIN_IMAGE, limit_bytes)
            _mkfs(image, size, *owner)
            _mount(image, root)
            avail = _available(root)
            if avail < limit_bytes * 0.99:
                _umount(root)
                if os.path.ismount(root):  # never rewrite an image that is still mounted
                    raise OSError(0, "the first image could not be unmounted")
                size = max(_MIN_IMAGE, math.ceil(size + (limit_bytes - avail) * 1.02) + 2**20)
                _mkfs(image, size, *owner)
                _mount(image, root)
            ws = Workspace(root, "ext4-image", limit_bytes, image=image)
            shutil.rmtree(root / "lost+found", ignore_errors=True)
        except (OSError, subprocess.SubprocessError) as e:
            _umount(root)
            image.unlink(missing_ok=True)
            detail = getattr(e, "stderr", b"") or b""
            ws = Workspace(root, "folder", limit_bytes, note="loop-mounted image failed: "
                           + (detail.decode(errors="replace").strip()[:200] or str(e)))
    for d in [*ws.dirs.values(), root / OUT]:
        d.mkdir(exist_ok=True)
    if ws.kind == "ext4-image":
        st = os.statvfs(root)
        ws.baseline_used = (st.f_blocks - st.f_bfree) * st.f_frsize
    return ws


def take_in(ws: Workspace, run_dir: Path) -> IntakeReport:
    """Copy the workspace's plain files into the run folder through the intake; write intake.json.

    submission/, logs/ and code/ are kept whole (they are bounded by the disk limit); of agent/, the
    agent's scratch space, at most `AGENT_KEEP_BYTES`. The output logs are kept too."""
    report = IntakeReport()
    # Never more than half the free space where the copies go: with no disk limit (or a sparse
    # file whose apparent size is a terabyte), copying must not fill the host's disk.
    free = shutil.disk_usage(run_dir).free // 2
    cap = min(ws.limit_bytes, free) if ws.limit_bytes is not None else free
    for name in FOLDERS:
        sub = IntakeReport()
        copy_tree(ws.root, run_dir, name, sub, min(cap, AGENT_KEEP_BYTES) if name == "agent"
                  else cap)
        report.taken += sub.taken
        report.refused += sub.refused
        report.notes += sub.notes
        report.bytes_taken += sub.bytes_taken
    for src in (ws.stdout_path, ws.stderr_path):
        try:
            taken = copy_file(ws.root, f"{OUT}/{src.name}", run_dir / src.name, cap)
            taken.path = src.name
            report.taken.append(taken)
        except IntakeRefused as e:
            if e.kind != "missing":  # the launcher always makes both; anything else is refused
                report.refused.append({"path": safe_name(src.name), "kind": e.kind,
                                       "reason": e.reason})
            (run_dir / src.name).write_bytes(b"")
    (run_dir / INTAKE_FILE).write_text(json.dumps(
        {"workspace": ws.kind, **report.to_dict()}, indent=2))
    return report
