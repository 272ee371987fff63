"""One inspect sample on the host: its run folder, its sandbox and, at the end, its grading.

The sandbox is the one `mlebench run` gives an agent (runtime/runs.py builds it: the agent
environment, /home/data read-only, the validation endpoint, limits, network policy, seccomp),
except that its command is a small command server (runtime/inside/exec_server.py) through which
inspect's `exec`, `read_file` and `write_file` run, as the sandbox's unprivileged user. The
sandbox lives from the sample's start until the scorer (or the cleanup) ends it; then, exactly as
after `mlebench run`, the agent's folders are taken in through the intake and graded on the host.

The run folder is a `mlebench run` run folder (metadata.json, grading_report.json, intake.json,
validation_calls.jsonl, submission/, logs/, code/): `mlebench report`, `integrity`, `bundle` and
`verify` read it as they read any other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.agents.spec import AgentSpec
from mlebench.data.prepare import read_prepared_manifest
from mlebench.errors import MLEBenchError
from mlebench.runtime import hardware, workspace
from mlebench.runtime.llm_proxy import LLMProxy
from mlebench.runtime.run_folder import RunFolder
from mlebench.runtime.runs import (
    INSIDE_DIR,
    VALIDATION_URL,
    RunLimits,
    RunTask,
    build_spec,
    grade_run_folder,
    run_dir_name,
    sandbox_env,
    summarize_network,
)
from mlebench.runtime.sandbox import SANDBOX_GID, SANDBOX_UID, Mount, check_available, run_sandboxed
from mlebench.runtime.validation import RateLimit, ValidationServer, summarize_calls
from mlebench.utils import write_json

if TYPE_CHECKING:
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Competition
    from mlebench.runtime.sandbox import SandboxResult

EXEC_SOCKET = "/run/mlebench/exec.sock"
SERVER_PATH = "/home/.mlebench/exec_server.py"
WORKDIR = "/home/agent"  # inspect's per-sample working directory: the agent's writable home
AGENT_NAME = "inspect"
CONNECT_TIMEOUT_S = 120.0
_seed_lock = threading.Lock()


def claim_run_dir(group: Path, competition_id: str) -> tuple[Path, int]:
    """The first free `<competition>_seed<k>` folder of the group, created now (so two samples
    of the same competition, epochs of one eval or evals sharing a group, never share one)."""
    group.mkdir(parents=True, exist_ok=True)
    with _seed_lock:
        for seed in range(100_000):
            path = group / run_dir_name(competition_id, seed)
            try:
                path.mkdir()
            except FileExistsError:
                continue
            return path, seed
    raise MLEBenchError(f"{group} has no free run folder for {competition_id}.")


class SampleSession:
    """Host side of one sample. `start` and `finish`/`close` block (call them from a thread)."""

    def __init__(self, competition: Competition, group: Path, limits: RunLimits,
                 environment: RunEnvironment | None, extra_metadata: dict[str, Any] | None = None,
                 gpu_ids: list[int] | None = None, on_close: Callable[[], Any] | None = None):
        self.competition = competition
        self.gpu_ids = list(gpu_ids or [])
        self._on_close = on_close
        self.limits = limits
        self.environment = environment
        self.run_dir, self.seed = claim_run_dir(group, competition.id)
        self.extra_metadata = extra_metadata or {}
        self.meta: dict[str, Any] = {}
        self.report: dict[str, Any] | None = None
        self.result: SandboxResult | None = None
        self.error: BaseException | None = None
        self.listener: socket.socket | None = None
        self._ws: workspace.Workspace | None = None
        self._validation: ValidationServer | None = None
        self._proxy: Any = None
        self._socket_dir: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._spec = None
        self._finished = False
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ start

    def start(self) -> None:
        """Workspace, validation service, command socket, then the sandbox (in a thread)."""

        check_available()
        root = os.geteuid() == 0
        rd = self.run_dir
        self._ws = ws = workspace.create(rd / ".harness", self.limits.disk_bytes,
                                         SANDBOX_UID if root else None,
                                         SANDBOX_GID if root else None)
        # Short and private: a Unix socket path has ~100 bytes; the sandbox never sees this path.
        self._socket_dir = Path(tempfile.mkdtemp(prefix="mlebench-inspect-"))
        self._socket_dir.chmod(0o755)
        validation_socket = self._socket_dir / "validate.sock"
        exec_socket = self._socket_dir / "exec.sock"
        proxy_socket = (self._socket_dir / "llm-proxy.sock"
                        if self.limits.network == "llm-only" else None)
        agent = server_agent()
        task = RunTask(self.competition.id, self.seed, rd, gpu_ids=self.gpu_ids)
        env = sandbox_env(task, self.competition, agent, self.limits, {}, False, self.environment,
                          ws)
        spec = build_spec(task, self.competition, agent, self.limits, validation_socket, env,
                          False, proxy_socket, self.environment, ws)
        self._spec = spec = dataclasses.replace(
            spec,
            mounts=[*spec.mounts, Mount(INSIDE_DIR / "exec_server.py", SERVER_PATH, True)],
            extra_sockets=[*spec.extra_sockets, Mount(exec_socket, EXEC_SOCKET, False)],
            stop=self._stop,
        )
        manifest = read_prepared_manifest(self.competition) or {}
        self.meta = {
            "run_id": rd.name, "competition_id": self.competition.id, "seed": self.seed,
            "attempt": 1, "status": "running", "front_end": "inspect_ai",
            "agent": agent.redacted(),
            "limits": asdict(self.limits), "network_policy": self.limits.network,
            "gpu_ids": self.gpu_ids, "hardware": hardware.host_summary(),
            "environment": ({**self.environment.identity(), "gpu_stack": hardware.gpu_stack()}
                            if self.environment is not None else None),
            "packages": hardware.package_versions(),
            "data": {"source": manifest.get("source"),
                     "synthetic": manifest.get("synthetic", False),
                     "checksums": manifest.get("checksums"),
                     "task_version": self.competition.version},
            "sandbox": "bubblewrap", "started_at": datetime.now(UTC).isoformat(),
            "ended_at": None, **self.extra_metadata,
        }
        write_json(RunFolder(rd).metadata_path, self.meta)
        self._validation = ValidationServer(self.competition, validation_socket,
                                            rd / "validation_calls.jsonl",
                                            RateLimit(self.limits.validation_rate_limit, 3600.0))
        self._validation.__enter__()
        if proxy_socket is not None:

            self._proxy = LLMProxy(proxy_socket, list(self.limits.llm_endpoints),
                                   rd / "network_log.jsonl")
            self._proxy.__enter__()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(exec_socket))
        self.listener.listen(1)
        exec_socket.chmod(0o666)  # the sandbox's unprivileged user connects
        self._thread = threading.Thread(target=self._run, name=f"sandbox-{rd.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:

        try:
            self.result = run_sandboxed(self._spec)
        except BaseException as e:  # reported by accept() or finish()
            self.error = e

    def accept(self) -> socket.socket:
        """The command server's connection (the first and only one accepted)."""
        assert self.listener is not None and self._thread is not None
        self.listener.settimeout(0.1)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        try:
            while True:
                try:
                    conn, _ = self.listener.accept()
                    conn.setblocking(True)
                    return conn
                except TimeoutError:
                    pass
                if not self._thread.is_alive() or time.monotonic() > deadline:
                    raise MLEBenchError(f"The sandbox for {self.run_dir.name} did not start: "
                                        f"{self._startup_failure()}")
        finally:
            self.listener.close()  # nobody else ever connects, the agent least of all
            self.listener = None

    def _startup_failure(self) -> str:
        if self.error is not None:
            return str(self.error)
        assert self._ws is not None
        with contextlib.suppress(OSError):
            with open(self._ws.stderr_path, "rb") as f:
                tail = f.read(2000).decode(errors="replace").strip()
            if tail:
                return tail[-500:]
        return "no connection from its command server" if self.result is None else (
            f"it ended with status {self.result.status}")

    # ------------------------------------------------------------------ finish

    def finish(self) -> dict[str, Any]:
        """End the sandbox (if still up), take in the agent's folders and write metadata."""
        with self._lock:
            if self._finished:
                return self.meta
            self._finished = True
            if not self.meta:  # never started: leave no run behind
                with contextlib.suppress(OSError):
                    self.run_dir.rmdir()
                return self.meta
            if self._thread is not None:
                # The command server has been told to stop; give it a moment, then end it.
                self._thread.join(timeout=5)
                if self._thread.is_alive():
                    self._stop.set()
                    self._thread.join(timeout=self.limits.grace_period_s + 60)
            for service in (self._validation, self._proxy):
                if service is not None:
                    with contextlib.suppress(Exception):
                        service.__exit__(None, None, None)
            rd = self.run_dir
            intake = workspace.take_in(self._ws, rd) if self._ws is not None else None
            r = self.result
            ended = r.ended_at if r is not None else datetime.now(UTC)
            self.meta.update({
                # Ended by the harness when inspect's sample ended, not by the agent's exit.
                "status": ("crashed" if r is None else "completed"
                           if self._stop.is_set() or r.exit_code == 0 else r.status),
                "sandbox_status": r.status if r is not None else None,
                "sandbox_error": str(self.error) if self.error is not None else None,
                "exit_code": r.exit_code if r is not None else None,
                "ended_at": ended.isoformat(),
                "duration_s": (ended - datetime.fromisoformat(self.meta["started_at"])
                               ).total_seconds(),
                "enforcement": {**(r.enforcement if r is not None else {}),
                                "disk": self._ws.describe() if self._ws is not None else None,
                                "validation_endpoint": f"{VALIDATION_URL} on the run's own loopback",
                                "intake": "regular files copied out without following links"},
                "peak_memory_bytes": r.peak_memory_bytes if r is not None else None,
                "mounts": [{"source": str(m.source), "target": m.target,
                            "read_only": m.read_only}
                           for m in [*self._spec.mounts, *self._spec.writable_dirs,
                                     *self._spec.extra_sockets]] if self._spec else [],
                "validation": summarize_calls(rd / "validation_calls.jsonl"),
                "network_requests": summarize_network(rd / "network_log.jsonl"),
                "intake": ({"refused": len(intake.refused), "files": len(intake.taken),
                            "bytes": intake.bytes_taken} if intake is not None else None),
            })
            write_json(RunFolder(rd).metadata_path, self.meta)
            return self.meta

    def grade(self) -> dict[str, Any]:
        """Grade the taken-in submission on the host (once) and record it in metadata."""
        self.finish()
        with self._lock:
            if self.report is None:
                self.report = grade_run_folder(self.run_dir, self.competition)
                self.meta["grading"] = {k: self.report.get(k) for k in (
                    "score", "valid_submission", "any_medal", "gold_medal", "silver_medal",
                    "bronze_medal", "above_median", "synthetic")}
                write_json(RunFolder(self.run_dir).metadata_path, self.meta)
            return self.report

    def close(self) -> None:
        """Release everything (after finish); safe to call more than once."""
        self.finish()
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
        if self._on_close is not None:
            on_close, self._on_close = self._on_close, None
            on_close()


def server_agent():

    return AgentSpec(name=AGENT_NAME, command=["python3", SERVER_PATH, EXEC_SOCKET, WORKDIR],
                     description="an inspect_ai solver, acting through this command server")
