"""The `mlebench` sandbox's configuration in an inspect task, and its default concurrency."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict


def default_concurrency() -> int:
    """Samples inspect runs at once by default: half the machine's cores (at least one)."""
    return max(1, (os.cpu_count() or 2) // 2)


class MLEBenchSandboxConfig(BaseModel):
    """Where runs go and what they may use (the `mlebench run` options of the same names)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    run_group: str | None = None          # default: runs/inspect-<time>
    data_dir: str | None = None           # default: $MLEBENCH_DATA_DIR, else the user cache
    env_profile: str = "reference"        # the agent environment (`mlebench env build`)
    env_variant: str | None = None
    time_limit_s: float = 24 * 3600       # the sandbox's own hard limit (inspect's comes first)
    grace_period_s: float = 30.0
    cpus: float | None = None
    gpus: int = 0                         # GPUs per sample, given out from this machine's
    memory: str | None = None             # e.g. 16G; "none": no limit; unset: from the machine
    disk: str | None = None
    pids_limit: str | None = None
    network: Literal["none", "llm-only", "open"] = "none"
    llm_endpoints: tuple[str, ...] = ()
    validation_rate_limit: int | None = None
    synthetic: bool = False               # prepare real competitions from generated data
    # Samples at once, which divide the machine-chosen memory and disk (default: the provider's
    # default concurrency, what inspect runs at once unless --max-sandboxes says otherwise).
    concurrent: int | None = None
