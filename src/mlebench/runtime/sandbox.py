"""The local sandbox: one agent process tree under bubblewrap, with limits the harness enforces.

Layout inside: a fresh tmpfs root holding read-only binds of the system directories (/usr and the
merged-/usr symlinks, a few /etc files), a new /proc, a minimal /dev, a fresh /tmp, /var/tmp and /dev/shm,
then the spec's mounts (for runs: the agent's Python environment, see mlebench.envs), writable
run folders and Unix sockets, and empty read-only folders over the spec's `masked` paths (the
host's site-packages). Nothing else of the host exists there: no home, no answers, no other run,
no harness files, not the harness's own Python environment.

Isolation: new PID, IPC, UTS, mount and network namespaces (under "open", slirp4netns gives the
network namespace a way out without the host's loopback: see netns.py). When
the harness runs as root the agent is switched to an unprivileged host uid (setpriv) with every
capability dropped, the bounding set cleared and no_new_privs set; otherwise bubblewrap's user
namespace maps it to the invoking user, again with all capabilities dropped.
Either way a seccomp deny-list (seccomp.py) refuses new namespaces, mounts, ptrace, keyrings,
eBPF, perf and the rest of the container runtimes' list, and the read-only mounts are re-sourced
from a staging folder (staging.py) so that /proc/self/mountinfo does not show their host paths.

Limits: memory, process count and CPU through a cgroup made for the run (v2 where its controllers
are available, else v1), with rlimits/CPU affinity as the fallback; wall-clock time and disk use
of the writable folders by this module's watch loop. At the time limit the sandbox's command (the
forwarder, which passes it on to the agent) gets SIGTERM; after the grace period the harness kills
the PID namespace's init, which makes the kernel kill every process in the namespace, then sweeps
the cgroup.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from mlebench.errors import MLEBenchError
from mlebench.runtime import netns, seccomp
from mlebench.runtime.staging import stage_mounts

# The agent's host uid when the harness is root: one no host account should use (uid 1000 is often
# a real person's), so an escaped agent owns nothing of the host's.
SANDBOX_UID = 61000
SANDBOX_GID = 61000
SANDBOX_USER = "agent"
INSTALL_HINT = ("bubblewrap is required for sandboxed runs: install it with "
                "`apt-get update && apt-get install -y bubblewrap` (or pass --unsafe-no-sandbox).")

# /etc files programs commonly read; the host's users, hosts and secrets are not among them.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone",
             "nsswitch.conf", "protocols", "services", "mime.types", "ssl", "ca-certificates",
             "ca-certificates.conf", "alternatives", "debian_version", "os-release",
             "fonts", "gai.conf", "host.conf", "xattr.conf")
POLL_S = 0.02

Status = Literal["completed", "timed-out", "crashed", "killed-for-memory", "killed-for-disk"]


class SandboxUnavailable(MLEBenchError):
    """bubblewrap is missing or cannot create namespaces here."""


@dataclass(frozen=True)
class Mount:
    source: Path      # host path
    target: str       # absolute path inside the sandbox
    read_only: bool = True
    # Re-sourced from a staging folder so mountinfo hides the host path (runtime/staging.py);
    # off for the agent's environment: large, and its path tells nothing about the answers.
    stage: bool = True


@dataclass(frozen=True)
class Limits:
    time_limit_s: float
    memory_bytes: int | None = None
    cpus: float | None = None
    pids_max: int | None = 512
    disk_bytes: int | None = None    # total size of the writable folders and the output logs
    grace_period_s: float = 30.0     # between SIGTERM and SIGKILL at the time limit
    # A filesystem of their own holding the writable folders (see runtime.workspace): its usage
    # is read with statvfs (cheap, exact) instead of walking the folders.
    disk_filesystem: Path | None = None
    disk_baseline_bytes: int = 0


@dataclass(frozen=True, kw_only=True)
class SandboxSpec:
    command: list[str]
    mounts: list[Mount]
    writable_dirs: list[Mount]
    env: dict[str, str]              # the whole environment inside
    stdout_path: Path
    stderr_path: Path
    limits: Limits
    workdir: str = "/home"
    network: Literal["none", "llm-only", "open"] = "none"
    extra_sockets: list[Mount] = field(default_factory=list)
    gpus: list[int] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # shown as empty read-only folders
    # Set by the caller to end the run early, as at the time limit (inspect's sample ended).
    stop: threading.Event | None = field(default=None, compare=False)


@dataclass
class SandboxResult:
    """status: "completed" (exit 0), "crashed" (other exit), "timed-out" (wall clock),
    "killed-for-memory" (the cgroup's OOM killer fired and the agent died of it),
    "killed-for-disk" (writable folders and logs above limits.disk_bytes)."""

    status: Status
    exit_code: int | None
    started_at: datetime
    ended_at: datetime
    enforcement: dict[str, Any]
    peak_memory_bytes: int | None


# --------------------------------------------------------------------------- availability

_probe_lock = threading.Lock()
_probe_result: str | None = None  # "" when bubblewrap works, else the reason it does not


def _bwrap() -> str | None:
    return shutil.which("bwrap") or next(
        (p for p in ("/usr/bin/bwrap", "/usr/local/bin/bwrap") if os.access(p, os.X_OK)), None)


def check_available() -> None:
    """Raise SandboxUnavailable unless bubblewrap can create the namespaces the sandbox uses."""
    global _probe_result
    with _probe_lock:
        if _probe_result is None:
            bwrap = _bwrap()
            if bwrap is None:
                _probe_result = "bubblewrap (bwrap) is not installed."
            else:
                args = [bwrap, "--die-with-parent", *_system_binds(), "--proc", "/proc",
                        "--dev", "/dev", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                        "--unshare-net"]
                if os.geteuid() != 0:
                    args += ["--unshare-user", "--cap-drop", "ALL"]
                try:
                    r = subprocess.run([*args, "--", "/bin/sh", "-c", "exit 0"],
                                       capture_output=True, text=True, timeout=30, env={})
                    _probe_result = "" if r.returncode == 0 else (
                        f"bubblewrap cannot create namespaces here: {r.stderr.strip()[:200]}.")
                except (OSError, subprocess.SubprocessError) as e:
                    _probe_result = f"bubblewrap failed to run: {e}."
        if _probe_result:
            raise SandboxUnavailable(f"{_probe_result} {INSTALL_HINT}")


# --------------------------------------------------------------------------- cgroups

def _cgroup_mounts() -> tuple[dict[str, Path], Path | None]:
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


class _Cgroup:
    """A cgroup (one folder per v1 controller, or one v2 folder) holding one run's processes."""

    def __init__(self, version: str, dirs: dict[str, Path]):
        self.version = version
        self.dirs = dirs  # controller -> folder ("" for v2's single folder)

    @classmethod
    def create(cls, name: str, limits: Limits, notes: list[str]) -> _Cgroup | None:
        v1, v2 = _cgroup_mounts()
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
    def _create_v2(cls, base: Path, name: str, limits: Limits) -> _Cgroup:
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


# --------------------------------------------------------------------------- command line

def _system_binds() -> list[str]:
    """/usr read-only, and the top-level /bin, /lib... as they are on the host (merged-/usr
    symlinks or directories)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        p = Path("/") / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    return args


def host_python_mounts() -> list[Mount]:
    """Read-only mounts that let `sys.executable` (the harness's own Python) run inside: its
    environment and its base interpreter's prefix (a venv's python links into it). For tests and
    benchmarks of the sandbox itself; runs get their agent environment instead (mlebench.envs)."""
    out: list[Mount] = [Mount(Path(sys.prefix), sys.prefix)]
    for p in {Path(sys.base_prefix).resolve(), Path(sys.base_exec_prefix).resolve()}:
        if p != Path("/usr") and not p.is_relative_to("/usr") and p != Path("/"):
            out.append(Mount(p, str(p)))
    return out


def _etc_files(tmp: Path, network: str, slirp: bool = False) -> list[list[str]]:
    """A minimal /etc: system files programs read, plus generated users/hosts files."""
    args: list[list[str]] = []
    for name in ETC_FILES:
        p = Path("/etc") / name
        if p.exists():
            args.append(["--ro-bind", str(p), str(p)])
    # Our own users: some libraries (getpass.getuser, torch) fail for a uid without an entry.
    (tmp / "passwd").write_text(f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                f"{SANDBOX_USER}:x:{SANDBOX_UID}:{SANDBOX_GID}::/home:/bin/sh\n"
                                "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    (tmp / "group").write_text(f"root:x:0:\n{SANDBOX_USER}:x:{SANDBOX_GID}:\nnogroup:x:65534:\n")
    (tmp / "hosts").write_text("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
                               "127.0.1.1\tsandbox\n")
    for name in ("passwd", "group"):
        args.append(["--ro-bind", str(tmp / name), f"/etc/{name}"])
    if network == "open" and not slirp:  # the host's own network namespace
        args += [["--ro-bind-try", "/etc/resolv.conf", "/etc/resolv.conf"],
                 ["--ro-bind-try", "/etc/hosts", "/etc/hosts"]]
    else:
        args.append(["--ro-bind", str(tmp / "hosts"), "/etc/hosts"])
    if slirp:
        (tmp / "resolv.conf").write_text(f"nameserver {netns.SLIRP_DNS}\n")
        args.append(["--ro-bind", str(tmp / "resolv.conf"), "/etc/resolv.conf"])
    return args


def _parents(targets: list[str], bound: set[str], fresh: frozenset[str] = frozenset()) -> list[str]:
    """Ancestor folders of the targets, outermost first, except those inside a bound folder.

    `fresh` folders (the sandbox's own empty tmpfs, e.g. /tmp) exist but their sub-folders do
    not: those are listed, so a harness living under /tmp still gets traversable parents."""
    out: list[str] = []
    for t in targets:
        for p in reversed(Path(os.path.normpath(t)).parents[:-1]):
            s = str(p)
            inside = any(s == b or s.startswith(b + "/") for b in bound - fresh)
            if s not in out and s not in fresh and not inside:
                out.append(s)
    return sorted(out, key=lambda s: s.count("/"))


def _gpu_devices(gpus: list[int]) -> list[list[str]]:
    """NVIDIA device nodes when GPUs are requested. All GPU nodes are bound and
    CUDA_VISIBLE_DEVICES (set by the caller) selects: CUDA's numbering needs them all."""
    if not gpus:
        return []
    if not Path("/dev/nvidia-uvm").exists() and shutil.which("nvidia-modprobe"):
        # CUDA creates this node on first use, which the unprivileged agent cannot do.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["nvidia-modprobe", "-u", "-c=0"], capture_output=True, timeout=30)
    return [["--dev-bind", str(p), str(p)] for p in sorted(Path("/dev").glob("nvidia*"))
            if not p.is_dir()]


def _slirp(spec: SandboxSpec) -> bool:
    return spec.network == "open" and netns.slirp4netns() is not None


def _bwrap_args(spec: SandboxSpec, tmp: Path, info_fd: int,
                block_fd: int = -1) -> tuple[list[str], list[str]]:
    """(bubblewrap's options, the command it runs). The options go through --args so that the
    sandbox's /proc/1/cmdline shows no host path and no environment value. With block_fd, the
    command waits until the harness writes to it (once slirp4netns has set up the network)."""
    root = os.geteuid() == 0
    args = ["--die-with-parent", "--new-session", "--info-fd", str(info_fd),
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "sandbox"]
    if spec.network != "open" or _slirp(spec):
        # Loopback of its own; llm-only leaves via the bound proxy socket, open via slirp4netns.
        args.append("--unshare-net")
    if block_fd >= 0:
        args += ["--block-fd", str(block_fd)]
    if not root:
        args += ["--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_GID),
                 "--disable-userns", "--cap-drop", "ALL"]
    binds: list[list[str]] = []  # [flag, source, target], applied after their parents exist
    binds += _etc_files(tmp, spec.network, _slirp(spec))
    binds += [["--ro-bind-try", p, p] for p in ("/sys/devices/system/cpu",
                                                "/sys/devices/system/node")]
    binds += _gpu_devices(spec.gpus)
    for m in spec.mounts:
        binds.append(["--ro-bind" if m.read_only else "--bind", str(m.source), m.target])
    for m in [*spec.writable_dirs, *spec.extra_sockets]:  # connect() needs write access
        binds.append(["--bind", str(m.source), m.target])
    args += _system_binds()
    # tmpfs is memory: capped at the memory limit even where no cgroup would count it.
    size = ["--size", str(spec.limits.memory_bytes)] if spec.limits.memory_bytes else []
    args += ["--proc", "/proc", "--dev", "/dev",
             "--perms", "1777", *size, "--tmpfs", "/tmp",
             "--perms", "1777", *size, "--tmpfs", "/dev/shm",
             # As in any Linux image (inspect_ai, for one, installs its tools there).
             "--perms", "1777", *size, "--tmpfs", "/var/tmp"]
    # bubblewrap would create missing parents as 0700 root folders the agent cannot traverse.
    for d in _parents([b[2] for b in binds] + [os.path.join(spec.workdir, "_")],
                      {b[2] for b in binds} | {"/usr", "/proc", "/dev", "/tmp"},
                      frozenset({"/tmp"})):
        args += ["--perms", "0755", "--dir", d]
    for b in binds:
        args += b
    if spec.masked:
        (tmp / "empty").mkdir(mode=0o755, exist_ok=True)
        for path in spec.masked:
            args += ["--ro-bind", str(tmp / "empty"), path]
    args += ["--chdir", spec.workdir, "--clearenv"]
    for key, value in spec.env.items():
        args += ["--setenv", key, value]
    command = ["--"]
    if root:
        # Become an unprivileged host uid: no capabilities (so mounts cannot be undone), an empty
        # bounding set and no_new_privs (so no setuid binary gives them back).
        command += ["/usr/bin/setpriv", f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_GID}",
                    "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                    "--"]
    return args, [*command, *spec.command]


def _check_spec(spec: SandboxSpec) -> None:
    for m in [*spec.mounts, *spec.writable_dirs, *spec.extra_sockets]:
        if not m.target.startswith("/"):
            raise MLEBenchError(f"Sandbox mount target must be absolute: {m.target}")
        if not Path(m.source).exists():
            raise MLEBenchError(f"Sandbox mount source does not exist: {m.source}")
    for m in spec.writable_dirs:
        if not Path(m.source).is_dir():
            raise MLEBenchError(f"Writable sandbox folder is not a folder: {m.source}")


def _unreadable_mounts(spec: SandboxSpec) -> list[str]:
    """Read-only sources the agent's uid cannot read (e.g. a 0700 folder made by mkdtemp)."""
    if os.geteuid() != 0:
        return []
    bad = []
    for m in spec.mounts:
        mode = os.stat(m.source).st_mode
        need = 0o005 if stat.S_ISDIR(mode) else 0o004
        if mode & need != need:
            bad.append(f"{m.source} is not readable by the sandbox user (mode {mode & 0o777:o})")
    return bad


def _give_to_sandbox_user(spec: SandboxSpec) -> None:
    """As root the agent is uid 1000: hand it its writable folders and the sockets it talks to."""
    if os.geteuid() != 0:
        return
    for m in spec.writable_dirs:
        for dirpath, dirnames, filenames in os.walk(m.source):
            for name in [".", *dirnames, *filenames]:
                with contextlib.suppress(OSError):
                    os.chown(os.path.join(dirpath, name), SANDBOX_UID, SANDBOX_GID,
                             follow_symlinks=False)
    for m in spec.extra_sockets:
        with contextlib.suppress(OSError):
            os.chown(m.source, SANDBOX_UID, SANDBOX_GID)


# --------------------------------------------------------------------------- running

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


def _apply_rlimits(pid: int, limits: Limits, cg: _Cgroup | None, enforcement: dict,
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


def run_sandboxed(spec: SandboxSpec, unsafe_no_sandbox: bool = False) -> SandboxResult:
    """Run spec.command in the sandbox until it exits or a limit is hit; never raises for what
    the agent does (only for a bad spec or a missing bubblewrap)."""
    limits = spec.limits
    if not unsafe_no_sandbox:
        check_available()
        _check_spec(spec)
        _give_to_sandbox_user(spec)
    started_at = datetime.now(UTC)
    t0 = time.monotonic()
    notes: list[str] = [] if unsafe_no_sandbox else _unreadable_mounts(spec)
    enforcement: dict[str, Any] = {
        "sandbox": None if unsafe_no_sandbox else "bubblewrap",
        "cgroups": None, "cgroup_controllers": [], "rlimits": [],
        "wall_clock": f"harness watch loop: SIGTERM at {limits.time_limit_s:g}s, SIGKILL of "
                      f"the whole tree {limits.grace_period_s:g}s later",
        "disk": ("harness polls the writable folders and logs, kills above "
                 f"{limits.disk_bytes} bytes") if limits.disk_bytes is not None else None,
    }
    if unsafe_no_sandbox:
        enforcement.update({"unsafe_no_sandbox": True, "network_namespace": False, "seccomp": None,
                            "pid_namespace": False, "capabilities": "unchanged (host user)"})
    else:
        root = os.geteuid() == 0
        slirp = _slirp(spec)
        own_net = spec.network != "open" or slirp
        enforcement.update({
            "namespaces": ["pid", "ipc", "uts", "mount", "cgroup"]
                          + (["net"] if own_net else [])
                          + ([] if root else ["user"]),
            "network_namespace": own_net, "network": spec.network,
            "outbound": _outbound(spec.network, slirp),
            "user": f"uid {SANDBOX_UID} gid {SANDBOX_GID}"
                    + (" (host uid, setpriv)" if root else " (user namespace)"),
            "capabilities": "all dropped (bounding set cleared, no_new_privs)" if root
                            else "all dropped",
            "gpus": {"ids": spec.gpus, "isolation": "CUDA_VISIBLE_DEVICES"} if spec.gpus else None,
        })

    name = f"mlebench-{os.getpid()}-{threading.get_ident() % 10**6}-{time.time_ns() % 10**9}"
    cg = _Cgroup.create(name, limits, notes)
    if cg is not None:
        enforcement["cgroups"] = cg.version
        enforcement["cgroup_controllers"] = cg.controllers
    tmp = Path(tempfile.mkdtemp(prefix="mlebench-sandbox-"))
    spec.stdout_path.parent.mkdir(parents=True, exist_ok=True)
    spec.stderr_path.parent.mkdir(parents=True, exist_ok=True)
    gate_r, gate_w = os.pipe()
    info_r, info_w = os.pipe()
    # Under "open" the command waits on this until slirp4netns has set up its network.
    block_r, block_w = os.pipe() if not unsafe_no_sandbox and _slirp(spec) else (-1, -1)
    proc: subprocess.Popen | None = None
    pass_fds: list[int] = [] if unsafe_no_sandbox else [info_w, *([block_r] if block_r >= 0 else [])]
    args_fd = seccomp_fd = -1
    finished = False
    slirp_helper: netns.Slirp | None = None
    try:
        if unsafe_no_sandbox:
            argv = list(spec.command)
            env, cwd = dict(spec.env), spec.workdir
        else:
            # Read-only sources re-homed so that mountinfo does not show their host paths.
            mounts, enforcement["mountinfo"] = stage_mounts(spec.mounts, tmp / "staged")
            options, command = _bwrap_args(dataclasses.replace(spec, mounts=mounts), tmp, info_w,
                                           block_r)
            program, enforcement["seccomp"] = seccomp.program()
            if program is not None:
                (tmp / "seccomp.bpf").write_bytes(program)
                seccomp_fd = os.open(tmp / "seccomp.bpf", os.O_RDONLY)
                pass_fds.append(seccomp_fd)
                options += ["--seccomp", str(seccomp_fd)]
            if any("\0" in a for a in options):
                raise MLEBenchError("Sandbox paths and environment values cannot contain NUL.")
            (tmp / "bwrap.args").write_text("".join(f"{a}\0" for a in options))
            args_fd = os.open(tmp / "bwrap.args", os.O_RDONLY)
            pass_fds.append(args_fd)
            bwrap = _bwrap()
            assert bwrap is not None
            argv = [bwrap, "--args", str(args_fd), *command]
            env, cwd = {}, "/"  # the host environment never reaches bwrap (nor /proc/1/environ)
        # The shell waits on the gate until the harness has put it in the cgroup and set its
        # rlimits, so that no process of the run ever starts outside them.
        with open(spec.stdout_path, "wb") as out, open(spec.stderr_path, "wb") as err:
            proc = subprocess.Popen(
                ["/bin/sh", "-c", 'read _ || exit 125; exec </dev/null; exec "$@"', "sh", *argv],
                stdin=gate_r, stdout=out, stderr=err, env=env, cwd=cwd,
                pass_fds=pass_fds, start_new_session=True)
        os.close(gate_r)
        os.close(info_w)
        gate_r = info_w = -1
        for fd in (args_fd, seccomp_fd, block_r):
            if fd >= 0:
                os.close(fd)
        args_fd = seccomp_fd = block_r = -1
        try:
            if cg is not None:
                cg.add(proc.pid)
            _apply_rlimits(proc.pid, limits, cg, enforcement, bool(spec.gpus))
        finally:
            os.write(gate_w, b"go\n")
            os.close(gate_w)
            gate_w = -1
        init_pid = None
        if block_w >= 0:
            init_pid = _await_init(proc, info_r)
            if init_pid is not None:
                slirp_helper = netns.Slirp(init_pid, tmp / "slirp4netns.log")
            with contextlib.suppress(OSError):  # the sandbox may have died already
                os.write(block_w, b"1")
        status, exit_code, extra = _watch(proc, spec, cg, info_r, t0, unsafe_no_sandbox,
                                          init_pid=init_pid)
        enforcement.update(extra)
        finished = True
    finally:
        for fd in (gate_r, gate_w, info_r, info_w, args_fd, seccomp_fd, block_r, block_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if proc is not None and proc.returncode is None:  # an error of ours: leave nothing
            _kill_everything(proc, None, cg)
            with contextlib.suppress(ChildProcessError):
                _, wstatus, _ = os.wait4(proc.pid, 0)  # its group was just SIGKILLed
                proc.returncode = os.waitstatus_to_exitcode(wstatus)
        if slirp_helper is not None:
            slirp_helper.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if not finished and cg is not None:
            cg.remove()
    ended_at = datetime.now(UTC)
    peak = cg.peak_memory() if cg is not None else None
    if peak is None:
        peak = enforcement.pop("_rusage_maxrss", None)
    else:
        enforcement.pop("_rusage_maxrss", None)
    if cg is not None:
        enforcement["oom_kills"] = cg.oom_kills()
        if status == "crashed" and enforcement["oom_kills"] > 0:
            status = "killed-for-memory"
        cg.remove()
    if notes:
        enforcement["notes"] = notes
    return SandboxResult(status=status, exit_code=exit_code, started_at=started_at,
                         ended_at=ended_at, enforcement=enforcement, peak_memory_bytes=peak)


def _outbound(network: str, slirp: bool) -> str:
    if network == "none":
        return "none: a loopback of its own only"
    if network == "llm-only":
        return "only the LLM proxy, through its bound Unix socket"
    if slirp:
        return "slirp4netns (user-mode NAT), host loopback disabled; a loopback of its own"
    return ("the host's network namespace (slirp4netns is not installed or cannot open "
            "/dev/net/tun): host loopback reachable")


def _await_init(proc: subprocess.Popen, info_fd: int, timeout_s: float = 30.0) -> int | None:
    """The sandbox's init pid from bubblewrap's --info-fd, None if bubblewrap exited first."""
    buf = bytearray()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        info = _read_info(info_fd, buf)
        if info:
            return int(info["child-pid"])
        # Peek without reaping: the watch loop reaps and reports it.
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return None
        select.select([info_fd], [], [], POLL_S)
    return None


def _read_info(fd: int, buf: bytearray) -> dict | None:
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


def _watch(proc: subprocess.Popen, spec: SandboxSpec, cg: _Cgroup | None, info_fd: int,
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
            info = _read_info(info_fd, info_buf)
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
                init_pid = int((_read_info(info_fd, info_buf) or {}).get("child-pid", 0)) or None
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


def _agent_pids(proc: subprocess.Popen, init_pid: int | None, cg: _Cgroup | None) -> set[int]:
    pids = cg.pids() if cg is not None else _tree(proc.pid)
    return pids - {proc.pid, init_pid or -1}


def _stop(proc: subprocess.Popen, init_pid: int | None, cg: _Cgroup | None, grace: float,
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
    _kill_everything(proc, init_pid, cg)
    for _ in range(500):
        done = _wait(proc)
        if done is not None:
            return done
        time.sleep(POLL_S)
    proc.kill()
    pid, wstatus, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(wstatus)
    return proc.returncode, rusage


def _terminate(proc: subprocess.Popen, init_pid: int | None, cg: _Cgroup | None,
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


def _kill_everything(proc: subprocess.Popen, init_pid: int | None, cg: _Cgroup | None) -> None:
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
