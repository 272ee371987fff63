"""Run groups: one folder per `mlebench run`, one sub-folder per (competition, seed).

A run folder is self-describing (its paths and metadata: `run_folder.RunFolder`, `RunMetadata`):

    <group>/<competition>_seed<k>/
      submission/ logs/ code/ agent/     what the agent wrote (bound into its sandbox)
      agent.stdout.log agent.stderr.log  the agent's output, captured by the harness
      validation_calls.jsonl             every validation call: time, sha256, answer
      metadata.json                      agent, competition, seed, limits, network policy, hardware,
                                         environment (profile, variant, lock hash, agent layer,
                                         GPU stack), package versions, data checksums, times,
                                         exit status
      grading_report.json                the host-side grading report

The harness's own files (and its Python environment) are never bound into the sandbox: the agent
runs in its environment (mlebench.envs), mounted read-only. A run is finished when its metadata has
a final status and its grading report exists; re-running the same command keeps finished runs and
re-runs the others from scratch.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.intake import (
    IntakeRefused,
    json_object,
    json_records,
    read_text,
    sha256_of,
)
from mlebench.runtime import hardware, workspace
from mlebench.runtime.backends import get_backend
from mlebench.runtime.llm_proxy import LLMProxy
from mlebench.runtime.netns import private_loopback
from mlebench.runtime.run_folder import RunFolder
from mlebench.runtime.sandbox_spec import SANDBOX_GID, SANDBOX_UID, Limits, Mount, SandboxSpec
from mlebench.runtime.validation import RateLimit, ValidationServer, summarize_calls
from mlebench.utils import write_json

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Competition

INSIDE_DIR = Path(__file__).parent / "inside"
HOME = "/home"
VALIDATION_SOCKET = "/run/mlebench/validate.sock"
PROXY_SOCKET = "/run/mlebench/llm-proxy.sock"
PROXY_PORT = 3128
VALIDATION_PORT = 5000
VALIDATION_URL = f"http://localhost:{VALIDATION_PORT}/validate"
ENV_ALLOW_LIST = ("LANG", "LC_ALL", "TZ", "TERM")
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
SUBMISSION_REL = RunFolder.SUBMISSION
TOKENS_REL = RunFolder.TOKENS
TOKENS_MAX_BYTES = 64 * 2**20  # an agent's own token log: read at most this much


@dataclass(frozen=True)
class RunLimits:
    time_limit_s: float = 24 * 3600
    cpus: float | None = None
    memory_bytes: int | None = None
    gpus: int = 0
    pids_max: int | None = 4096
    disk_bytes: int | None = None
    grace_period_s: float = 30.0  # between SIGTERM at the time limit and SIGKILL
    network: str = "none"
    validation_rate_limit: int | None = None  # calls per hour
    llm_endpoints: tuple[str, ...] = ()  # allowed under llm-only, besides the agent spec's
    # limit -> how it was chosen, for those the user left unset (limit_defaults.py); None = no limit
    machine_defaults: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass
class RunTask:
    competition_id: str
    seed: int
    run_dir: Path
    attempt: int = 1
    gpu_ids: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.run_dir.name


def summarize_network(log_path: Path) -> dict | None:
    records = json_records(log_path.parent, log_path.name)
    if records is None:
        return None
    return {"requests": len(records), "denied": sum(1 for r in records if not r.get("allowed")),
            "bytes_up": sum(int(r.get("bytes_up") or 0) for r in records),
            "bytes_down": sum(int(r.get("bytes_down") or 0) for r in records),
            "hosts": sorted({f"{r['host']}:{r.get('port')}" for r in records if r.get("host")})}


def summarize_tokens(run_dir: Path) -> dict | None:
    """Token and cost totals from the agent's own `logs/tokens.jsonl` (agent-reported: the
    harness's own record of LLM traffic is the network log). Read through the intake: at most
    `TOKENS_MAX_BYTES`, never through a link; lines that are not records are skipped."""
    try:
        text, truncated = read_text(run_dir, TOKENS_REL, TOKENS_MAX_BYTES)
    except IntakeRefused as e:
        return None if e.kind == "missing" else {"unreadable": e.reason}
    totals: dict[str, Any] = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0,
                              "cost_usd": 0.0}
    for line in text.splitlines():
        if len(line) > 65536:
            continue
        try:
            rec = json.loads(line)
            values = [float(rec.get(k) or 0) for k in ("prompt_tokens", "completion_tokens",
                                                       "cost_usd")]
        except (ValueError, TypeError, AttributeError, RecursionError):
            continue
        if not all(math.isfinite(v) for v in values):
            continue
        totals["calls"] += 1
        for k, v in zip(("prompt_tokens", "completion_tokens", "cost_usd"), values, strict=True):
            totals[k] += v
    if truncated:
        totals["truncated_at_bytes"] = TOKENS_MAX_BYTES
    return totals


def run_dir_name(competition_id: str, seed: int) -> str:
    return f"{competition_id}_seed{seed}"


def read_metadata(run_dir: Path) -> dict[str, Any] | None:
    """A run's metadata.json as written (the run group's progress records), taken in through
    the run-folder contract; None if unreadable."""
    return RunFolder(run_dir).json(RunFolder.METADATA)


def is_finished(run_dir: Path) -> bool:
    return RunFolder(run_dir).is_finished()


def _reset(run_dir: Path) -> None:
    """An unfinished run starts over: nothing half-written is kept."""
    if run_dir.exists():
        workspace.unmount_stale(run_dir)
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)


def layout(task: RunTask, competition: Competition, unsafe: bool,
           ws: workspace.Workspace | None = None) -> dict[str, str]:
    """Where the agent finds things: sandbox paths, or the host paths themselves when running
    without a sandbox (then agents must follow the *_DIR variables rather than /home)."""
    if not unsafe or ws is None:
        return {"data": f"{HOME}/data", "submission": f"{HOME}/submission", "logs": f"{HOME}/logs",
                "code": f"{HOME}/code", "agent": f"{HOME}/agent", "home": HOME,
                "forward": f"{HOME}/.mlebench/forward.py", "socket": VALIDATION_SOCKET,
                "proxy_socket": PROXY_SOCKET}
    dirs = ws.dirs
    return {"data": str(competition.public_dir), "submission": str(dirs["submission"]),
            "logs": str(dirs["logs"]), "code": str(dirs["code"]), "agent": str(dirs["agent"]),
            "home": str(ws.root), "forward": str(INSIDE_DIR / "forward.py"), "socket": "",
            "proxy_socket": ""}


def instructions_text(limits: RunLimits, own_loopback: bool = True) -> str:
    """The instructions every agent gets (/home/instructions.txt), for these limits."""
    hours = limits.time_limit_s / 3600
    return (INSIDE_DIR / "instructions.txt").read_text().replace(
        "{time_limit}", f"{hours:g} hours" if hours >= 1 else f"{limits.time_limit_s:g} seconds"
    ).replace("{validation_url}", VALIDATION_URL if own_loopback
              else "the URL in $MLEBENCH_VALIDATION_URL"
              ).replace("{grace_period}", f"{limits.grace_period_s:g} seconds")


def build_spec(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
               socket_path: Path, env: dict[str, str], unsafe: bool = False,
               proxy_socket: Path | None = None, environment: RunEnvironment | None = None,
               ws: workspace.Workspace | None = None):
    """The sandbox specification of one run (also what the Docker backend translates). The
    agent's Python is `environment`'s, mounted read-only; without one only the system's."""
    rd = task.run_dir
    if ws is None:  # callers that only inspect the specification
        ws = workspace.Workspace(rd / ".harness" / "workspace", "folder", limits.disk_bytes)
    paths = layout(task, competition, unsafe, ws)
    instructions = rd / ".harness" / "instructions.txt"
    instructions.parent.mkdir(parents=True, exist_ok=True)
    # Without a loopback of its own a run gets a kernel-chosen port: never another run's endpoint.
    own = private_loopback(limits.network, unsafe)
    instructions.write_text(instructions_text(limits, own))
    agent_cmd = agent.full_command()
    if unsafe:
        agent_cmd = [a.replace(f"{HOME}/agent", paths["agent"]) for a in agent_cmd]
    maps = ["--map", f"{paths['socket'] or socket_path}:{VALIDATION_PORT if own else 0}"]
    if not own:
        maps += ["--env", "MLEBENCH_VALIDATION_URL=http://localhost:{0}/validate"]
    sockets = [Mount(socket_path, VALIDATION_SOCKET, False)]
    if proxy_socket is not None:
        maps += ["--map", f"{paths['proxy_socket'] or proxy_socket}:{PROXY_PORT if own else 0}"]
        if not own:
            maps += [a for var in PROXY_VARS for a in ("--env", f"{var}=http://127.0.0.1:{{1}}")]
        sockets.append(Mount(proxy_socket, PROXY_SOCKET, False))
    command = ["python3", paths["forward"], *maps, "--", *agent_cmd]
    return SandboxSpec(
        command=command,
        mounts=[
            Mount(competition.public_dir, f"{HOME}/data", True),
            Mount(instructions, f"{HOME}/instructions.txt", True),
            Mount(INSIDE_DIR / "validate_submission.sh", f"{HOME}/validate_submission.sh", True),
            Mount(INSIDE_DIR / "forward.py", f"{HOME}/.mlebench/forward.py", True),
            *([] if environment is None or unsafe
              else [Mount(src, target, True, stage=False) for src, target in environment.binds()]),
        ],
        masked=[] if environment is None or unsafe else environment.hidden(),
        writable_dirs=[Mount(path, f"{HOME}/{sub}", False) for sub, path in ws.dirs.items()],
        env=env,
        workdir=paths["home"],
        network=limits.network,  # type: ignore[arg-type]
        extra_sockets=sockets,
        stdout_path=ws.stdout_path,
        stderr_path=ws.stderr_path,
        gpus=list(task.gpu_ids),
        limits=Limits(time_limit_s=limits.time_limit_s, memory_bytes=limits.memory_bytes,
                      cpus=limits.cpus, pids_max=limits.pids_max, disk_bytes=limits.disk_bytes,
                      grace_period_s=limits.grace_period_s, disk_filesystem=ws.filesystem,
                      disk_baseline_bytes=ws.baseline_used),
    )


