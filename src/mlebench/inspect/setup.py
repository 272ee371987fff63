"""Host-side preparation for inspect samples: data, limits, environment, then the session.

Everything here runs on the host, before the sample's sandbox exists: a competition that is not
prepared yet is prepared (practice competitions and `synthetic` need no network; real ones need
Kaggle as for `mlebench prepare`), never in the sandbox.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mlebench.data import is_dataset_prepared
from mlebench.data.prepare import prepare_competition
from mlebench.envs.run_env import prepare_run_environment
from mlebench.errors import MLEBenchError
from mlebench.inspect.config import MLEBenchSandboxConfig, default_concurrency
from mlebench.inspect.session import SampleSession, server_agent
from mlebench.registry import Registry
from mlebench.runtime.group import write_group_file
from mlebench.runtime.limit_defaults import with_machine_defaults
from mlebench.runtime.limit_units import parse_bytes, parse_count, parse_limit
from mlebench.runtime.runs import RunLimits
from mlebench.runtime.scheduler import Request, ResourcePool

if TYPE_CHECKING:
    from mlebench.envs.run_env import RunEnvironment
    from mlebench.inspect.session import SampleSession
    from mlebench.registry import Competition

_prepare_locks: dict[str, threading.Lock] = {}
_locks_lock = threading.Lock()
_group_lock = threading.Lock()
_limits_lock = threading.Lock()
_limits: dict[tuple[MLEBenchSandboxConfig, Path], RunLimits] = {}
BACKEND = "inspect_ai"
_default_group = f"runs/inspect-{time.strftime('%Y-%m-%dT%H-%M-%S')}"


def run_group_dir(cfg: MLEBenchSandboxConfig) -> Path:
    return Path(cfg.run_group or _default_group).expanduser().resolve()


def ensure_prepared(competition: Competition, synthetic: bool) -> None:
    """Prepare the competition unless it is (one preparation per competition at a time)."""

    with _locks_lock:
        lock = _prepare_locks.setdefault(str(competition.competition_dir), threading.Lock())
    with lock:
        if not is_dataset_prepared(competition):
            prepare_competition(competition, synthetic=synthetic)


def limits_for(cfg: MLEBenchSandboxConfig, group: Path) -> RunLimits:
    """The samples' limits, chosen once per configuration and group: samples starting together
    must not each pick a slightly different machine default (the group would refuse them)."""
    with _limits_lock:
        key = (cfg, group)
        if key not in _limits:
            _limits[key] = _choose_limits(cfg, group)
        return _limits[key]


def _choose_limits(cfg: MLEBenchSandboxConfig, group: Path) -> RunLimits:

    limits = RunLimits(
        time_limit_s=cfg.time_limit_s, cpus=cfg.cpus, gpus=cfg.gpus,
        memory_bytes=parse_limit(cfg.memory, parse_bytes),
        disk_bytes=parse_limit(cfg.disk, parse_bytes),
        pids_max=parse_limit(cfg.pids_limit, parse_count),
        grace_period_s=cfg.grace_period_s, network=cfg.network,
        validation_rate_limit=cfg.validation_rate_limit, llm_endpoints=tuple(cfg.llm_endpoints))
    unset = {f for f, v in (("memory_bytes", cfg.memory), ("disk_bytes", cfg.disk),
                            ("pids_max", cfg.pids_limit)) if v is None}
    # as many at once as the provider lets inspect run by default
    concurrent = default_concurrency() if cfg.concurrent is None else cfg.concurrent
    return with_machine_defaults(limits, unset, group, max(1, concurrent))


@lru_cache(maxsize=8)
def environment_for(profile: str, variant: str | None) -> RunEnvironment:

    return prepare_run_environment(profile, variant)


def open_session(cfg: MLEBenchSandboxConfig, competition_id: str,
                 task_name: str) -> SampleSession:
    """Prepare what the sample needs and start its sandbox."""

    registry = Registry(cfg.data_dir) if cfg.data_dir else Registry()
    competition = registry.get_competition(competition_id)
    ensure_prepared(competition, cfg.synthetic)
    group = run_group_dir(cfg)
    limits = limits_for(cfg, group)
    environment = environment_for(cfg.env_profile, cfg.env_variant)
    gpu_ids = _gpus().acquire(Request(0.0, 0, limits.gpus)) if limits.gpus else []
    session = SampleSession(competition, group, limits, environment,
                            {"inspect": {"task": task_name}}, gpu_ids=gpu_ids,
                            on_close=lambda: _gpus().release(Request(0.0, 0, limits.gpus),
                                                              gpu_ids) if gpu_ids else None)
    try:
        record_group(group, competition_id, session.seed, limits, environment)
        session.start()
    except BaseException:
        session.close()
        raise
    return session


@lru_cache(maxsize=1)
def _gpus() -> ResourcePool:
    """This machine's GPUs, given out to samples as `mlebench run` gives them to runs (whole
    GPUs, CUDA_VISIBLE_DEVICES and the device nodes of the sandbox)."""
    return ResourcePool()


def record_group(group: Path, competition_id: str, seed: int, limits: RunLimits,
                 environment: RunEnvironment) -> None:
    """group.json and the environment's lock, as `mlebench run` writes them (bundles and verify
    read them); a group made with another environment or other limits is refused."""

    with _group_lock:
        write_group_file(group, server_agent(), [competition_id], seed + 1, limits, BACKEND,
                          False, environment)


def check_task_args(competition_ids: list[str], data_dir: str | None, env_profile: str,
                    env_variant: str | None, gpus: int = 0) -> None:
    """Fail at task creation, with one line, on what would fail every sample: an unknown or
    unimplemented competition, an agent environment that is not built, more GPUs than here."""
    if gpus:
        _gpus().check_fits(Request(0.0, 0, gpus))

    if not competition_ids:
        raise MLEBenchError("No competitions selected.")
    registry = Registry(data_dir) if data_dir else Registry()
    for cid in competition_ids:
        registry.get_competition(cid).require_implemented()
    environment_for(env_profile, env_variant)
