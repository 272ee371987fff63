"""Running the real `mlebench` process: piped, or on a pseudo-terminal as a user's shell would."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from mlebench.data.prepare import MANIFEST


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env.update(MLEBENCH_DATA_DIR=str(data_dir), MLEBENCH_OFFLINE="1", **extra)
    return env


def run_piped(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlebench", *argv], capture_output=True,
                          text=True, env=env, timeout=timeout)


def run_on_terminal(argv: list[str], env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; returns (exit code, what it showed)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "mlebench", *argv], stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return code, b"".join(chunks).decode().replace("\r\n", "\n")


def looks_real(data_dir: Path, competition_id: str) -> None:
    """Mark a synthetic preparation as real data, so grading looks for the real leaderboard (and
    reports, offline, a score with null medals and a long note saying why)."""
    manifest_path = data_dir / competition_id / "prepared" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest.update(synthetic=False, source="raw-dir")
    manifest_path.write_text(json.dumps(manifest))
