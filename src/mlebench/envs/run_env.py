"""What one run gets: a built environment, the agent's layer, and how the sandbox shows them.

The sandbox binds the environment at /opt/mlebench/env and the layer at /opt/mlebench/layer
(read-only), the environment's base interpreter prefix at its own path (a venv's `python` is a
link to it), and hides every host site-packages folder the sandbox could otherwise see (the base
interpreter's and the system Python's) behind an empty read-only folder: inside, `python`,
`python3` and `pip` are the environment's and see only its packages and the layer's.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlebench.envs.build import (
    INSIDE_ENV,
    INSIDE_LAYER,
    INSIDE_LAYER_SITE,
    LAYER_VAR,
    BuiltEnv,
    Progress,
    require_built,
)
from mlebench.envs.layers import BuiltLayer, build_layer
from mlebench.envs.profiles import EnvSpec, resolve_profile

# System Pythons' package folders: hidden inside too, so no host package is importable.
SYSTEM_SITE_GLOBS = ("/usr/lib/python3/dist-packages", "/usr/lib/python3*/dist-packages",
                     "/usr/lib/python3*/site-packages", "/usr/local/lib/python3*/dist-packages",
                     "/usr/local/lib/python3*/site-packages")
SYSTEM_PATH = ("/usr/local/bin", "/usr/bin", "/bin")


@dataclass(frozen=True)
class RunEnvironment:
    spec: EnvSpec
    env: BuiltEnv
    layer: BuiltLayer | None = None

    def identity(self) -> dict[str, Any]:
        """Recorded in metadata.json and a run group's identity (the profile as requested)."""
        return {**self.spec.identity(), "python_version": self.env.info["python"]["version"],
                "source": self.spec.source,
                "layer": self.layer.identity() if self.layer is not None else None}

    @property
    def mounted_layer(self) -> BuiltLayer | None:
        return self.layer if self.layer is not None and self.layer.has_packages else None

    def binds(self) -> list[tuple[Path, str]]:
        """(host folder, sandbox path) pairs, all read-only."""
        out = [(self.env.path, INSIDE_ENV)]
        base = self.env.base_prefix
        if base != Path("/usr") and not base.is_relative_to("/usr"):
            out.append((base, str(base)))
        if self.mounted_layer is not None:
            out.append((self.mounted_layer.path, INSIDE_LAYER))
        return out

    def hidden(self) -> list[str]:
        """Host site-packages folders inside bound trees (the base prefix, /usr): shown empty."""
        base = self.env.base_prefix
        candidates = set(self.env.info["python"].get("site_dirs") or [])
        for pattern in SYSTEM_SITE_GLOBS:
            candidates.update(glob.glob(pattern))
        out = []
        for c in sorted(candidates):
            p = Path(c)
            if p.is_dir() and not p.is_symlink() and (p.is_relative_to(base)
                                                      or p.is_relative_to("/usr")):
                out.append(str(p))
        return out

    def variables(self, inside: bool) -> dict[str, str]:
        """PATH and the layer's variable, as the sandbox (or, unsafe, the host) sees them."""
        env_dir = INSIDE_ENV if inside else str(self.env.path)
        path = [f"{env_dir}/bin"]
        out = {"VIRTUAL_ENV": env_dir}
        if (layer := self.mounted_layer) is not None:
            path.append(f"{INSIDE_LAYER}/bin" if inside else str(layer.path / "bin"))
            out[LAYER_VAR] = INSIDE_LAYER_SITE if inside else str(layer.path / "site-packages")
        out["PATH"] = os.pathsep.join([*path, *SYSTEM_PATH])
        return out


def prepare_run_environment(profile: str | None, variant: str | None = None,
                            requirements: list[str] | None = None, deps: bool = True,
                            wheels: Path | None = None,
                            progress: Progress | None = None) -> RunEnvironment:
    """The built environment of `profile` (a one-line error if it is not built) and the agent's
    layer (built now, once, if it is not cached)."""
    spec = resolve_profile(profile, variant)
    env = require_built(spec)
    layer = build_layer(env, requirements, wheels, progress, deps) if requirements else None
    return RunEnvironment(spec, env, layer)
