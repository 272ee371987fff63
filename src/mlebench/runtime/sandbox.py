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
of the writable folders by the harness's watch loop (limit_watch.py). At the time limit the sandbox's command (the
forwarder, which passes it on to the agent) gets SIGTERM; after the grace period the harness kills
the PID namespace's init, which makes the kernel kill every process in the namespace, then sweeps
the cgroup.

The pieces: the spec's types (sandbox_spec.py), the layout and bubblewrap's command line
(sandbox_layout.py), the cgroup (cgroups.py) and the limits watched while the run lives
(limit_watch.py); this module checks bubblewrap works and runs one spec from start to end.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlebench import intake
from mlebench.errors import MLEBenchError
from mlebench.runtime import netns, seccomp
from mlebench.runtime.cgroups import Cgroup
from mlebench.runtime.limit_watch import (
    POLL_S,
    apply_rlimits,
    disk_check,
    kill_everything,
    read_info,
    watch,
)
from mlebench.runtime.sandbox_layout import (
    bwrap_args,
    check_spec,
    give_to_sandbox_user,
    host_python_mounts,
    system_binds,
    unreadable_mounts,
    uses_slirp,
)
from mlebench.runtime.sandbox_spec import (
    SANDBOX_GID,
    SANDBOX_UID,
    SANDBOX_USER,
    Limits,
    Mount,
    SandboxResult,
    SandboxSpec,
    Status,
)
from mlebench.runtime.staging import stage_mounts

# The names callers import from here (the sandbox's API), wherever they are defined.
__all__ = ["SANDBOX_GID", "SANDBOX_UID", "SANDBOX_USER", "INSTALL_HINT", "Limits", "Mount",
           "SandboxResult", "SandboxSpec", "SandboxUnavailable", "Status", "check_available",
           "disk_check", "host_python_mounts", "run_sandboxed"]

INSTALL_HINT = ("bubblewrap is required for sandboxed runs: install it with "
                "`apt-get update && apt-get install -y bubblewrap` (or pass --unsafe-no-sandbox).")


class SandboxUnavailable(MLEBenchError):
    """bubblewrap is missing or cannot create namespaces here."""



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
                args = [bwrap, "--die-with-parent", *system_binds(), "--proc", "/proc",
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



# Starting a sandbox can fail for a moment (bubblewrap setting up a new network namespace's
# loopback while another sandbox starts: "loopback: Failed RTM_NEWADDR"); such a start is tried
# again, at most this many times in all, when the agent's command provably never started.
START_ATTEMPTS = 3


def run_sandboxed(spec: SandboxSpec, unsafe_no_sandbox: bool = False) -> SandboxResult:
    """Run spec.command in the sandbox until it exits or a limit is hit; never raises for what
    the agent does (only for a bad spec or a missing bubblewrap)."""
    if not unsafe_no_sandbox:
        check_available()
        check_spec(spec)
        give_to_sandbox_user(spec)
    failed_starts: list[str] = []
    while True:
        result, started = _run_once(spec, unsafe_no_sandbox)
        if started or len(failed_starts) + 1 >= START_ATTEMPTS or result.status != "crashed":
            break
        # The sandbox died before the agent's first instruction: nothing of the agent ran.
        failed_starts.append(_start_error(spec.stderr_path))  # the next start truncates the file
        time.sleep(0.2 * len(failed_starts))
    if failed_starts:
        result.enforcement["failed_starts"] = failed_starts
    return result


def _start_error(stderr_path: Path) -> str:
    """bubblewrap's message (the agent never ran, so the log holds nothing else), read through
    the intake like any file of a run."""
    try:
        text, _ = intake.read_text(stderr_path.parent, stderr_path.name, max_bytes=300)
    except intake.IntakeRefused:
        return ""
    return text.strip()


def _run_once(spec: SandboxSpec, unsafe_no_sandbox: bool) -> tuple[SandboxResult, bool]:
    """One sandbox run, and whether the agent's command started (always True unsandboxed)."""
    limits = spec.limits
    started_at = datetime.now(UTC)
    t0 = time.monotonic()
    notes: list[str] = [] if unsafe_no_sandbox else unreadable_mounts(spec)
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
        slirp = uses_slirp(spec)
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
    cg = Cgroup.create(name, limits, notes)
    if cg is not None:
        enforcement["cgroups"] = cg.version
        enforcement["cgroup_controllers"] = cg.controllers
    tmp = Path(tempfile.mkdtemp(prefix="mlebench-sandbox-"))
    spec.stdout_path.parent.mkdir(parents=True, exist_ok=True)
    spec.stderr_path.parent.mkdir(parents=True, exist_ok=True)
    gate_r, gate_w = os.pipe()
    info_r, info_w = os.pipe()
    # bubblewrap reads one byte from this once the sandbox is set up, just before it starts the
    # command (under "open", only once slirp4netns has set up the network): a byte still there
    # afterwards (the harness keeps block_r to look) means the agent's command never started.
    block_r, block_w = (-1, -1) if unsafe_no_sandbox else os.pipe()
    proc: subprocess.Popen | None = None
    pass_fds: list[int] = [] if unsafe_no_sandbox else [info_w, block_r]
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
            options, command = bwrap_args(dataclasses.replace(spec, mounts=mounts), tmp, info_w,
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
        for fd in (args_fd, seccomp_fd):
            if fd >= 0:
                os.close(fd)
        args_fd = seccomp_fd = -1
        try:
            if cg is not None:
                cg.add(proc.pid)
            apply_rlimits(proc.pid, limits, cg, enforcement, bool(spec.gpus))
        finally:
            os.write(gate_w, b"go\n")
            os.close(gate_w)
            gate_w = -1
        init_pid = None
        if block_w >= 0:
            if uses_slirp(spec):
                init_pid = _await_init(proc, info_r)
                if init_pid is not None:
                    slirp_helper = netns.Slirp(init_pid, tmp / "slirp4netns.log")
            os.write(block_w, b"1")  # block_r is still open here: never EPIPE
        status, exit_code, extra = watch(proc, spec, cg, info_r, t0, unsafe_no_sandbox,
                                          init_pid=init_pid)
        enforcement.update(extra)
        started = unsafe_no_sandbox or not _read_ready(block_r)
        finished = True
    finally:
        for fd in (gate_r, gate_w, info_r, info_w, args_fd, seccomp_fd, block_r, block_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if proc is not None and proc.returncode is None:  # an error of ours: leave nothing
            kill_everything(proc, None, cg)
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
                         ended_at=ended_at, enforcement=enforcement,
                         peak_memory_bytes=peak), started


def _read_ready(fd: int) -> bytes:
    """What is already in the pipe (one byte at most), without waiting."""
    if not select.select([fd], [], [], 0)[0]:
        return b""
    with contextlib.suppress(OSError):
        return os.read(fd, 1)
    return b""


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
        info = read_info(info_fd, buf)
        if info:
            return int(info["child-pid"])
        # Peek without reaping: the watch loop reaps and reports it.
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return None
        select.select([info_fd], [], [], POLL_S)
    return None

