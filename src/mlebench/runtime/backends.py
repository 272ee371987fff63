"""Sandbox backends: what runs one run's SandboxSpec in isolation. `local` (bubblewrap, the
default) and `docker` (one container per run) are built in; `mlebench run --backend NAME` picks
one, and a run group hands each scheduled run to it. (`ray` is not a sandbox backend: it spreads
runs over a cluster, each of them in the local sandbox of its node.)

A plug-in subclasses SandboxBackend and is found by name in the entry point group
`mlebench.backends` (`NAME = "package.module:Class"`), or is registered in-process with
register_backend. CONTRIBUTING.md ("Add a sandbox backend") walks through one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, ClassVar

from mlebench.errors import MLEBenchError
from mlebench.runtime.sandbox import check_available, run_sandboxed
from mlebench.runtime.sandbox_spec import SandboxResult, SandboxSpec

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment

ENTRY_POINT_GROUP = "mlebench.backends"
# Imported only when chosen: the docker backend's module is not needed for local runs.
BUILTIN = {"local": "mlebench.runtime.backends:LocalBackend",
           "docker": "mlebench.runtime.docker_backend:DockerBackend"}
_registered: dict[str, type[SandboxBackend]] = {}


@dataclass(frozen=True)
class BackendOutcome:
    result: SandboxResult
    spec: SandboxSpec            # as the backend ran it: metadata.json lists its mounts
    environment: dict | None     # the run's environment as metadata.json names it


class SandboxBackend:
    """Runs one spec to completion under its limits and network policy. Override `run`; override
    the checks where the backend needs something present (an engine, an image)."""

    name: ClassVar[str] = ""
    sandbox: ClassVar[str] = ""  # metadata.json's "sandbox": what isolated the agent

    def check(self, unsafe_no_sandbox: bool) -> None:
        """Before anything is prepared: raise a one-line MLEBenchError if unusable here."""

    def check_ready(self, agent: AgentSpec, environment: RunEnvironment | None) -> None:
        """Once the run group's environment is known (e.g. that its image is built)."""

    def run(self, spec: SandboxSpec, *, agent: AgentSpec, environment: RunEnvironment | None,
            recorded_environment: dict | None, name: str,
            unsafe_no_sandbox: bool) -> BackendOutcome:
        """Run the agent; never raise for what the agent does (report it in the result)."""
        raise NotImplementedError


class LocalBackend(SandboxBackend):
    name, sandbox = "local", "bubblewrap"

    def check(self, unsafe_no_sandbox: bool) -> None:
        if not unsafe_no_sandbox:
            check_available()

    def run(self, spec: SandboxSpec, *, agent: AgentSpec, environment: RunEnvironment | None,
            recorded_environment: dict | None, name: str,
            unsafe_no_sandbox: bool) -> BackendOutcome:
        return BackendOutcome(run_sandboxed(spec, unsafe_no_sandbox=unsafe_no_sandbox), spec,
                              recorded_environment)


def register_backend(cls: type[SandboxBackend]) -> type[SandboxBackend]:
    """Make `cls` available as `--backend cls.name` in this process (usable as a decorator)."""
    if not cls.name or cls.name == "ray":
        raise MLEBenchError(f"A sandbox backend needs a name other than 'ray': {cls!r}.")
    _registered[cls.name] = cls
    return cls


def backend_names() -> list[str]:
    plugins = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted({*BUILTIN, *_registered, *plugins})


def get_backend(name: str) -> SandboxBackend:
    """The backend called `name`: built in, registered, or an installed plug-in."""
    if name in _registered:
        return _registered[name]()
    if name in BUILTIN:
        module, _, attr = BUILTIN[name].partition(":")
        return getattr(importlib.import_module(module), attr)()
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise MLEBenchError(f"Unknown backend '{name}': use {', '.join(backend_names())} or ray "
                            f"(plug-ins register under the entry point group {ENTRY_POINT_GROUP}).")
    try:
        cls = found[0].load()
    except Exception as e:  # a broken plug-in is the user's to fix: say which and why
        raise MLEBenchError(f"Backend '{name}' ({found[0].value}) cannot be loaded: {e}") from e
    if not (isinstance(cls, type) and issubclass(cls, SandboxBackend)):
        raise MLEBenchError(f"Backend '{name}' ({found[0].value}) is not a SandboxBackend.")
    return cls()
