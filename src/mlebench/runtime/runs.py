"""Run groups: one folder per `mlebench run`, one sub-folder per (competition, seed).

A run folder is self-describing:

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
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.runtime import hardware
from mlebench.runtime.validation import RateLimit, ValidationServer, summarize_calls
from mlebench.utils import write_json

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Competition

FINAL_STATUSES = ("completed", "timed-out", "crashed", "killed-for-memory", "killed-for-disk")
INSIDE_DIR = Path(__file__).parent / "inside"
HOME = "/home"
VALIDATION_SOCKET = "/run/mlebench/validate.sock"
PROXY_SOCKET = "/run/mlebench/llm-proxy.sock"
PROXY_PORT = 3128
ENV_ALLOW_LIST = ("LANG", "LC_ALL", "TZ", "TERM")


@dataclass(frozen=True)
class RunLimits:
    time_limit_s: float = 24 * 3600
    cpus: float | None = None
    memory_bytes: int | None = None
    gpus: int = 0
    pids_max: int | None = 4096
    disk_bytes: int | None = None
    grace_period_s: float = 10.0
    network: str = "none"
    validation_rate_limit: int | None = None  # calls per hour
    llm_endpoints: tuple[str, ...] = ()  # allowed under llm-only, besides the agent spec's


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
    if not log_path.is_file():
        return None
    records = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    return {"requests": len(records), "denied": sum(1 for r in records if not r["allowed"]),
            "bytes_up": sum(r["bytes_up"] for r in records),
            "bytes_down": sum(r["bytes_down"] for r in records),
            "hosts": sorted({f"{r['host']}:{r['port']}" for r in records if r["host"]})}


def summarize_tokens(path: Path) -> dict | None:
    """Token and cost totals from the agent's own `logs/tokens.jsonl` (agent-reported: the
    harness's own record of LLM traffic is the network log)."""
    if not path.is_file():
        return None
    totals = {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0}
    for line in path.read_text(errors="replace").splitlines():
        try:
            rec = json.loads(line)
            totals["calls"] += 1
            for k in ("prompt_tokens", "completion_tokens", "cost_usd"):
                totals[k] += float(rec.get(k) or 0)
        except (ValueError, TypeError, AttributeError):
            continue
    return totals


def run_dir_name(competition_id: str, seed: int) -> str:
    return f"{competition_id}_seed{seed}"


def read_metadata(run_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((run_dir / "metadata.json").read_text())
    except (OSError, ValueError):
        return None


def run_dirs(group: Path) -> list[Path]:
    """The run folders of a run group (those with a metadata.json), sorted."""
    return sorted(p for p in Path(group).iterdir() if (p / "metadata.json").is_file())


def is_finished(run_dir: Path) -> bool:
    meta = read_metadata(run_dir)
    return bool(meta and meta.get("status") in FINAL_STATUSES
                and (run_dir / "grading_report.json").is_file())


def _reset(run_dir: Path) -> None:
    """An unfinished run starts over: nothing half-written is kept."""
    if run_dir.exists():
        shutil.rmtree(run_dir)
    for sub in ("submission", "logs", "code", "agent"):
        (run_dir / sub).mkdir(parents=True)


def layout(task: RunTask, competition: Competition, unsafe: bool) -> dict[str, str]:
    """Where the agent finds things: sandbox paths, or the host paths themselves when running
    without a sandbox (then agents must follow the *_DIR variables rather than /home)."""
    rd = task.run_dir
    if not unsafe:
        return {"data": f"{HOME}/data", "submission": f"{HOME}/submission", "logs": f"{HOME}/logs",
                "code": f"{HOME}/code", "agent": f"{HOME}/agent", "home": HOME,
                "forward": f"{HOME}/.mlebench/forward.py", "socket": VALIDATION_SOCKET,
                "proxy_socket": PROXY_SOCKET}
    return {"data": str(competition.public_dir), "submission": str(rd / "submission"),
            "logs": str(rd / "logs"), "code": str(rd / "code"), "agent": str(rd / "agent"),
            "home": str(rd), "forward": str(INSIDE_DIR / "forward.py"), "socket": "",
            "proxy_socket": ""}


def build_spec(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
               socket_path: Path, env: dict[str, str], unsafe: bool = False,
               proxy_socket: Path | None = None, environment: RunEnvironment | None = None):
    """The sandbox specification of one run (also what the Docker backend translates). The
    agent's Python is `environment`'s, mounted read-only; without one only the system's."""
    from mlebench.runtime.sandbox import Limits, Mount, SandboxSpec

    rd = task.run_dir
    paths = layout(task, competition, unsafe)
    instructions = rd / ".harness" / "instructions.txt"
    instructions.parent.mkdir(parents=True, exist_ok=True)
    hours = limits.time_limit_s / 3600
    instructions.write_text((INSIDE_DIR / "instructions.txt").read_text().replace(
        "{time_limit}", f"{hours:g} hours" if hours >= 1 else f"{limits.time_limit_s:g} seconds"))
    agent_cmd = agent.full_command()
    if unsafe:
        agent_cmd = [a.replace(f"{HOME}/agent", paths["agent"]) for a in agent_cmd]
    maps = ["--map", f"{paths['socket'] or socket_path}:5000"]
    sockets = [Mount(socket_path, VALIDATION_SOCKET, False)]
    if proxy_socket is not None:
        maps += ["--map", f"{paths['proxy_socket'] or proxy_socket}:{PROXY_PORT}"]
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
              else [Mount(src, target, True) for src, target in environment.binds()]),
        ],
        masked=[] if environment is None or unsafe else environment.hidden(),
        writable_dirs=[
            Mount(rd / sub, f"{HOME}/{sub}", False) for sub in ("submission", "logs", "code", "agent")
        ],
        env=env,
        workdir=paths["home"],
        network=limits.network,  # type: ignore[arg-type]
        extra_sockets=sockets,
        stdout_path=rd / "agent.stdout.log",
        stderr_path=rd / "agent.stderr.log",
        gpus=list(task.gpu_ids),
        limits=Limits(time_limit_s=limits.time_limit_s, memory_bytes=limits.memory_bytes,
                      cpus=limits.cpus, pids_max=limits.pids_max, disk_bytes=limits.disk_bytes,
                      grace_period_s=limits.grace_period_s),
    )


