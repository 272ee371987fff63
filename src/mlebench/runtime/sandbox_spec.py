"""What a sandboxed run is given (command, mounts, limits) and what it reports back: the types
shared by the local sandbox (sandbox.py) and the Docker backend."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

# The agent's host uid when the harness is root: one no host account should use (uid 1000 is often
# a real person's), so an escaped agent owns nothing of the host's.
SANDBOX_UID = 61000
SANDBOX_GID = 61000
SANDBOX_USER = "agent"

Status = Literal["completed", "timed-out", "crashed", "killed-for-memory", "killed-for-disk"]


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