def sandbox_env(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
                secrets: dict[str, str], unsafe: bool = False,
                environment: RunEnvironment | None = None,
                ws: workspace.Workspace | None = None) -> dict[str, str]:
    paths = layout(task, competition, unsafe, ws)
    env = {k: os.environ[k] for k in ENV_ALLOW_LIST if k in os.environ}
    env.update(environment.variables(inside=not unsafe) if environment is not None
               else {"PATH": "/usr/local/bin:/usr/bin:/bin"})
    env.update({
        # A writable home, as the reference's agent user has: libraries keep files in ~
        # (e.g. ~/.keras, ~/.surprise_data) and fail on import where they cannot.
        "HOME": paths["home"] if unsafe else paths["agent"], "PYTHONUNBUFFERED": "1",
        "COMPETITION_ID": competition.id, "MLEBENCH_SEED": str(task.seed),
        "MLEBENCH_TIME_LIMIT_SECS": str(int(limits.time_limit_s)),
        "DATA_DIR": paths["data"], "SUBMISSION_DIR": paths["submission"],
        "LOGS_DIR": paths["logs"], "CODE_DIR": paths["code"], "AGENT_DIR": paths["agent"],
        "MLEBENCH_INSTRUCTIONS": (str(task.run_dir / ".harness" / "instructions.txt") if unsafe
                                  else f"{HOME}/instructions.txt"),
        "MLEBENCH_VALIDATION_URL": VALIDATION_URL,
        # /home is read-only inside: caches go to the sandbox's own /tmp.
        "XDG_CACHE_HOME": "/tmp/.cache", "MPLCONFIGDIR": "/tmp/.matplotlib", "TMPDIR": "/tmp",
        "CUDA_VISIBLE_DEVICES": ",".join(map(str, task.gpu_ids)),
    })
    if limits.network == "llm-only":
        proxy = f"http://127.0.0.1:{PROXY_PORT}"
        # The validation endpoint is addressed as `localhost` and must not go through the proxy;
        # an LLM server on the host is reached as 127.0.0.1 (through the proxy).
        env.update({var: proxy for var in PROXY_VARS})
        env.update({"NO_PROXY": "localhost", "no_proxy": "localhost"})
    env.update(secrets)
    return env


