"""The agent and folder layout of test_sandbox_hardening.py, importable without pytest (a
harness run by the system Python as an unprivileged user uses them too)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from mlebench.runtime import sandbox as sb

AGENT = textwrap.dedent(r'''
    import ctypes, json, os, signal, socket, subprocess, sys, threading, time

    def attempt(fn):
        try:
            return {"ok": True, "got": repr(fn())[:300]}
        except BaseException as e:
            return {"ok": False, "errno": getattr(e, "errno", None), "error": f"{type(e).__name__}: {e}"[:300]}

    def run(*cmd):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return {"rc": r.returncode, "err": r.stderr[-300:]}

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long

    def sc(number, *args):
        """The raw syscall: its result, or -errno."""
        ctypes.set_errno(0)
        rc = libc.syscall(ctypes.c_long(number), *(ctypes.c_long(a) for a in args))
        return -ctypes.get_errno() if rc == -1 else rc

    def main(mode, out):
        if mode == "attacks":
            nr = json.loads(sys.argv[2])
            status = dict(l.split(":\t", 1) for l in open("/proc/self/status").read().splitlines() if ":\t" in l)
            out["seccomp_mode"] = status.get("Seccomp", "").strip()
            out["unshare -Ur"] = run("unshare", "-Ur", "true")
            out["unshare -m"] = run("unshare", "-m", "true")
            out["unshare -n"] = run("unshare", "-n", "true")
            out["setarch -R"] = run("setarch", os.uname().machine, "-R", "true")
            out["mount"] = -ctypes.get_errno() if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) else 0
            child = subprocess.Popen(["sleep", "30"])
            time.sleep(0.1)
            out["ptrace attach"] = sc(nr["ptrace"], 16, child.pid, 0, 0)  # PTRACE_ATTACH own child
            out["process_vm_readv"] = sc(nr["process_vm_readv"], child.pid, 0, 0, 0, 0, 0)
            child.kill()
            out["keyctl"] = sc(nr["keyctl"], 0, -4, 1)  # KEYCTL_GET_KEYRING_ID, user keyring, create
            out["add_key"] = sc(nr["add_key"], 0, 0, 0, 0, 0)
            out["bpf"] = sc(nr["bpf"], 0, 0, 0)  # BPF_MAP_CREATE
            out["perf_event_open"] = sc(nr["perf_event_open"], 0, 0, -1, -1, 0)
            out["userfaultfd"] = sc(nr["userfaultfd"], 0)
            out["io_uring_setup"] = sc(nr["io_uring_setup"], 1, 0)
            out["setns"] = sc(nr["setns"], os.open("/proc/self/ns/mnt", os.O_RDONLY), 0)
            out["open_by_handle_at"] = sc(nr["open_by_handle_at"], -100, 0, 0)
            out["clone3"] = sc(nr["clone3"], 0, 0)
            out["vsock"] = attempt(lambda: socket.socket(40, socket.SOCK_STREAM))  # AF_VSOCK: the host
            # A thread after clone3 was refused: glibc fell back to clone.
            box = []
            t = threading.Thread(target=box.append, args=("thread ran",)); t.start(); t.join()
            out["thread"] = box
        elif mode == "work":
            import asyncio, multiprocessing, numpy as np
            from concurrent.futures import ThreadPoolExecutor
            rng = np.random.default_rng(0)
            a = rng.normal(size=(300, 300))
            out["numpy"] = float(np.abs(a @ np.linalg.inv(a) - np.eye(300)).max())
            with ThreadPoolExecutor(8) as ex:
                out["threads"] = sum(ex.map(lambda i: i * i, range(100)))
            for method in ("fork", "spawn", "forkserver"):
                with multiprocessing.get_context(method).Pool(2) as pool:
                    out[f"pool {method}"] = sum(pool.map(abs, range(-10, 0)))
            out["subprocess"] = subprocess.run(["sh", "-c", "echo $((6 * 7))"], capture_output=True,
                                               text=True).stdout.strip()
            out["posix_spawn"] = os.waitpid(os.posix_spawn("/bin/true", ["true"], {}), 0)[1]
            async def child():
                p = await asyncio.create_subprocess_exec("echo", "async", stdout=asyncio.subprocess.PIPE)
                return (await p.communicate())[0].decode().strip()
            out["asyncio subprocess"] = asyncio.run(child())
            srv = socket.create_server(("127.0.0.1", 0))
            threading.Thread(target=lambda: srv.accept()[0].sendall(b"loopback"), daemon=True).start()
            with socket.create_connection(srv.getsockname(), timeout=5) as c:
                out["loopback"] = c.recv(100).decode()
            out["unix socketpair"] = len(socket.socketpair())
            out["tmp write"] = open("/tmp/x", "w").write("x" * 100)
        elif mode == "mountinfo":
            out["mountinfo"] = open("/proc/self/mountinfo").read()
            out["data"] = sorted(os.listdir("/home/data"))
            out["data_nested"] = open("/home/data/images/a.txt").read()
            out["data_link"] = os.readlink("/home/data/link")
            out["instructions"] = open("/home/instructions.txt").read()
            out["write data"] = attempt(lambda: open("/home/data/train.csv", "a").write("x"))

    if __name__ == "__main__":  # multiprocessing's spawn imports this file again
        out = {}
        main(sys.argv[1], out)
        print(json.dumps(out), flush=True)
''')


class Layout:
    """A prepared competition's folders (public data next to its private answers), an agent
    folder, an instructions file in a run folder, and a writable submission folder."""

    def __init__(self, root: Path, python: str = sys.executable):
        self.root, self.python = root, python
        prepared = root / "data" / "comp" / "prepared"
        self.public, self.private = prepared / "public", prepared / "private"
        self.agent, self.run = root / "agent", root / "group" / "comp_seed0"
        self.submission = self.run / "submission"
        for d in (self.public / "images", self.private, self.agent, self.submission,
                  self.run / ".harness"):
            d.mkdir(parents=True)
        (self.public / "train.csv").write_text("id,x\n1,2\n")
        (self.public / "images" / "a.txt").write_text("nested")
        (self.public / "link").symlink_to("train.csv")
        (self.private / "test.csv").write_text("id,y\n1,secret\n")
        (self.agent / "agent.py").write_text(AGENT)
        (self.run / ".harness" / "instructions.txt").write_text("Do the task.\n")

    def spec(self, *args: str) -> sb.SandboxSpec:
        mounts = [sb.Mount(self.agent, "/home/agent"), sb.Mount(self.public, "/home/data"),
                  sb.Mount(self.run / ".harness" / "instructions.txt", "/home/instructions.txt")]
        if self.python == sys.executable:  # the test's venv and the interpreter it links to
            mounts += sb.host_python_mounts()
        return sb.SandboxSpec(
            command=[self.python, "/home/agent/agent.py", *args], mounts=mounts,
            writable_dirs=[sb.Mount(self.submission, "/home/submission", False)],
            env={"PATH": f"{Path(self.python).parent}:/usr/bin:/bin", "HOME": "/home"},
            stdout_path=self.run / "stdout.log", stderr_path=self.run / "stderr.log",
            limits=sb.Limits(time_limit_s=60, memory_bytes=2 << 30, pids_max=256,
                             grace_period_s=1))

    def run_agent(self, *args: str) -> tuple[sb.SandboxResult, dict]:
        result = sb.run_sandboxed(self.spec(*args))
        out = (self.run / "stdout.log").read_text().strip().splitlines()
        assert result.status == "completed" and out, (self.run / "stderr.log").read_text()
        return result, json.loads(out[-1])
