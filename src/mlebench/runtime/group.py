"""`mlebench run`: schedule (competition, seed) runs of one agent into a resumable run group."""

from __future__ import annotations

import json
import os
import shlex
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mlebench
from mlebench.data import is_dataset_prepared
from mlebench.envs.run_env import prepare_run_environment
from mlebench.errors import MLEBenchError
from mlebench.intake import json_object
from mlebench.runtime.backends import get_backend
from mlebench.runtime.runs import (
    RunLimits,
    RunTask,
    execute_run,
    is_finished,
    read_metadata,
    run_dir_name,
)
from mlebench.runtime.scheduler import Request, ResourcePool
from mlebench.utils import atomic_write_bytes, write_json

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.registry import Registry

GROUP_FILE = "group.json"
# What the runs used, beside group.json (bundles carry them; verify checks them).
ENV_LOCK_FILE, LAYER_LOCK_FILE = "environment.lock.txt", "agent-layer.lock.txt"
Event = Callable[[str, RunTask, dict | None], None]  # ("started"|"finished"|"skipped"|"error", ...)


def plan_tasks(group_dir: Path, competition_ids: list[str], seeds: int) -> list[RunTask]:
    return [RunTask(cid, seed, group_dir / run_dir_name(cid, seed))
            for seed in range(seeds) for cid in competition_ids]


def read_group_file(group_dir: Path) -> dict | None:
    """A group's group.json (through the intake: never a link, bounded); None if absent or bad."""
    return json_object(group_dir, GROUP_FILE)


def write_group_file(group_dir: Path, agent: AgentSpec, competition_ids: list[str], seeds: int,
                     limits: RunLimits, backend: str, unsafe: bool,
                     environment: RunEnvironment | None = None) -> None:
    """Record what this group is; refuse to resume a folder made for a different run."""
    identity = {"agent": agent.redacted(), "limits": asdict(limits), "backend": backend,
                "unsafe_no_sandbox": unsafe,
                "environment": environment.identity() if environment is not None else None}
    path = group_dir / GROUP_FILE
    old = read_group_file(group_dir)
    if old is None and os.path.lexists(path):
        raise MLEBenchError(f"{path} is not a readable run group record; pass another --run-dir.")
    if old is not None:
        if old.get("identity") != json.loads(json.dumps(identity, default=str)):
            raise MLEBenchError(
                f"{group_dir} holds a run group with a different agent, limits or environment; "
                "resume it with the same options, or pass another --run-dir."
            )
        competitions = list(dict.fromkeys(old.get("competitions", []) + competition_ids))
        seeds = max(seeds, old.get("seeds", 0))
        created = old.get("created_at")
    else:
        competitions, created = competition_ids, datetime.now(UTC).isoformat()
    write_json(path, {
        "identity": identity, "competitions": competitions, "seeds": seeds,
        "created_at": created, "updated_at": datetime.now(UTC).isoformat(),
        "mlebench_version": mlebench.__version__,
        "command": " ".join(shlex.quote(a) for a in sys.argv),
    })
    if environment is not None:  # the locks themselves travel with the results (bundles)
        atomic_write_bytes(group_dir / ENV_LOCK_FILE, environment.spec.lock_bytes)
        if environment.layer is not None:
            atomic_write_bytes(group_dir / LAYER_LOCK_FILE,
                               (environment.layer.path / "layer.lock.txt").read_bytes())


def run_group(
    group_dir: Path,
    registry: Registry,
    competition_ids: list[str],
    agent: AgentSpec,
    limits: RunLimits,
    seeds: int = 1,
    workers: int = 1,
    backend: str = "local",
    unsafe_no_sandbox: bool = False,
    on_event: Event | None = None,
    ray_address: str | None = None,
    env_profile: str | None = None,
    env_variant: str | None = None,
    on_env_progress: Callable[[str, int, int | None], None] | None = None,
) -> list[dict[str, Any]]:
    """Run every (competition, seed) not finished yet; return the metadata of all runs. The
    agent runs in `env_profile` (default: the agent spec's, else the reference's), which must be
    built (`mlebench env build`); its own requirements layer is built here if not cached."""
    group_dir = Path(group_dir).resolve()  # the sandbox binds absolute paths
    comps = {cid: registry.get_competition(cid) for cid in competition_ids}
    unprepared = [cid for cid, c in comps.items() if not is_dataset_prepared(c)]
    if unprepared:
        raise MLEBenchError(
            f"Not prepared: {', '.join(unprepared)}. Run `mlebench prepare -c <id>` first "
            f"(data dir {registry.get_data_dir()})."
        )
    # Ray spreads runs over a cluster, each in its node's local sandbox; the rest are backends.
    sandbox_backend = get_backend(backend) if backend != "ray" else None
    if sandbox_backend is not None:
        sandbox_backend.check(unsafe_no_sandbox)
    profile = env_profile or agent.env_profile
    environment = prepare_run_environment(profile, env_variant, agent.requirement_lines(),
                                          agent.requirements_deps, progress=on_env_progress)
    if sandbox_backend is not None:
        sandbox_backend.check_ready(agent, environment)
    group_dir.mkdir(parents=True, exist_ok=True)
    write_group_file(group_dir, agent, competition_ids, seeds, limits, backend, unsafe_no_sandbox,
                      environment)
    tasks = plan_tasks(group_dir, competition_ids, seeds)
    todo = []
    for t in tasks:
        if is_finished(t.run_dir):
            if on_event:
                on_event("skipped", t, read_metadata(t.run_dir))
        else:
            previous = read_metadata(t.run_dir)
            t.attempt = (previous or {}).get("attempt", 0) + 1 if previous else 1
            todo.append(t)
    if backend == "ray":
        # Deferred: Ray is optional and heavy; only --backend ray needs it.
        from mlebench.runtime.ray_backend import run_on_ray

        run_on_ray(todo, registry, agent, limits, unsafe_no_sandbox, on_event, ray_address,
                   environment)
    else:
        _run_local(todo, comps, agent, limits, workers, unsafe_no_sandbox, on_event, backend,
                   environment)
    return [m for t in tasks if (m := read_metadata(t.run_dir))]


def _run_local(todo: list[RunTask], comps: dict, agent: AgentSpec, limits: RunLimits,
               workers: int, unsafe: bool, on_event: Event | None, backend: str = "local",
               environment: RunEnvironment | None = None) -> None:
    pool = ResourcePool()
    req = Request(cpus=limits.cpus or 1.0, memory_bytes=limits.memory_bytes or 0, gpus=limits.gpus)
    pool.check_fits(req)
    lock = threading.Lock()

    def one(task: RunTask) -> dict:
        gpu_ids = pool.acquire(req)
        task.gpu_ids = gpu_ids
        try:
            if on_event:
                with lock:
                    on_event("started", task, None)
            return execute_run(task, comps[task.competition_id], agent, limits, unsafe,
                               backend=backend, environment=environment)
        finally:
            pool.release(req, gpu_ids)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as ex:
        futures = {ex.submit(one, t): t for t in todo}
        for fut in as_completed(futures):
            task = futures[fut]
            try:
                meta = fut.result()
                event = "finished"
            except MLEBenchError as e:
                meta, event = {"error": str(e)}, "error"
            if on_event:
                with lock:
                    on_event(event, task, meta)
