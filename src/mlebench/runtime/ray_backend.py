"""The Ray backend: each (competition, seed) is a Ray task with its CPU, memory and GPU request,
running the local sandbox on whichever node Ray picks.

A task works in a node-local folder and returns its run folder as a tar archive; the driver
unpacks it into the run group atomically. So results land in the group whether or not the nodes
share a filesystem, and a task that Ray retries after losing its node (or worker) is recorded
once: only the attempt that returns is written. Every node needs mlebench installed and the
prepared data at the same `--data-dir` path.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.errors import MLEBenchError

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Registry
    from mlebench.runtime.runs import RunLimits, RunTask

MAX_RETRIES = 3


def _execute_remote(competition_id: str, seed: int, run_name: str, attempt: int, data_dir: str,
                    agent_json: dict, limits: dict, unsafe: bool,
                    env: dict | None = None) -> tuple[dict, bytes]:
    """Body of the Ray task (runs on a worker node)."""
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import prepare_run_environment
    from mlebench.registry import Registry
    from mlebench.runtime.runs import RunLimits, RunTask, execute_run

    agent = AgentSpec.model_validate(agent_json)
    environment = None
    if env is not None:  # the node's own build of the same environment (same content hash)
        environment = prepare_run_environment(env["profile"], env["variant"],
                                              agent.requirement_lines(), agent.requirements_deps)
        if environment.spec.hash != env["hash"]:
            raise MLEBenchError(f"Environment {env['profile']} differs on node "
                                f"{os.uname().nodename} ({environment.spec.short}).")
    competition = Registry(data_dir).get_competition(competition_id)
    with tempfile.TemporaryDirectory(prefix="mlebench-ray-") as tmp:
        run_dir = Path(tmp) / run_name
        gpu_ids = [int(g) for g in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if g]
        task = RunTask(competition_id, seed, run_dir, attempt=attempt, gpu_ids=gpu_ids)
        meta = execute_run(task, competition, agent, RunLimits(**limits), unsafe,
                           extra_metadata={"backend": "ray", "node": os.uname().nodename},
                           environment=environment)
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            tar.add(run_dir, arcname=run_name)
        return meta, buf.getvalue()


def _unpack(archive: bytes, group_dir: Path, run_name: str) -> None:
    partial = group_dir / f".{run_name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        tar.extractall(partial, filter="data")
    final = group_dir / run_name
    shutil.rmtree(final, ignore_errors=True)
    (partial / run_name).rename(final)
    shutil.rmtree(partial, ignore_errors=True)


def run_on_ray(todo: list[RunTask], registry: Registry, agent: AgentSpec, limits: RunLimits,
               unsafe: bool, on_event: Any, address: str | None,
               environment: RunEnvironment | None = None) -> None:
    try:
        import ray
    except ImportError:
        raise MLEBenchError("The ray backend needs Ray: pip install 'mlebench[ray]'.") from None
    from dataclasses import asdict

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 ignore_reinit_error=True)
    remote = ray.remote(max_retries=MAX_RETRIES)(_execute_remote)
    options: dict[str, Any] = {"num_cpus": limits.cpus or 1, "num_gpus": limits.gpus}
    if limits.memory_bytes:
        options["memory"] = limits.memory_bytes
    refs = {}
    agent_json = agent.model_dump(mode="json")
    env = None if environment is None else {
        "profile": environment.spec.source if environment.spec.source != "builtin"
        else environment.spec.profile, "variant": environment.spec.variant,
        "hash": environment.spec.hash}
    for t in todo:
        ref = remote.options(**options).remote(
            t.competition_id, t.seed, t.run_dir.name, t.attempt, str(registry.get_data_dir()),
            agent_json, asdict(limits), unsafe, env)
        refs[ref] = t
        if on_event:
            on_event("started", t, None)
    pending = list(refs)
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        task = refs[done[0]]
        try:
            meta, archive = ray.get(done[0])
            _unpack(archive, task.run_dir.parent, task.run_dir.name)
            event = "finished"
        except Exception as e:  # the task failed on every retry
            meta, event = {"error": f"{type(e).__name__}: {e}"}, "error"
        if on_event:
            on_event(event, task, meta)
    if started_here and address is None:
        ray.shutdown()
