"""The local sandbox against a hostile agent: real bubblewrap, one attack per test, short limits.

The agent is a Python script run inside (tests/runtime/ hostile code below); it reports what each
attempt got as JSON on stdout. No test sends traffic anywhere but this host's own addresses.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest

from mlebench.runtime import cgroups
from mlebench.runtime import sandbox as sb

SECRET = f"answers-{uuid.uuid4().hex}"


def _bwrap_problem() -> str | None:
    try:
        sb.check_available()
        return None
    except sb.SandboxUnavailable as e:
        return str(e)


BWRAP_PROBLEM = _bwrap_problem()

HOSTILE = r'''
import ctypes, errno, json, os, signal, socket, subprocess, sys, time

def attempt(fn):
    try:
        return {"ok": True, "got": repr(fn())[:300]}
    except BaseException as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}"[:300]}

def read(path):
    with open(path, "rb") as f:
        return f.read()

def search(needles, skip=("/proc", "/sys", "/dev")):
    """Every path (file or folder) whose name contains a needle."""
    hits = []
    for d, dirs, files in os.walk("/"):
        if d.startswith(skip):
            dirs[:] = []
            continue
        hits += [os.path.join(d, n) for n in dirs + files if any(x in n for x in needles)]
    return hits

mode, args = sys.argv[1], sys.argv[2:]
out = {}
if mode == "identity":
    status = dict(l.split(":\t", 1) for l in read("/proc/self/status").decode().splitlines() if ":\t" in l)
    out = {"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(),
           "caps": {k: status[k].strip() for k in ("CapEff", "CapPrm", "CapBnd", "CapAmb")},
           "no_new_privs": status.get("NoNewPrivs", "").strip(), "env": dict(os.environ),
           "root": sorted(os.listdir("/")), "pid": os.getpid(), "cwd": os.getcwd()}
elif mode == "private":
    answers, other_run = args[:2]
    out["host_path"] = attempt(lambda: read(answers))
    out["other_run"] = attempt(lambda: read(other_run))
    out["other_run_dir"] = attempt(lambda: os.listdir(os.path.dirname(other_run)))
    out["proc_root"] = {p: attempt(lambda p=p: read(f"/proc/{p}/root{answers}"))
                        for p in os.listdir("/proc") if p.isdigit()}
    out["proc_1_root_ls"] = attempt(lambda: os.listdir("/proc/1/root"))
    out["proc_1_environ"] = attempt(lambda: read("/proc/1/environ"))
    out["proc_cmdlines"] = " ".join(repr(attempt(lambda p=p: read(f"/proc/{p}/cmdline")))
                                    for p in os.listdir("/proc") if p.isdigit())
    out["search"] = search(["answers.csv", "other-run-xyz", args[2]])
elif mode == "environ":
    out["env"] = dict(os.environ)
    out["proc_environ"] = {p: attempt(lambda p=p: read(f"/proc/{p}/environ").decode(errors="replace"))
                           for p in os.listdir("/proc") if p.isdigit()}
elif mode == "tcp":
    port, host = int(args[0]), (args[1] if len(args) > 1 else "127.0.0.1")
    def connect():
        with socket.create_connection((host, port), timeout=2) as s:
            return s.recv(100).decode()
    out["tcp"] = attempt(connect)
elif mode == "unix":
    def connect():
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(args[0])
            return s.recv(100).decode()
    out["unix"] = attempt(connect)
elif mode == "memory":
    chunks = []
    print("allocating", flush=True)
    while True:
        chunks.append(b"\x01" * (16 << 20))  # touched pages: resident, charged to the cgroup
elif mode == "forkbomb":
    failures = 0
    children = []
    deadline = time.time() + 1.5
    while time.time() < deadline:
        try:
            pid = os.fork()
        except OSError as e:
            failures += 1
            time.sleep(0.01)
            continue
        if pid == 0:  # every child forks too, forever
            while True:
                try:
                    os.fork()
                except OSError:
                    time.sleep(0.01)
        children.append(pid)
    print(json.dumps({"fork_failures": failures, "forked": len(children)}), flush=True)
    os._exit(0)
elif mode == "ignore-term":
    marker = args[0]
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A grandchild that leaves the session and ignores SIGTERM too: it must not survive.
    subprocess.Popen([sys.executable, "-c", "import signal,time; signal.signal(signal.SIGTERM, "
                      "signal.SIG_IGN); time.sleep(600)", marker], start_new_session=True)
    print("ignoring SIGTERM", flush=True)
    while True:
        time.sleep(0.1)
elif mode == "write":
    targets = args
    out = {t: attempt(lambda t=t: open(t, "w").write("pwned")) for t in targets}
    out["mkdir_root"] = attempt(lambda: os.mkdir("/evil"))
    out["chmod_data"] = attempt(lambda: os.chmod(os.path.dirname(targets[0]), 0o777))
elif mode == "mount":
    libc = ctypes.CDLL(None, use_errno=True)
    def sys_call(fn, *a):
        if fn(*a) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        return "succeeded"
    out["umount_data"] = attempt(lambda: sys_call(libc.umount2, b"/home/data", 2))
    out["umount_tmp"] = attempt(lambda: sys_call(libc.umount2, b"/tmp", 0))
    out["remount_rw"] = attempt(lambda: sys_call(libc.mount, b"none", b"/home/data", None,
                                                 ctypes.c_ulong(32 | 4096), None))  # REMOUNT|BIND
    out["mount_tmpfs"] = attempt(lambda: sys_call(libc.mount, b"tmpfs", b"/home/data", b"tmpfs",
                                                  ctypes.c_ulong(0), None))
    out["umount_cmd"] = subprocess.run(["umount", "/home/data"], capture_output=True).returncode
    out["setuid0"] = attempt(lambda: os.setuid(0))
    out["chroot"] = attempt(lambda: os.chroot("/tmp"))
    # A user namespace of its own does not unlock the mounts it inherited.
    r = subprocess.run(["unshare", "-Urm", "sh", "-c", "umount -l /home/data && ls /home/data"],
                       capture_output=True, text=True)
    out["userns_umount"] = {"rc": r.returncode, "out": r.stdout[:200], "err": r.stderr[:200]}
    out["data_after"] = sorted(os.listdir("/home/data"))
elif mode == "disk":
    with open(os.path.join(args[0], "big.bin"), "wb") as f:
        while True:
            f.write(b"\x00" * (1 << 20))
            f.flush()
            time.sleep(0.005)
elif mode == "cpu":
    start = time.time()
    pids = []
    for _ in range(2):  # two busy processes for 1 s of wall-clock time
        pid = os.fork()
        if pid == 0:
            while time.time() - start < 1.0:
                pass
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    t = os.times()
    out = {"cpu_s": t.children_user + t.children_system, "wall_s": time.time() - start}
elif mode == "timestamp":
    print(time.time(), flush=True)
print(json.dumps(out), flush=True)
'''


class Box:
    """Builds specs for one test: an agent folder, a public data folder, a writable submission
    folder, and, next to them but never mounted, private answers and another run's folder."""

    def __init__(self, root: Path):
        self.root = root
        self.agent = root / "agent"
        self.data = root / "public"
        self.submission = root / "run" / "submission"
        self.private = root / "private"
        self.other_run = root / "runs" / "other-run-xyz" / "submission"
        for d in (self.agent, self.data, self.submission, self.private, self.other_run):
            d.mkdir(parents=True)
        (self.agent / "hostile.py").write_text(HOSTILE)
        (self.data / "train.csv").write_text("id,x\n1,2\n")
        (self.private / "answers.csv").write_text(f"id,y\n1,{SECRET}\n")
        (self.other_run / "submission.csv").write_text(f"id,y\n1,{SECRET}\n")

    def spec(self, *args: str, limits: sb.Limits | None = None, network: str = "none",
             extra_sockets: list[sb.Mount] | None = None, env: dict | None = None,
             ) -> sb.SandboxSpec:
        return sb.SandboxSpec(
            command=[sys.executable, "/home/agent/hostile.py", *args],
            mounts=[*sb.host_python_mounts(), sb.Mount(self.agent, "/home/agent"),
                    sb.Mount(self.data, "/home/data")],
            writable_dirs=[sb.Mount(self.submission, "/home/submission", False)],
            env=env if env is not None else {"PATH": f"{sys.prefix}/bin:/usr/bin:/bin",
                                             "HOME": "/home", "PYTHONUNBUFFERED": "1"},
            network=network,  # type: ignore[arg-type]
            extra_sockets=extra_sockets or [],
            stdout_path=self.root / "run" / "stdout.log",
            stderr_path=self.root / "run" / "stderr.log",
            limits=limits or sb.Limits(time_limit_s=20, memory_bytes=512 << 20, pids_max=64,
                                       grace_period_s=1),
        )

    def run(self, *args: str, **kw) -> tuple[sb.SandboxResult, dict | None]:
        result = sb.run_sandboxed(self.spec(*args, **kw))
        self.stdout = (self.root / "run" / "stdout.log").read_text()
        self.stderr = (self.root / "run" / "stderr.log").read_text()
        lines = self.stdout.strip().splitlines()
        try:
            report = json.loads(lines[-1]) if lines else None
        except ValueError:
            report = None
        return result, report