def execute_run(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
                unsafe_no_sandbox: bool = False, extra_metadata: dict | None = None,
                backend: str = "local", environment: RunEnvironment | None = None,
                grade: bool = True, validation: Any = None) -> dict:
    """Run one (competition, seed) in the sandbox, then grade it on the host. Returns metadata.
    A Ray worker passes `grade=False` (the head grades) and its `validation` service (a factory
    like `ValidationServer`: competition, socket, log path, rate limit)."""
    rd = task.run_dir
    _reset(rd)
    root = os.geteuid() == 0 and not unsafe_no_sandbox
    ws = workspace.create(rd / ".harness", limits.disk_bytes,
                          SANDBOX_UID if root else None, SANDBOX_GID if root else None)
    try:
        return _execute(task, competition, agent, limits, unsafe_no_sandbox, extra_metadata,
                        backend, environment, ws, grade, validation or ValidationServer)
    finally:
        ws.close()


def submission_intake(run_dir: Path) -> dict[str, Any]:
    """How the run's submission was taken in: from intake.json (written when it was copied out
    of the sandbox), else checked now through the intake (a run folder from an older harness)."""
    record = json_object(run_dir, workspace.INTAKE_FILE)
    if record is not None:
        taken = next((t for t in record.get("taken") or [] if isinstance(t, dict)
                      and t.get("path") == SUBMISSION_REL), None)
        refused = next((r for r in record.get("refused") or [] if isinstance(r, dict)
                        and r.get("path") == SUBMISSION_REL), None)
        if taken:
            return {"status": "regular", "sha256": taken.get("sha256"), "bytes": taken.get("size")}
        if refused:
            return {"status": "refused", "kind": refused.get("kind"),
                    "reason": refused.get("reason")}
        return {"status": "missing"}
    try:
        digest, size = sha256_of(run_dir, SUBMISSION_REL)
    except IntakeRefused as e:
        if e.kind == "missing":
            return {"status": "missing"}
        return {"status": "refused", "kind": e.kind, "reason": e.reason}
    return {"status": "regular", "sha256": digest, "bytes": size, "checked": "at grading"}


