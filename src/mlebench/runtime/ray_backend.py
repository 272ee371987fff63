"""The Ray backend: workers run agents; the answers, validation and grading stay on the head.

What lives where:

- **Head** (the node running `mlebench run`, the Ray driver): the prepared data, private answers
  included; the run group; a `ValidationGateway` actor pinned to this node (`ray_validation`),
  which answers every validation call and keeps its log; the grading of every run.
- **Object store**: each competition's public folder, packed once per `mlebench run` as a
  deterministic tar named by its sha256 (`ray_staging`); never `prepared/private`, never the
  preparation manifest.
- **Workers**: a cache of public folders by content hash (reused by every run of the competition
  on that node); a scratch run folder per task, deleted when the task returns. A worker never
  receives the data dir's path, the answers or anything derived from them but the upload cap.

Each (competition, seed) is a Ray task (its CPU, memory and GPU request, spread over the nodes).
On the worker it fetches the public data (or reuses the node's copy), opens the run's validation
at the gateway, runs the agent in the sandbox with a `ValidationRelay` on the run's socket (so
the agent's `http://localhost:5000/validate` reaches the head), takes the agent's files in through
the intake as a local run does, and returns its metadata and the run folder as an uncompressed
tar. The driver takes that archive in (`run_archive`: hostile, never `extractall`), replaces the
validation log by the head's, records the head's data checksums, grades on the head and writes the
final metadata. A task Ray retries after losing its worker or node starts over with a new attempt
token (the gateway forgets the lost attempt's log and refuses its calls), and only the attempt
that returns is written: each run is recorded once. Nodes need not share a filesystem, but every
node needs mlebench and the agent's environment (same content hash) installed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.agents import AgentSpec
from mlebench.data.prepare import read_prepared_manifest
from mlebench.envs.run_env import prepare_run_environment
from mlebench.errors import MLEBenchError
from mlebench.registry import Registry
from mlebench.runtime.ray_staging import ensure_public, stage
from mlebench.runtime.ray_validation import ValidationGateway, ValidationRelay
from mlebench.runtime.run_archive import pack, take_in_archive
from mlebench.runtime.run_folder import FINAL_STATUSES, RunFolder
from mlebench.runtime.runs import RunLimits, RunTask, execute_run, finish_grading
from mlebench.runtime.validation import summarize_calls
from mlebench.utils import write_json

if TYPE_CHECKING:
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Competition
    from mlebench.runtime.ray_staging import StagedPublicData

MAX_RETRIES = 3
VALIDATION_LOGS = ".validation"  # in the run group, on the head: the gateway's call logs


def _wait(ref: Any) -> Any:
    """An object's value, waited for without `ray.get`: a task blocked in `ray.get` gives its CPUs
    back to Ray, which then starts another run on them (two agents on one slot)."""
    return ref.future().result()


def _execute_remote(competition_id: str, seed: int, run_name: str, attempt: int,
                    staged: StagedPublicData, gateway: Any, agent_json: dict, limits: dict,
                    unsafe: bool, env: dict | None = None) -> tuple[dict, str, bytes]:
    """Body of the Ray task (runs on a worker node): the agent only, no grading."""
    import ray  # optional (the `ray` extra); a node running this task has it

    agent = AgentSpec.model_validate(agent_json)
    environment = None
    if env is not None:  # the node's own build of the same environment (same content hash)
        environment = prepare_run_environment(env["profile"], env["variant"],
                                              agent.requirement_lines(), agent.requirements_deps)
        if environment.spec.hash != env["hash"]:
            raise MLEBenchError(f"Environment {env['profile']} differs on node "
                                f"{os.uname().nodename} ({environment.spec.short}).")
    competition = Registry(ensure_public(staged, _wait)).get_competition(competition_id)
    token = uuid.uuid4().hex
    cap = _wait(gateway.open.remote(run_name, competition_id, token))

    def relay(_competition: Competition, socket_path: Path, _log: Path, _rate: Any
              ) -> ValidationRelay:
        return ValidationRelay(gateway, run_name, token, cap, socket_path)

    with tempfile.TemporaryDirectory(prefix="mlebench-ray-") as tmp:
        run_dir = Path(tmp) / run_name
        gpu_ids = [int(g) for g in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if g]
        task = RunTask(competition_id, seed, run_dir, attempt=attempt, gpu_ids=gpu_ids)
        meta = execute_run(task, competition, agent, RunLimits(**limits), unsafe,
                           extra_metadata={"backend": "ray", "node": os.uname().nodename,
                                           "ray_node_id": ray.get_runtime_context().get_node_id()},
                           environment=environment, grade=False, validation=relay)
        return meta, token, pack(run_dir)


def finish_on_head(run_dir: Path, competition: Competition, meta: dict, head_log: Path) -> dict:
    """Complete a run taken in from a worker: the head's validation log and data checksums,
    then grading on the head; returns the final metadata."""

    target = RunFolder(run_dir).validation_calls_path
    target.unlink(missing_ok=True)  # the worker's copy is never the record
    if head_log.is_file():
        os.replace(head_log, target)
    else:
        target.touch()
    manifest = read_prepared_manifest(competition) or {}
    meta.update({
        "validation": summarize_calls(target),
        "data": {"source": manifest.get("source"), "synthetic": manifest.get("synthetic", False),
                 "checksums": manifest.get("checksums"), "task_version": competition.version},
    })
    if meta.get("status") not in FINAL_STATUSES:
        meta["status"] = "crashed"
    return finish_grading(run_dir, competition, meta)


def run_on_ray(todo: list[RunTask], registry: Registry, agent: AgentSpec, limits: RunLimits,
               unsafe: bool, on_event: Any, address: str | None,
               environment: RunEnvironment | None = None) -> None:
    try:
        import ray  # optional (the `ray` extra)
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
    except ImportError:
        raise MLEBenchError("The ray backend needs Ray: pip install 'mlebench[ray]'.") from None

    if not todo:
        return
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 ignore_reinit_error=True)
    group_dir = todo[0].run_dir.parent
    log_dir = group_dir / VALIDATION_LOGS
    head = ray.get_runtime_context().get_node_id()
    gateway = ray.remote(ValidationGateway).options(
        num_cpus=0, scheduling_strategy=NodeAffinitySchedulingStrategy(head, soft=False),
    ).remote(str(registry.get_data_dir()), str(log_dir), limits.validation_rate_limit, 3600.0)
    comps = {t.competition_id: registry.get_competition(t.competition_id) for t in todo}
    staged = {cid: stage(c.public_dir, cid, ray.put) for cid, c in comps.items()}
    remote = ray.remote(max_retries=MAX_RETRIES)(_execute_remote)
    options: dict[str, Any] = {"num_cpus": limits.cpus or 1, "num_gpus": limits.gpus,
                               "scheduling_strategy": "SPREAD"}
    # A default chosen from the driver's machine says nothing of the nodes': asking Ray for it
    # could make every task unschedulable. The sandbox on the node still enforces it.
    if limits.memory_bytes and "memory_bytes" not in limits.machine_defaults:
        options["memory"] = limits.memory_bytes
    refs = {}
    agent_json = agent.model_dump(mode="json")
    env = None if environment is None else {
        "profile": environment.spec.source if environment.spec.source != "builtin"
        else environment.spec.profile, "variant": environment.spec.variant,
        "hash": environment.spec.hash}
    for t in todo:
        # Until the run comes back the head knows only that it was sent: a run left so by an
        # interrupted driver is resumed as its next attempt.
        t.run_dir.mkdir(parents=True, exist_ok=True)
        write_json(RunFolder(t.run_dir).metadata_path, {
            "run_id": t.name, "competition_id": t.competition_id, "seed": t.seed,
            "attempt": t.attempt, "status": "submitted", "backend": "ray"})
        ref = remote.options(**options).remote(
            t.competition_id, t.seed, t.run_dir.name, t.attempt, staged[t.competition_id],
            gateway, agent_json, asdict(limits), unsafe, env)
        refs[ref] = t
        if on_event:
            on_event("started", t, None)
    pending = list(refs)
    try:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            task = refs[done[0]]
            try:
                meta, _token, archive = ray.get(done[0])
                if not isinstance(meta, dict) or not isinstance(archive, bytes):
                    raise MLEBenchError("the worker returned something else than a run")
                run_dir = take_in_archive(archive, group_dir, task.name,
                                          shutil.disk_usage(group_dir).free // 2)
                meta = finish_on_head(run_dir, comps[task.competition_id], meta,
                                      log_dir / f"{task.name}.jsonl")
                event = "finished"
            except Exception as e:  # the task failed on every retry, or could not be taken in
                meta, event = {"error": f"{type(e).__name__}: {e}"}, "error"
            if on_event:
                on_event(event, task, meta)
    finally:
        with contextlib.suppress(Exception):
            ray.kill(gateway)
        # Empty once every run came back; else the logs of runs that will start over when the
        # group is resumed (nothing is left in the group for bundles to pick up).
        shutil.rmtree(log_dir, ignore_errors=True)
        if started_here and address is None:
            ray.shutdown()