@pytest.fixture
def box(tmp_path: Path) -> Box:
    if BWRAP_PROBLEM is not None:
        pytest.skip(f"bubblewrap cannot run here: {BWRAP_PROBLEM}")
    return Box(tmp_path)


def _blocked(a: dict) -> bool:
    return not a["ok"] and SECRET not in json.dumps(a)


def _leftovers(marker: str) -> list[psutil.Process]:
    out = []
    for p in psutil.process_iter(["cmdline"]):
        if marker in " ".join(p.info["cmdline"] or []):
            out.append(p)
    return out


def test_identity_environment_and_layout(box: Box, monkeypatch):
    monkeypatch.setenv("MLEBENCH_HOST_SECRET", SECRET)
    result, rep = box.run("identity")
    assert result.status == "completed" and result.exit_code == 0, box.stderr
    assert rep is not None
    assert rep["uid"] != 0 and rep["gid"] != 0 and 0 not in rep["groups"]
    assert set(rep["caps"].values()) == {"0000000000000000"}, rep["caps"]
    assert rep["no_new_privs"] == "1" or os.geteuid() != 0
    # Exactly the spec's environment (bubblewrap adds PWD, Python its C-locale coercion).
    assert set(rep["env"]) - {"PWD", "LC_CTYPE"} == {"PATH", "HOME", "PYTHONUNBUFFERED"}
    assert SECRET not in json.dumps(rep)
    assert rep["cwd"] == "/home" and rep["pid"] < 10  # its own PID namespace
    assert "root" not in rep["root"] or os.listdir("/root") != []  # no host home wholesale
    e = result.enforcement
    assert e["sandbox"] == "bubblewrap" and e["network_namespace"] is True
    assert e["capabilities"].startswith("all dropped")
    assert result.started_at <= result.ended_at