def grade_run_folder(run_dir: Path, competition: Competition) -> dict[str, Any]:
    """Grade a run's submission on the host and write grading_report.json. A submission the
    intake refused (a link, a special file...) is invalid with the intake's reason."""
    # Deferred: grading loads pandas, which readers of run folders (reports, bundles) never need.
    from mlebench.grade import grade_csv

    intake = submission_intake(run_dir)
    report = grade_csv(run_dir / SUBMISSION_REL, competition).to_dict()
    report["graded_at"] = datetime.now(UTC).isoformat()
    report["submission_intake"] = intake
    if intake["status"] == "refused":
        report.update({k: None for k in ("score", "any_medal", "gold_medal", "silver_medal",
                                         "bronze_medal", "above_median")})
        report["valid_submission"] = False
        report["invalid_reason"] = f"{SUBMISSION_REL} {intake['reason']}"
    write_json(RunFolder(run_dir).grading_report_path, report)
    return report


def _execute(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
             unsafe_no_sandbox: bool, extra_metadata: dict | None, backend: str,
             environment: RunEnvironment | None, ws: workspace.Workspace, grade: bool = True,
             validation: Any = ValidationServer) -> dict:
    # Deferred: grading loads pandas, which readers of run folders (reports, bundles) never need.
    from mlebench.data.prepare import read_prepared_manifest

    sandbox_backend = get_backend(backend)
    rd = task.run_dir
    if agent.files_dir:
        shutil.copytree(agent.files_dir, ws.dirs["agent"], dirs_exist_ok=True, symlinks=True)
    secrets = agent.resolved_env()
    manifest = read_prepared_manifest(competition) or {}
    meta: dict[str, Any] = {
        "run_id": rd.name, "competition_id": competition.id, "seed": task.seed,
        "attempt": task.attempt, "status": "running",
        "agent": agent.redacted(), "limits": asdict(limits), "network_policy": limits.network,
        "gpu_ids": task.gpu_ids, "hardware": hardware.host_summary(),
        "environment": ({**environment.identity(), "gpu_stack": hardware.gpu_stack()}
                        if environment is not None else None),
        "packages": hardware.package_versions(),
        "data": {"source": manifest.get("source"), "synthetic": manifest.get("synthetic", False),
                 "checksums": manifest.get("checksums"), "task_version": competition.version},
        "sandbox": "UNSAFE: --unsafe-no-sandbox" if unsafe_no_sandbox else sandbox_backend.sandbox,
        "started_at": datetime.now(UTC).isoformat(), "ended_at": None,
        **(extra_metadata or {}),
    }
    write_json(RunFolder(rd).metadata_path, meta)
    socket_dir = Path(f"/tmp/mlebench-sock-{os.getpid()}-{abs(hash(str(rd))) % 10**8}")
    socket_path = socket_dir / "validate.sock"
    proxy_socket = socket_dir / "llm-proxy.sock" if limits.network == "llm-only" else None
    env = sandbox_env(task, competition, agent, limits, secrets, unsafe_no_sandbox, environment, ws)
    spec = build_spec(task, competition, agent, limits, socket_path, env, unsafe_no_sandbox,
                      proxy_socket, environment, ws)
    rate = RateLimit(limits.validation_rate_limit, 3600.0)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(
                validation(competition, socket_path, RunFolder(rd).validation_calls_path, rate))
            if proxy_socket is not None:
                stack.enter_context(LLMProxy(proxy_socket, [*agent.llm_endpoints, *limits.llm_endpoints],
                                             RunFolder(rd).network_log_path))
            outcome = sandbox_backend.run(
                spec, agent=agent, environment=environment,
                recorded_environment=meta["environment"], name=f"{rd.parent.name}-{rd.name}",
                unsafe_no_sandbox=unsafe_no_sandbox)
            spec, result, meta["environment"] = outcome.spec, outcome.result, outcome.environment
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    # The agent is gone: take in what it left, through the intake, into the run folder.
    intake = workspace.take_in(ws, rd)
    enforcement = {**result.enforcement, "disk": ws.describe() if limits.disk_bytes is not None
                   else None, "intake": "regular files copied out without following links; "
                   f"{len(intake.refused)} entr(y/ies) refused (intake.json)"}
    meta.update({
        "status": result.status, "exit_code": result.exit_code,
        "started_at": result.started_at.isoformat(), "ended_at": result.ended_at.isoformat(),
        "duration_s": (result.ended_at - result.started_at).total_seconds(),
        "enforcement": {**enforcement, "validation_endpoint": (
            f"{VALIDATION_URL} on the run's own loopback"
            if private_loopback(limits.network, unsafe_no_sandbox)
            else "a kernel-chosen port for this run only (MLEBENCH_VALIDATION_URL)")},
        "peak_memory_bytes": result.peak_memory_bytes,
        "mounts": [{"source": str(m.source), "target": m.target, "read_only": m.read_only}
                   for m in [*spec.mounts, *spec.writable_dirs, *spec.extra_sockets]],
        "validation": summarize_calls(RunFolder(rd).validation_calls_path),
        "network_requests": summarize_network(RunFolder(rd).network_log_path),
        "agent_reported_llm_usage": summarize_tokens(rd),
        "intake": {"refused": len(intake.refused), "files": len(intake.taken),
                   "bytes": intake.bytes_taken},
    })
    if not grade:  # not finished until graded (no grading_report.json): the head grades it
        write_json(RunFolder(rd).metadata_path, meta)
        return meta
    return finish_grading(rd, competition, meta)


def finish_grading(rd: Path, competition: Competition, meta: dict[str, Any]) -> dict[str, Any]:
    """Grade the run folder's copy taken in (the sandbox is gone), then write its final
    metadata."""
    report = grade_run_folder(rd, competition)
    meta["grading"] = {k: report[k] for k in ("score", "valid_submission", "any_medal",
                                               "gold_medal", "silver_medal", "bronze_medal",
                                               "above_median", "synthetic")}
    write_json(RunFolder(rd).metadata_path, meta)  # written last: its final status marks the run done
    return meta
