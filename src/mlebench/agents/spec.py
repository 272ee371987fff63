"""Agent specs: a small YAML file naming the command that starts the agent inside the sandbox.

```yaml
name: my-agent
command: ["python3", "/home/agent/main.py"]
files: .                       # folder (relative to the spec) copied to /home/agent
env: {OPENAI_API_KEY: "${OPENAI_API_KEY}"}   # ${VAR}: read from the host at start, never logged
args: {steps: 10}              # passed as --key=value, overridable with --agent-arg key=value
network: none                  # none | llm-only | open
docker_image: null             # for the docker backend
env_profile: lite              # the environment it runs in unless --env says otherwise
                               # (default: the reference's, `reference`)
requirements: [tqdm==4.66.5]   # its own packages, a layer on top of the environment (or a
                               # requirements.txt in its files folder); see mlebench.envs.layers
requirements_deps: true        # false: install the listed (==-pinned) packages without deps
```
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mlebench.envs.layers import clean_requirements
from mlebench.errors import MLEBenchError
from mlebench.utils import safe_load_yaml

BUILTIN_DIR = Path(__file__).parent / "builtin"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    command: list[str]
    files: str | None = None
    env: dict[str, str] = {}
    args: dict[str, Any] = {}
    network: Literal["none", "llm-only", "open"] = "none"
    llm_endpoints: list[str] = []  # host:port allowed under llm-only
    docker_image: str | None = None
    env_profile: str | None = None
    requirements: list[str] = []
    requirements_deps: bool = True
    spec_path: Path | None = None

    @property
    def files_dir(self) -> Path | None:
        if self.files is None or self.spec_path is None:
            return None
        return (self.spec_path.parent / self.files).resolve()

    def requirement_lines(self) -> list[str]:
        """The spec's `requirements` and its files folder's requirements.txt, cleaned (a bad
        line is a one-line error naming it)."""
        lines = list(self.requirements)
        req_file = self.files_dir / "requirements.txt" if self.files_dir else None
        if req_file is not None and req_file.is_file():
            if req_file.stat().st_size > 1 << 20:
                raise MLEBenchError(f"{req_file} is larger than 1 MiB.")
            lines += req_file.read_text(errors="replace").splitlines()
        return clean_requirements(lines, f"agent '{self.name}' requirements")

    def with_args(self, overrides: dict[str, str]) -> AgentSpec:
        return self.model_copy(update={"args": {**self.args, **overrides}})

    def full_command(self) -> list[str]:
        return [*self.command, *(f"--{k}={v}" for k, v in self.args.items())]

    def resolved_env(self) -> dict[str, str]:
        """Values with `${VAR}` filled from the host environment (secrets: never write these)."""
        out = {}
        for key, value in self.env.items():
            def sub(m: re.Match) -> str:
                if m.group(1) not in os.environ:
                    raise MLEBenchError(
                        f"Agent '{self.name}' needs ${{{m.group(1)}}} in the environment."
                    )
                return os.environ[m.group(1)]

            out[key] = _VAR.sub(sub, value)
        return out

    def redacted(self) -> dict[str, Any]:
        """The spec as recorded in metadata: env values from `${VAR}` stay unexpanded."""
        d = self.model_dump(mode="json", exclude={"spec_path"})
        d["spec_path"] = str(self.spec_path) if self.spec_path else None
        return d


def list_agents() -> list[str]:
    return sorted(p.parent.name for p in BUILTIN_DIR.glob("*/agent.yaml"))


def load_agent(name_or_path: str) -> AgentSpec:
    """A built-in agent by name, or a user's spec by path."""
    path = Path(name_or_path).expanduser()
    if not path.is_file():
        builtin = BUILTIN_DIR / name_or_path / "agent.yaml"
        if not builtin.is_file():
            raise MLEBenchError(
                f"Unknown agent '{name_or_path}': built-ins are {', '.join(list_agents())}; "
                "or pass the path of a YAML spec."
            )
        path = builtin
    try:
        data = safe_load_yaml(path.read_text())
        return AgentSpec.model_validate({**data, "spec_path": path.resolve()})
    except (yaml.YAMLError, ValidationError, TypeError) as e:
        raise MLEBenchError(f"Invalid agent spec {path}: {e}") from e