def test_private_answers_and_other_runs_are_unreachable(box: Box):
    answers = str(box.private / "answers.csv")
    result, rep = box.run("private", answers, str(box.other_run / "submission.csv"), box.root.name)
    assert result.status == "completed", box.stderr
    assert rep is not None
    for key in ("host_path", "other_run", "other_run_dir", "proc_1_root_ls", "proc_1_environ"):
        if key == "proc_1_environ" and rep[key]["ok"]:
            assert SECRET not in rep[key]["got"]  # readable only if harmless
            continue
        assert _blocked(rep[key]), (key, rep[key])
    assert rep["proc_root"] and all(_blocked(a) for a in rep["proc_root"].values())
    assert rep["search"] == []
    # bubblewrap's options (host paths of the mounts) are not on the sandbox's /proc/1/cmdline.
    cmdlines = rep["proc_cmdlines"]
    assert "bwrap" in cmdlines and "--ro-bind" not in cmdlines and str(box.data) not in cmdlines
    assert SECRET not in box.stdout + box.stderr


def test_host_environment_does_not_leak(box: Box, monkeypatch):
    monkeypatch.setenv("MLEBENCH_HOST_SECRET", SECRET)
    result, rep = box.run("environ")
    assert result.status == "completed", box.stderr
    assert rep is not None and "MLEBENCH_HOST_SECRET" not in rep["env"]
    assert SECRET not in box.stdout


