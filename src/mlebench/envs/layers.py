"""An agent's own requirements: a layer on top of a built environment, built once and cached.

The agent spec's `requirements:` list (or a `requirements.txt` in its files folder) is resolved
with uv against the environment's interpreter, constrained to the environment's lock (an agent
never changes the versions every agent shares), hashed into `layer.lock.txt`, and only the
packages the environment lacks are installed, with `--target`, into
`<envs dir>/layers/<env hash16>-<requirements hash16>/` (`site-packages/`, `bin/`,
`layer.json`, `layer.lock.txt`). Inside the sandbox it is mounted read-only at
`/opt/mlebench/layer`; the environment's `_mlebench_agent_layer.pth` adds its site-packages after
the environment's own (when `MLEBENCH_AGENT_LAYER` names it) and its `bin/` is on PATH.

With `deps=False` (agent spec `requirements_deps: false`) only the listed packages are installed,
each pinned with `==`, without their dependencies: for a package whose declared pins conflict
with the environment's (e.g. `aideml` pins numpy 1.26.2 where the reference has 1.26.4) but which
runs on the environment's versions. There, a listed pin of a package the environment has at
another version is an explicit *override* (the reference installs agents' requirements into its
environment with pip, which upgrades what they need, e.g. openai 0.28 -> 1.x): the layer comes
before the environment's site-packages, and every run records the overrides.

Requirement lines are PyPI names with optional extras, version specifiers and markers: no
options (`-e`, `--index-url`, `-r`) and no direct URLs or paths, so a layer is always what the
index (or `--wheels DIR`) serves for those pins. Pin versions for reproducible layers: the
resolved versions are recorded with every run either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlebench.envs.build import (
    BuiltEnv,
    Progress,
    build_lock,
    compare,
    envs_dir,
    installed,
    make_readable,
    run_uv,
    source_args,
)
from mlebench.envs.profiles import parse_lock
from mlebench.errors import MLEBenchError
from mlebench.utils import write_json

LAYER_FORMAT = "mlebench-layer/1"
MAX_REQUIREMENTS = 200
_REQUIREMENT = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._, -]*\])?\s*"
    r"((===?|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*(,\s*(===?|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+\s*)*)?"
    r"(;[^@]*)?$")
# uv --target writes console scripts that exec an absolute path of the build machine.
_TRAMPOLINE = re.compile(rb"\A#!/bin/sh\n'''exec' .*?\n' '''\n", re.S)


@dataclass(frozen=True)
class BuiltLayer:
    path: Path
    info: dict[str, Any]

    @property
    def has_packages(self) -> bool:
        return bool(self.info["packages"])

    def identity(self) -> dict[str, Any]:
        return {k: self.info[k] for k in ("requirements", "deps", "requirements_sha256",
                                          "lock_sha256", "packages", "overrides", "hash")}


def clean_requirements(lines: list[str], where: str) -> list[str]:
    """The requirement lines, comments and blanks dropped; anything but a PyPI requirement is
    refused with the offending line."""
    out = []
    for raw in lines:
        line = re.sub(r"(^|\s)#.*$", "", str(raw)).strip()
        if not line:
            continue
        if not _REQUIREMENT.match(line):
            raise MLEBenchError(
                f"{where}: {line[:80]!r} is not a PyPI requirement (name, extras, version "
                "specifiers and markers only; no options, URLs or paths).")
        out.append(line)
    if len(out) > MAX_REQUIREMENTS:
        raise MLEBenchError(f"{where}: more than {MAX_REQUIREMENTS} requirements.")
    return sorted(set(out))


def requirements_sha256(requirements: list[str], deps: bool = True) -> str:
    text = "".join(f"{r}\n" for r in requirements) + ("" if deps else "--no-deps\n")
    return hashlib.sha256(text.encode()).hexdigest()


def find_layer(env: BuiltEnv, requirements: list[str], deps: bool = True) -> BuiltLayer | None:
    key = f"{env.hash[:16]}-{requirements_sha256(requirements, deps)[:16]}"
    folder = envs_dir() / "layers" / key
    try:
        info = json.loads((folder / "layer.json").read_text())
    except (OSError, ValueError):
        return None
    if info.get("format") != LAYER_FORMAT or info.get("env_hash") != env.hash:
        return None
    return BuiltLayer(folder, info)


def _fix_scripts(bin_dir: Path) -> None:
    """Console scripts run the environment's `python3` from PATH (the sandbox's, or the host's
    environment without one) instead of the build machine's path."""
    if not bin_dir.is_dir():
        return
    for script in bin_dir.iterdir():
        if not script.is_file():
            continue
        data = script.read_bytes()
        fixed = _TRAMPOLINE.sub(b"#!/usr/bin/env python3\n", data, count=1)
        if fixed == data and data.startswith(b"#!") and b"python" in data.split(b"\n", 1)[0]:
            fixed = b"#!/usr/bin/env python3\n" + data.split(b"\n", 1)[1]
        if fixed != data:
            script.write_bytes(fixed)