def sandbox_env(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
                secrets: dict[str, str], unsafe: bool = False,
                environment: RunEnvironment | None = None) -> dict[str, str]:
    paths = layout(task, competition, unsafe)
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
        "MLEBENCH_VALIDATION_URL": "http://localhost:5000/validate",
        # /home is read-only inside: caches go to the sandbox's own /tmp.
        "XDG_CACHE_HOME": "/tmp/.cache", "MPLCONFIGDIR": "/tmp/.matplotlib", "TMPDIR": "/tmp",
        "CUDA_VISIBLE_DEVICES": ",".join(map(str, task.gpu_ids)),
    })
    if limits.network == "llm-only":
        proxy = f"http://127.0.0.1:{PROXY_PORT}"
        # The validation endpoint is addressed as `localhost` and must not go through the proxy;
        # an LLM server on the host is reached as 127.0.0.1 (through the proxy).
        env.update({"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy,
                    "https_proxy": proxy, "NO_PROXY": "localhost", "no_proxy": "localhost"})
    env.update(secrets)
    return env


def execute_run(task: RunTask, competition: Competition, agent: AgentSpec, limits: RunLimits,
                unsafe_no_sandbox: bool = False, extra_metadata: dict | None = None,
                backend: str = "local", environment: RunEnvironment | None = None) -> dict:
    """Run one (competition, seed) in the sandbox, then grade it on the host. Returns metadata."""
    from mlebench.data.prepare import read_prepared_manifest
    from mlebench.grade import grade_csv
    from mlebench.runtime.sandbox import run_sandboxed

    rd = task.run_dir
    _reset(rd)
    if agent.files_dir:
        shutil.copytree(agent.files_dir, rd / "agent", dirs_exist_ok=True)
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
        "sandbox": ("UNSAFE: --unsafe-no-sandbox" if unsafe_no_sandbox
                    else "docker" if backend == "docker" else "bubblewrap"),
        "started_at": datetime.now(UTC).isoformat(), "ended_at": None,
        **(extra_metadata or {}),
    }
    write_json(rd / "metadata.json", meta)
    socket_dir = Path(f"/tmp/mlebench-sock-{os.getpid()}-{abs(hash(str(rd))) % 10**8}")
    socket_path = socket_dir / "validate.sock"
    proxy_socket = socket_dir / "llm-proxy.sock" if limits.network == "llm-only" else None
    env = sandbox_env(task, competition, agent, limits, secrets, unsafe_no_sandbox, environment)
    spec = build_spec(task, competition, agent, limits, socket_path, env, unsafe_no_sandbox,
                      proxy_socket, environment)
    rate = RateLimit(limits.validation_rate_limit, 3600.0)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(
                ValidationServer(competition, socket_path, rd / "validation_calls.jsonl", rate))
            if proxy_socket is not None:
                from mlebench.runtime.llm_proxy import LLMProxy

                stack.enter_context(LLMProxy(proxy_socket, [*agent.llm_endpoints, *limits.llm_endpoints],
                                             rd / "network_log.jsonl"))
            if backend == "docker":
                from mlebench.runtime.docker_backend import run_for_run_group

                spec, result, meta["environment"] = run_for_run_group(
                    spec, agent, environment, meta["environment"], f"{rd.parent.name}-{rd.name}")
            else:
                result = run_sandboxed(spec, unsafe_no_sandbox=unsafe_no_sandbox)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    meta.update({
        "status": result.status, "exit_code": result.exit_code,
        "started_at": result.started_at.isoformat(), "ended_at": result.ended_at.isoformat(),
        "duration_s": (result.ended_at - result.started_at).total_seconds(),
        "enforcement": result.enforcement, "peak_memory_bytes": result.peak_memory_bytes,
        "mounts": [{"source": str(m.source), "target": m.target, "read_only": m.read_only}
                   for m in [*spec.mounts, *spec.writable_dirs, *spec.extra_sockets]],
        "validation": summarize_calls(rd / "validation_calls.jsonl"),
        "network_requests": summarize_network(rd / "network_log.jsonl"),
        "agent_reported_llm_usage": summarize_tokens(rd / "logs" / "tokens.jsonl"),
    })
    # Host-side grading, after the sandbox is gone.
    report = grade_csv(rd / "submission" / "submission.csv", competition).to_dict()
    report["graded_at"] = datetime.now(UTC).isoformat()
    write_json(rd / "grading_report.json", report)
    meta["grading"] = {k: report[k] for k in ("score", "valid_submission", "any_medal",
                                               "gold_medal", "silver_medal", "bronze_medal",
                                               "above_median", "synthetic")}
    write_json(rd / "metadata.json", meta)  # written last: its final status marks the run done
    return meta