def _public_ipv4() -> str | None:
    """An address of this host other than loopback: the stand-in for the internet."""
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family == socket.AF_INET and not a.address.startswith("127."):
                return a.address
    return None


class _LoopbackServer:
    """A TCP server on one of the host's addresses (127.0.0.1 unless told) that greets whoever
    connects."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.sendall(b"hello-from-host")
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def loopback_server():
    server = _LoopbackServer()
    yield server
    server.close()


@pytest.mark.parametrize("network", ["none", "llm-only"])
def test_network_namespace_cannot_reach_host_loopback(box: Box, loopback_server, network):
    result, rep = box.run("tcp", str(loopback_server.port), network=network)
    assert result.status == "completed", box.stderr
    assert rep is not None and not rep["tcp"]["ok"], rep
    assert loopback_server.hits == 0


def test_open_network_reaches_out_but_not_host_loopback(box: Box, loopback_server):
    # Under open the agent reaches the outside world (here: the host's own non-loopback address,
    # as any internet host would) through slirp4netns, but nothing bound to the host's 127.0.0.1
    # (other runs' services, databases, the harness's own ports). The reachable server proves the
    # negative tests meaningful: the same attempt succeeds when allowed.
    if sb.netns.slirp4netns() is None:
        pytest.skip("slirp4netns is not installed (apt-get install slirp4netns)")
    address = _public_ipv4()
    if address is None:
        pytest.skip("this host has no non-loopback IPv4 address to stand in for the internet")
    outside = _LoopbackServer(address)
    try:
        result, rep = box.run("tcp", str(outside.port), address, network="open")
        assert result.status == "completed", box.stderr
        assert rep is not None and rep["tcp"] == {"ok": True, "got": "'hello-from-host'"}, rep
        assert outside.hits == 1
        # Its own loopback: a server on the host's 127.0.0.1 is not there.
        result, rep = box.run("tcp", str(loopback_server.port), network="open")
        assert result.status == "completed", box.stderr
        assert rep is not None and not rep["tcp"]["ok"], rep
        assert loopback_server.hits == 0
        # Nor through slirp4netns' gateway, which would be the host's loopback were it enabled.
        result, rep = box.run("tcp", str(loopback_server.port), "10.0.2.2", network="open")
        assert rep is not None and not rep["tcp"]["ok"], rep
        assert loopback_server.hits == 0
    finally:
        outside.close()
    e = result.enforcement
    assert e["network_namespace"] is True and "net" in e["namespaces"]
    assert "slirp4netns" in e["outbound"] and "host loopback disabled" in e["outbound"]


def test_bound_unix_socket_is_the_way_out(box: Box, tmp_path: Path):
    # How the validation service and the LLM proxy are reached from a network-less sandbox.
    path = tmp_path / "sock" / "service.sock"
    path.parent.mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        conn.sendall(b"validated")
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        result, rep = box.run("unix", "/run/mlebench/service.sock",
                              extra_sockets=[sb.Mount(path, "/run/mlebench/service.sock", False)])
    finally:
        server.close()
    assert result.status == "completed", box.stderr
    assert rep is not None and rep["unix"] == {"ok": True, "got": "'validated'"}


def test_memory_limit_kills_for_memory(box: Box):
    result, _ = box.run("memory", limits=sb.Limits(time_limit_s=20, memory_bytes=96 << 20,
                                                   grace_period_s=1))
    if result.enforcement["cgroups"] is None:
        pytest.skip("no memory cgroup here (rlimit fallback is tested separately)")
    assert result.status == "killed-for-memory", (result, box.stderr)
    assert result.enforcement["oom_kills"] >= 1
    assert result.peak_memory_bytes is not None and result.peak_memory_bytes <= 100 << 20
    assert (result.ended_at - result.started_at).total_seconds() < 15


def test_fork_bomb_is_contained(box: Box):
    marker = f"forkbomb-{uuid.uuid4().hex}"
    t0 = time.monotonic()
    result, rep = box.run("forkbomb", marker, limits=sb.Limits(time_limit_s=10, pids_max=32,
                                                               memory_bytes=512 << 20,
                                                               grace_period_s=1))
    assert time.monotonic() - t0 < 12
    assert result.status == "completed", (result, box.stderr)
    assert rep is not None and rep["fork_failures"] > 0 and rep["forked"] < 32
    assert not _leftovers(marker)
    if result.enforcement["cgroups"] == "v1":  # the run's cgroups are removed
        v1, _ = cgroups.cgroup_mounts()
        assert not [p for d in v1.values() for p in d.glob(f"mlebench-{os.getpid()}-*")]


def test_time_limit_ignoring_sigterm_leaves_nothing_behind(box: Box):
    marker = f"ignore-term-{uuid.uuid4().hex}"
    t0 = time.monotonic()
    result, _ = box.run("ignore-term", marker, limits=sb.Limits(time_limit_s=2, grace_period_s=0.5))
    elapsed = time.monotonic() - t0
    assert result.status == "timed-out", (result, box.stderr)
    assert "ignoring SIGTERM" in box.stdout
    assert 2 <= elapsed < 8  # 2 s limit + 0.5 s grace, with slack for a loaded machine
    assert not _leftovers(marker)


def test_cannot_write_outside_writable_folders(box: Box):
    allowed = "/home/submission/ok.txt"
    denied = ["/home/data/train.csv", "/home/data/new.csv", "/home/agent/hostile.py", "/evil.txt",
              "/home/evil.txt", "/usr/evil.txt", "/etc/passwd", f"{sys.prefix}/evil.txt",
              "/proc/sys/kernel/hostname"]
    result, rep = box.run("write", *denied, allowed)
    assert result.status == "completed", box.stderr
    assert rep is not None
    for t in denied + ["mkdir_root", "chmod_data"]:
        assert not rep[t]["ok"], (t, rep[t])
    assert rep[allowed]["ok"] and (box.submission / "ok.txt").read_text() == "pwned"
    assert (box.data / "train.csv").read_text() == "id,x\n1,2\n"
    assert sorted(p.name for p in box.data.iterdir()) == ["train.csv"]
    assert not Path(sys.prefix, "evil.txt").exists()


def test_cannot_unmount_or_remount(box: Box):
    result, rep = box.run("mount")
    assert result.status == "completed", box.stderr
    assert rep is not None
    for key in ("umount_data", "umount_tmp", "remount_rw", "mount_tmpfs", "setuid0", "chroot"):
        assert not rep[key]["ok"], (key, rep[key])
    assert rep["umount_cmd"] != 0
    assert rep["userns_umount"]["rc"] != 0, rep["userns_umount"]
    assert rep["data_after"] == ["train.csv"]


def test_cpu_quota(box: Box):
    # Two busy processes for 1 s would use up to 2 CPU-seconds; the quota allows ~0.1.
    result, rep = box.run("cpu", limits=sb.Limits(time_limit_s=20, cpus=0.1, grace_period_s=1))
    assert result.status == "completed", box.stderr
    if "cpu" not in result.enforcement["cgroup_controllers"]:
        pytest.skip("no cpu cgroup controller here")
    assert rep is not None and rep["cpu_s"] <= 0.2 * rep["wall_s"], rep


def test_disk_limit_kills_for_disk(box: Box):
    result, _ = box.run("disk", "/home/submission",
                        limits=sb.Limits(time_limit_s=20, disk_bytes=8 << 20, grace_period_s=0.5))
    assert result.status == "killed-for-disk", (result, box.stderr)
    assert result.enforcement["disk_used_bytes"] > 8 << 20


def test_rlimit_fallback_without_cgroups(box: Box, monkeypatch):
    monkeypatch.setattr(cgroups.Cgroup, "create", classmethod(lambda cls, *a: None))
    result, _ = box.run("memory", limits=sb.Limits(time_limit_s=20, memory_bytes=256 << 20,
                                                   pids_max=64, cpus=1, grace_period_s=0.5))
    e = result.enforcement
    assert e["cgroups"] is None and "RLIMIT_AS" in e["rlimits"] and "RLIMIT_NPROC" in e["rlimits"]
    assert result.status == "crashed" and "MemoryError" in box.stderr


def test_rlimit_fallback_never_caps_address_space_of_gpu_runs(box: Box, monkeypatch):
    # Memory limits are on by default now; where only RLIMIT_AS could enforce one, a GPU run
    # would fail in CUDA's first allocation, so the limit is recorded as not enforced instead.
    monkeypatch.setattr(cgroups.Cgroup, "create", classmethod(lambda cls, *a: None))
    spec = box.spec("identity", limits=sb.Limits(time_limit_s=20, memory_bytes=256 << 20,
                                                 grace_period_s=0.5))
    result = sb.run_sandboxed(dataclasses.replace(spec, gpus=[0]))
    e = result.enforcement
    assert result.status == "completed", (box.root / "run" / "stderr.log").read_text()
    assert "RLIMIT_AS" not in e["rlimits"] and "not enforced" in e["memory"]


def test_unsafe_no_sandbox_still_enforces_the_time_limit(tmp_path: Path):
    marker = f"unsafe-{uuid.uuid4().hex}"
    spec = sb.SandboxSpec(
        command=[sys.executable, "-c", "import time,sys; print('up', flush=True); time.sleep(60)",
                 marker],
        mounts=[], writable_dirs=[], env={"PATH": "/usr/bin:/bin"}, workdir=str(tmp_path),
        stdout_path=tmp_path / "out.log", stderr_path=tmp_path / "err.log",
        limits=sb.Limits(time_limit_s=1, grace_period_s=0.5))
    result = sb.run_sandboxed(spec, unsafe_no_sandbox=True)
    assert result.status == "timed-out" and result.enforcement["sandbox"] is None
    assert (tmp_path / "out.log").read_text() == "up\n"
    assert not _leftovers(marker)


def test_missing_bubblewrap_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(sb, "_probe_result", None)
    monkeypatch.setattr(sb, "_bwrap", lambda: None)
    with pytest.raises(sb.SandboxUnavailable, match="apt-get install -y bubblewrap") as info:
        sb.check_available()
    assert "\n" not in str(info.value)
    monkeypatch.setattr(sb, "_probe_result", None)  # the next test probes the real one again


def test_cgroup_v2_files_written_and_read(tmp_path: Path, monkeypatch):
    # This host may only have v1: check the v2 protocol against a fake hierarchy.
    base = tmp_path / "cg"
    base.mkdir()
    (base / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (base / "cgroup.subtree_control").write_text("")
    monkeypatch.setattr(cgroups, "cgroup_mounts", lambda: ({}, base))
    notes: list[str] = []
    cg = cgroups.Cgroup.create("run1", sb.Limits(time_limit_s=1, memory_bytes=1 << 30, cpus=1.5,
                                             pids_max=99), notes)
    assert cg is not None and cg.version == "v2" and notes == []
    d = base / "run1"
    assert (base / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    assert (d / "memory.max").read_text() == str(1 << 30)
    assert (d / "pids.max").read_text() == "99" and (d / "cpu.max").read_text() == "150000 100000"
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n")
    (d / "memory.peak").write_text("12345\n")
    assert cg.oom_kills() == 1 and cg.peak_memory() == 12345 and cg.controllers == [
        "cpu", "memory", "pids"]


def test_cgroup_v2_without_delegated_controllers_falls_back(tmp_path: Path, monkeypatch):
    base = tmp_path / "cg"
    base.mkdir()
    (base / "cgroup.controllers").write_text("cpu memory\n")  # no pids: not delegated to us
    monkeypatch.setattr(cgroups, "cgroup_mounts", lambda: ({}, base))
    notes: list[str] = []
    assert cgroups.Cgroup.create("run1", sb.Limits(time_limit_s=1), notes) is None
    assert notes and "pids" in notes[0]


def test_parents_under_the_sandbox_tmp_are_created():
    """A harness living under /tmp (a CI checkout) still gets traversable parent folders."""
    from mlebench.runtime.sandbox_layout import _parents

    got = _parents(["/tmp/ci/.venv", "/home/data"], {"/tmp/ci/.venv", "/home/data", "/tmp"},
                   frozenset({"/tmp"}))
    assert got == ["/home", "/tmp/ci"]  # never /tmp itself (its tmpfs keeps mode 1777)


def _flaky_bwrap(tmp_path: Path, failures: int) -> Path:
    """A `bwrap` first on PATH that fails its first `failures` runs the way bubblewrap does when
    the loopback of a new network namespace cannot be set up, then is the real one."""
    real, folder, count = sb._bwrap(), tmp_path / "fakebin", tmp_path / "starts"
    folder.mkdir()
    script = folder / "bwrap"
    script.write_text(f"""#!/bin/sh