def build_layer(env: BuiltEnv, requirements: list[str], wheels: Path | None = None,
                progress: Progress | None = None, deps: bool = True) -> BuiltLayer:
    """The layer of `requirements` (already cleaned) on `env`: built now unless cached."""
    say = progress or (lambda stage, done, total: None)
    if not deps:
        unpinned = [r for r in requirements if not re.match(r"^[^;<>!~=]+==[^,;]+(;.*)?$", r)]
        if unpinned:
            raise MLEBenchError(f"requirements_deps: false needs every requirement pinned with "
                                f"==: {', '.join(unpinned[:5])}.")
    req_sha = requirements_sha256(requirements, deps)
    key = f"{env.hash[:16]}-{req_sha[:16]}"
    root = envs_dir() / "layers"
    final, work = root / key, root / f".partial-{key}"
    with build_lock(f"layer-{key}"):
        if (layer := find_layer(env, requirements, deps)) is not None:
            return layer
        shutil.rmtree(final, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        cache = envs_dir() / ".cache"
        base = {n: v for n, (v, _) in parse_lock((env.path / "lock.txt").read_text()).items()}
        (work / "requirements.in").write_text("".join(f"{r}\n" for r in requirements))
        (work / "constraints.txt").write_text("".join(f"{n}=={v}\n" for n, v in base.items()))
        say("resolve", 0, None)
        src = source_args(wheels)
        try:
            run_uv(["pip", "compile", "--no-config", "--quiet", "--generate-hashes",
                    "--no-header", "--python", str(env.python_bin), *src,
                    *(["--constraint", str(work / "constraints.txt")] if deps else ["--no-deps"]),
                    str(work / "requirements.in"), "-o", str(work / "layer.lock.txt")],
                   cache, "Resolving the agent's requirements")
        except MLEBenchError as e:
            hint = (" (if a package's own pins are the conflict, `requirements_deps: false` "
                    "installs the listed packages alone)") if deps else ""
            raise MLEBenchError(
                f"The agent's requirements cannot be installed on environment "
                f"'{env.info['profile']}' (its versions are fixed){hint}: {e}") from None
        lock_bytes = (work / "layer.lock.txt").read_bytes()
        resolved = parse_lock(lock_bytes.decode(), "the agent's resolved requirements")
        overrides = {n: {"environment": base[n], "layer": v} for n, (v, _) in resolved.items()
                     if n in base and base[n] != v}
        if overrides and deps:  # cannot happen under --constraint; never silently
            raise MLEBenchError("The agent's requirements would change the environment's "
                                f"versions: {', '.join(sorted(overrides))}.")
        extra = {n: (v, h) for n, (v, h) in resolved.items() if base.get(n) != v}
        site = work / "site-packages"
        if extra:
            say("install", 0, len(extra))
            (work / "extra.txt").write_text("".join(
                f"{n}=={v} " + " ".join(f"--hash=sha256:{x}" for x in h) + "\n"
                for n, (v, h) in sorted(extra.items())))
            run_uv(["pip", "install", "--no-config", "--python", str(env.python_bin),
                    "--target", str(site), "--no-deps", "--require-hashes",
                    "--compile-bytecode", *src, "-r", str(work / "extra.txt")], cache,
                   "Installing the agent's requirements")
            if (site / "bin").is_dir():
                (site / "bin").rename(work / "bin")
            _fix_scripts(work / "bin")
            problems = compare({n: v for n, (v, _) in extra.items()},
                               installed(env.python_bin, [site]))
            if problems:
                raise MLEBenchError("The agent's layer does not match its resolved lock: "
                                    + "; ".join(problems[:5]))
            say("install", len(extra), len(extra))
        else:
            site.mkdir()
        for name in ("constraints.txt", "extra.txt"):
            (work / name).unlink(missing_ok=True)
        lock_sha = hashlib.sha256(lock_bytes).hexdigest()
        info = {"format": LAYER_FORMAT, "env_hash": env.hash, "requirements": requirements,
                "deps": deps,
                "requirements_sha256": req_sha, "lock_sha256": lock_sha,
                "hash": hashlib.sha256(f"{env.hash}\n{lock_sha}\n".encode()).hexdigest(),
                "packages": {n: v for n, (v, _) in sorted(extra.items())},
                "overrides": overrides,
                "resolved": {n: v for n, (v, _) in sorted(resolved.items())},
                "built_at": datetime.now(UTC).isoformat()}
        write_json(work / "layer.json", info)
        make_readable(work)
        os.rename(work, final)
        return BuiltLayer(final, info)

