"""inspect_ai tasks: `mlebench/lite`, `mlebench/all`, one per split, and `mlebench/competitions`.

    inspect eval mlebench/lite --model openai/gpt-4o -T env_profile=lite
    inspect eval mlebench/competitions -T competitions=practice-tabular-classification --epochs 3

Each sample is one competition (its id is the sample id; epochs are seeds). The default solver is
inspect's react agent with a bash tool; `--solver` (or `solver=` in Python) replaces it. Every
sample runs in `sandbox="mlebench"` and is graded on the host by `mlebench_scorer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_ai import Task, task
from inspect_ai.agent import Agent, react
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.solver import Solver
from inspect_ai.tool import bash
from inspect_ai.util import SandboxEnvironmentSpec

from mlebench.inspect.config import MLEBenchSandboxConfig
from mlebench.inspect.provider import PROVIDER
from mlebench.inspect.scorer import mlebench_scorer
from mlebench.inspect.setup import check_task_args
from mlebench.registry import Registry
from mlebench.runtime.limit_units import parse_duration
from mlebench.runtime.runs import RunLimits, instructions_text

BASH_TIMEOUT_S = 3 * 3600  # one command at most; long training runs belong in the background
TOOLS_NOTE = ("\nYou act through tools that run inside that machine, as the user `agent`: "
              "/home/agent is your working directory and $HOME. When your submission is saved, "
              "call submit().\n")


def prompt(time_limit_s: float, grace_period_s: float = 30.0) -> str:
    """The reference's instructions (ours, the text every mlebench agent gets), for inspect."""
    limits = RunLimits(time_limit_s=time_limit_s, grace_period_s=grace_period_s)
    return instructions_text(limits) + TOOLS_NOTE


def default_solver(bash_timeout: int = BASH_TIMEOUT_S) -> Agent:
    return react(tools=[bash(timeout=bash_timeout)])


def mlebench_task(competition_ids: list[str], *, solver: Solver | Agent | None = None,
                  time_limit: str | float = "24h", run_group: str | None = None,
                  data_dir: str | None = None, env_profile: str = "reference",
                  env_variant: str | None = None, network: str = "none",
                  memory: str | None = None, disk: str | None = None, cpus: float | None = None,
                  gpus: int = 0,
                  pids_limit: str | None = None, synthetic: bool = False,
                  concurrent: int | None = None, message_limit: int | None = None,
                  token_limit: int | None = None, **config: Any) -> Task:
    """A task over these competitions (see the module docstring)."""
    check_task_args(competition_ids, data_dir, env_profile, env_variant, int(gpus))
    seconds = parse_duration(str(time_limit))
    cfg = MLEBenchSandboxConfig(
        run_group=run_group, data_dir=data_dir, env_profile=env_profile, env_variant=env_variant,
        network=network, memory=memory, disk=disk, cpus=float(cpus) if cpus else None,
        gpus=int(gpus),
        pids_limit=pids_limit, synthetic=_flag(synthetic),
        concurrent=int(concurrent) if concurrent is not None else None,
        # The sandbox's own hard limit comes after inspect's, so that the scorer still finds it.
        time_limit_s=seconds + 600, **config)
    text = prompt(seconds, cfg.grace_period_s)
    dataset = MemoryDataset([
        Sample(id=cid, input=text, metadata={"competition_id": cid}) for cid in competition_ids
    ], name="mlebench")
    return Task(dataset=dataset, solver=solver or default_solver(), scorer=mlebench_scorer(),
                sandbox=SandboxEnvironmentSpec(PROVIDER, cfg), time_limit=int(seconds),
                message_limit=message_limit, token_limit=token_limit)


def _flag(value: bool | str) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


def _split(name: str, data_dir: str | None) -> list[str]:

    return (Registry(data_dir) if data_dir else Registry()).get_split(name)


def _ids(value: str | list[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [i.strip() for i in items if i and i.strip()]


@task
def competitions(competitions: str | list[str], **kwargs: Any) -> Task:
    """Any competitions: `-T competitions=a,b` (or a file with one id per line)."""

    if isinstance(competitions, str) and Path(competitions).expanduser().is_file():
        ids = _split(competitions, kwargs.get("data_dir"))
    else:
        ids = _ids(competitions)
    return mlebench_task(ids, **kwargs)


@task
def lite(**kwargs: Any) -> Task:
    """MLE-bench Lite: the 22 low-complexity competitions."""
    return mlebench_task(_split("lite", kwargs.get("data_dir")), **kwargs)


@task(name="all")
def all_competitions(**kwargs: Any) -> Task:
    """All 75 competitions of MLE-bench."""
    return mlebench_task(_split("all", kwargs.get("data_dir")), **kwargs)


@task
def low(**kwargs: Any) -> Task:
    """The low-complexity split (the same competitions as lite)."""
    return mlebench_task(_split("low", kwargs.get("data_dir")), **kwargs)


@task
def medium(**kwargs: Any) -> Task:
    """The medium-complexity split."""
    return mlebench_task(_split("medium", kwargs.get("data_dir")), **kwargs)


@task
def high(**kwargs: Any) -> Task:
    """The high-complexity split."""
    return mlebench_task(_split("high", kwargs.get("data_dir")), **kwargs)


@task
def dev(**kwargs: Any) -> Task:
    """The reference's 7-competition dev split."""
    return mlebench_task(_split("dev", kwargs.get("data_dir")), **kwargs)


@task
def systemcard(**kwargs: Any) -> Task:
    """The split of the reference's system card."""
    return mlebench_task(_split("systemcard", kwargs.get("data_dir")), **kwargs)


@task
def practice(**kwargs: Any) -> Task:
    """The offline practice competitions (no Kaggle needed)."""
    return mlebench_task(_split("practice", kwargs.get("data_dir")), **kwargs)