case " $* " in *" --args "*)
  echo x >> {count}
  if [ "$(wc -l < {count})" -le {failures} ]; then
    echo 'bwrap: loopback: Failed RTM_NEWADDR: No child processes' >&2; exit 1
  fi;;
esac
exec {real} "$@"
""")
    script.chmod(0o755)
    return folder


def test_a_sandbox_that_fails_to_start_is_started_again(box, tmp_path, monkeypatch):
    """bubblewrap failing in its set-up never reached the agent: the start is tried again, the
    run completes, and the failed start is recorded with the run."""
    monkeypatch.setenv("PATH", f"{_flaky_bwrap(tmp_path, 1)}:{os.environ['PATH']}")
    result, report = box.run("identity")
    assert result.status == "completed" and report is not None, box.stderr
    assert result.enforcement["failed_starts"] == [
        "bwrap: loopback: Failed RTM_NEWADDR: No child processes"]
    assert "RTM_NEWADDR" not in box.stderr


def test_a_start_that_keeps_failing_is_reported_after_three_tries(box, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{_flaky_bwrap(tmp_path, 99)}:{os.environ['PATH']}")
    result, _ = box.run("identity")
    assert result.status == "crashed" and len(result.enforcement["failed_starts"]) == 2
    assert (tmp_path / "starts").read_text().count("x") == sb.START_ATTEMPTS
    assert "RTM_NEWADDR" in box.stderr


def test_an_agent_that_fails_on_its_own_is_never_run_again(box):
    """The attack: an agent that prints bubblewrap's error and exits 1, hoping for another run
    (more time). It started, so its run is over."""
    marker = box.submission / "runs.txt"
    spec = dataclasses.replace(box.spec(), command=[
        "/bin/sh", "-c", "echo run >> /home/submission/runs.txt; "
        "echo 'bwrap: loopback: Failed RTM_NEWADDR: No child processes' >&2; exit 1"])
    result = sb.run_sandboxed(spec)
    assert result.status == "crashed" and result.exit_code == 1
    assert marker.read_text() == "run\n" and "failed_starts" not in result.enforcement
