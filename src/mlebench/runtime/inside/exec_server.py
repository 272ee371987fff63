"""Runs inside the sandbox for the inspect_ai front end: executes the commands, reads and writes
the files inspect asks for, as the sandbox's own user. Standard library only.

usage: exec_server.py SOCKET WORKDIR

It connects to the harness's Unix socket (created by the harness and bound in; the harness
accepts exactly one connection, this one, before any agent command runs) and serves requests
until the harness closes the connection or asks it to stop. Frames both ways: 4-byte big-endian
length, a JSON header, then `size` bytes of payload (stdin, file contents, output).

Requests: exec {argv, cwd, env, timeout, limit, size}, read {path, limit}, write {path, size},
kill {target}, stop. Every exec runs in a process group of its own, so that a timeout or a
cancellation kills the command and everything it started in that group.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading

HEADER = struct.Struct(">I")
MAX_HEADER = 64 << 20  # requests come from the harness; argv may be large (ARG_MAX)
CHUNK = 1 << 16

_send_lock = threading.Lock()
_groups = {}  # request id -> process group id of a running exec
_groups_lock = threading.Lock()


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(CHUNK * 16, n - len(buf)))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _send(sock, header, payload=b""):
    header = dict(header, size=len(payload))
    data = json.dumps(header).encode()
    with _send_lock:
        sock.sendall(HEADER.pack(len(data)) + data)
        if payload:
            sock.sendall(payload)


class _Tail:
    """The last `limit` bytes of a stream, and whether anything was dropped."""

    def __init__(self, limit):
        self.limit, self.buf, self.dropped = limit, bytearray(), False

    def drain(self, stream):
        for chunk in iter(lambda: stream.read1(CHUNK), b""):
            self.buf += chunk
            if len(self.buf) > self.limit:
                del self.buf[: len(self.buf) - self.limit]
                self.dropped = True


def _error(sock, rid, exc, path=None):
    kind = type(exc).__name__
    if kind not in ("FileNotFoundError", "PermissionError", "IsADirectoryError",
                    "NotADirectoryError", "OutputLimit"):
        kind = "OSError"
    _send(sock, {"id": rid, "error": kind, "message": getattr(exc, "strerror", None) or str(exc),
                 "errno": getattr(exc, "errno", None), "path": path})


def _resolve(path, workdir):
    return path if os.path.isabs(path) else os.path.join(workdir, path)


def _exec(sock, req, payload, workdir):
    rid = req["id"]
    cwd = _resolve(req.get("cwd") or workdir, workdir)
    env = dict(os.environ)
    env.update(req.get("env") or {})
    if not os.path.isdir(cwd):
        _send(sock, {"id": rid, "returncode": 126, "timed_out": False},
              f"cannot change to {cwd}: no such directory\n".encode())
        return
    try:
        proc = subprocess.Popen(req["argv"], cwd=cwd, env=env, start_new_session=True,
                                stdin=subprocess.PIPE if req.get("has_input") else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as e:
        _send(sock, {"id": rid, "returncode": 127, "timed_out": False, "stdout_size": 0},
              f"{req['argv'][0]}: command not found ({e.strerror})\n".encode())
        return
    except PermissionError as e:
        _error(sock, rid, e, req["argv"][0])
        return
    except OSError as e:
        _send(sock, {"id": rid, "returncode": 126, "timed_out": False, "stdout_size": 0},
              f"{req['argv'][0]}: {e.strerror or e}\n".encode())
        return
    with _groups_lock:
        _groups[rid] = proc.pid
    out, err = _Tail(req["limit"]), _Tail(req["limit"])
    readers = [threading.Thread(target=t.drain, args=(s,), daemon=True)
               for t, s in ((out, proc.stdout), (err, proc.stderr))]
    for r in readers:
        r.start()
    if req.get("has_input"):
        def feed():
            try:
                proc.stdin.write(payload)
            except (BrokenPipeError, OSError):
                pass
            finally:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
        threading.Thread(target=feed, daemon=True).start()
    timed_out = False
    try:
        proc.wait(timeout=req.get("timeout"))
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        proc.wait()
    for r in readers:
        # A process that left the group may hold the pipes open: never wait on it past a timeout.
        r.join(timeout=2 if timed_out else None)
    with _groups_lock:
        _groups.pop(rid, None)
    _send(sock, {"id": rid, "returncode": proc.returncode if proc.returncode >= 0
                 else 128 - proc.returncode, "timed_out": timed_out,
                 "stdout_size": len(out.buf), "truncated": out.dropped or err.dropped},
          bytes(out.buf) + bytes(err.buf))


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read(sock, req, workdir):
    path = _resolve(req["path"], workdir)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > req["limit"]:
                _send(sock, {"id": req["id"], "error": "OutputLimit", "path": req["path"],
                             "message": f"{size} bytes"})
                return
            data = f.read(req["limit"] + 1)
        if len(data) > req["limit"]:  # grew while being read
            _send(sock, {"id": req["id"], "error": "OutputLimit", "path": req["path"],
                         "message": "file grew past the limit"})
            return
        _send(sock, {"id": req["id"]}, data)
    except OSError as e:
        _error(sock, req["id"], e, req["path"])


def _write(sock, req, payload, workdir):
    path = _resolve(req["path"], workdir)
    try:
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(path, "wb") as f:
            f.write(payload)
        _send(sock, {"id": req["id"]})
    except OSError as e:
        _error(sock, req["id"], e, req["path"])


def _handle(sock, req, payload, workdir):
    try:
        if req["op"] == "exec":
            _exec(sock, req, payload, workdir)
        elif req["op"] == "read":
            _read(sock, req, workdir)
        elif req["op"] == "write":
            _write(sock, req, payload, workdir)
    except (OSError, ValueError) as e:  # the connection is gone: the main loop ends too
        print(f"[mlebench exec server] {type(e).__name__}: {e}", file=sys.stderr)
    except Exception as e:  # never leave the harness waiting on an answer
        try:
            _send(sock, {"id": req.get("id"), "error": "OSError", "message": repr(e)[:500]})
        except OSError:
            pass


def _stop_all(signum=None, frame=None):
    with _groups_lock:
        groups = list(_groups.values())
    for pgid in groups:
        try:
            os.killpg(pgid, signum or signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def main():
    socket_path, workdir = sys.argv[1], sys.argv[2]
    # At the harness's time limit SIGTERM reaches this group: pass it on to every command.
    signal.signal(signal.SIGTERM, _stop_all)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(socket_path)
    _send(sock, {"id": 0, "hello": os.getpid(), "uid": os.getuid()})
    try:
        while True:
            (n,) = HEADER.unpack(_recv_exact(sock, HEADER.size))
            if n > MAX_HEADER:
                break
            req = json.loads(_recv_exact(sock, n))
            payload = _recv_exact(sock, req.get("size", 0)) if req.get("size") else b""
            if req.get("op") == "stop":
                break
            if req.get("op") == "kill":
                with _groups_lock:
                    pgid = _groups.get(req.get("target"))
                if pgid is not None:
                    _kill_group(pgid)
                continue
            threading.Thread(target=_handle, args=(sock, req, payload, workdir),
                             daemon=True).start()
    except (EOFError, OSError, ValueError):
        pass
    _stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
