"""Outbound network for `--network open` without sharing the host's network namespace.

The sandbox keeps a private network namespace under every policy, so its loopback is its own:
localhost:5000 is this run's validation endpoint and no other run's. Under `open`, slirp4netns (a
user-mode NAT, Debian package `slirp4netns`) gives that namespace a route out, with the host's
loopback disabled: the agent reaches the internet, and the host's public addresses as any internet
host would, but no service bound to the host's 127.0.0.1 and no other run's endpoint.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

from mlebench.errors import MLEBenchError

# slirp4netns --configure's fixed addressing: the namespace is 10.0.2.100, its DNS forwarder this.
SLIRP_DNS = "10.0.2.3"
INSTALL_HINT = "apt-get install slirp4netns"


def slirp4netns() -> str | None:
    """The slirp4netns binary, if installed and usable here: without root it opens /dev/net/tun
    with the invoking user's own permissions (0600 on some hosts)."""
    binary = shutil.which("slirp4netns") or next(
        (p for p in ("/usr/bin/slirp4netns", "/usr/local/bin/slirp4netns") if os.access(p, os.X_OK)),
        None)
    if binary and os.geteuid() != 0 and not os.access("/dev/net/tun", os.R_OK | os.W_OK):
        return None
    return binary


def private_loopback(network: str, unsafe: bool) -> bool:
    """Whether a run gets a network namespace of its own (its own localhost:5000)."""
    return not unsafe and (network != "open" or slirp4netns() is not None)


class Slirp:
    """slirp4netns attached to a sandbox's network namespace, for as long as the run lasts."""

    def __init__(self, pid: int, log_path: Path, timeout_s: float = 30.0):
        binary = slirp4netns()
        if binary is None:
            raise MLEBenchError(f"--network open needs slirp4netns: {INSTALL_HINT}.")
        self._log = log_path
        # As root, confine slirp4netns itself (own mount namespace, capabilities dropped); without
        # root it runs as the unprivileged user already (and its sandbox needs setegid(0)).
        sandbox = ["--enable-sandbox"] if os.geteuid() == 0 else []
        ready_r, ready_w = os.pipe()
        # slirp4netns exits when this pipe closes: it never outlives the harness.
        exit_r, self._exit_w = os.pipe()
        try:
            with open(log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    [binary, "--configure", "--mtu=65520", "--disable-host-loopback",
                     "--enable-seccomp", *sandbox, "--ready-fd", str(ready_w),
                     "--exit-fd", str(exit_r), str(pid), "tap0"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, env={},
                    pass_fds=[ready_w, exit_r], start_new_session=True)
        except OSError as e:
            os.close(self._exit_w)
            self._exit_w = -1
            raise MLEBenchError(f"Cannot start slirp4netns: {e}.") from None
        finally:
            os.close(ready_w)
            os.close(exit_r)
        try:
            ready = self._wait_ready(ready_r, timeout_s)
        finally:
            os.close(ready_r)
        if not ready:
            self.close()
            raise MLEBenchError("slirp4netns could not give the sandbox its network: "
                                f"{self._log_tail()}")

    def _wait_ready(self, fd: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.05)[0]:
                return os.read(fd, 1) == b"1"
            if self.proc.poll() is not None:
                return False
        return False

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError), open(self._log, "rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - 300))
            return f.read(300).decode(errors="replace").strip() or "no output"
        return "no output"

    def close(self) -> None:
        if self._exit_w >= 0:
            os.close(self._exit_w)
            self._exit_w = -1
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
