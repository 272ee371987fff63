"""`mlebench env build | list | lock`: the agents' environments."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mlebench.errors import MLEBenchError

STAGES = {"interpreter": "finding the base interpreter", "install": "installing packages",
          "finish": "finishing (exact lock, bytecode)", "verify": "verifying against the lock",
          "resolve": "resolving the agent's requirements"}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    env = sub.add_parser(
        "env", help="Agent environments: build, list, lock.",
        description="The Python environment agents run in: a profile's lock (exact versions and "
        "hashes) built once into a content-addressed folder under the cache dir "
        "($MLEBENCH_ENVS_DIR, else <user cache>/mle-bench/envs) and mounted read-only in every "
        "run. Profiles: `reference` (default; the reference's 92 packages, TensorFlow, PyTorch), "
        "`lite` (numpy, pandas, scikit-learn, scipy, lightgbm, pillow), or a profile folder or "
        "lock file by path.")
    esub = env.add_subparsers(dest="env_command", metavar="ENV_COMMAND")
    p = esub.add_parser("build", help="Build an environment (resumable; verified against its lock).")
    p.add_argument("--profile", default=None, help="reference (default), lite, or a profile "
                   "folder / lock file path.")
    p.add_argument("--variant", default=None, help="cpu or cuda (default: the profile's default).")
    p.add_argument("--wheels", type=Path, default=None, metavar="DIR",
                   help="Install offline, only from this folder of wheels.")
    p.add_argument("--python", default=None, metavar="PATH",
                   help="Base interpreter (default: a CPython of the profile's version found here).")
    p.add_argument("--agent", default=None, help="Also build this agent's requirements layer.")
    p.add_argument("--force", action="store_true", help="Rebuild even if built.")
    p = esub.add_parser("list", help="Profiles and built environments: size, hash.")
    p.add_argument("--json", action="store_true")
    p.add_argument("--verify", action="store_true",
                   help="Re-check every built environment against its lock.")
    p = esub.add_parser("lock", help="Regenerate a profile's lock files (maintainers).",
                        description="Resolves the profile's requirements with `uv pip compile "
                        "--generate-hashes` for its Python and platform, ignoring uploads after "
                        "its exclude_newer date.")
    p.add_argument("profile", help="A built-in profile name or a profile folder.")
    p.add_argument("--variant", default=None, help="Only this variant (default: all).")


def _size(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"


def cmd_env(args: argparse.Namespace) -> int:
    command = getattr(args, "env_command", None)
    if command == "build":
        return _build(args)
    if command == "list":
        return _list(args)
    if command == "lock":
        return _lock(args)
    raise MLEBenchError("Usage: mlebench env build|list|lock (see mlebench env --help).")


def _build(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.envs import build_env, build_layer, dir_size, resolve_profile

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    spec = resolve_profile(args.profile, args.variant)
    console.print(f"environment {spec.profile} ({spec.variant}), Python {spec.python}, "
                  f"{len(spec.packages())} packages, hash {spec.short}")
    t0 = time.monotonic()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        bar = progress.add_task("starting", total=None)

        def on_progress(stage: str, done: int, total: int | None) -> None:
            progress.update(bar, description=STAGES.get(stage, stage), completed=done,
                            total=total)

        built = build_env(spec, wheels=args.wheels, python=args.python, progress=on_progress,
                          force=args.force)
        layer = None
        if args.agent:
            # Deferred: only this verb needs it, so start-up stays light.
            from mlebench.agents import load_agent

            agent = load_agent(args.agent)
            if reqs := agent.requirement_lines():
                layer = build_layer(built, reqs, args.wheels, on_progress, agent.requirements_deps)
    console.print(f"built: {built.path} ({_size(dir_size(built.path))}, "
                  f"{time.monotonic() - t0:.0f} s)")
    if layer is not None:
        console.print(f"agent layer: {layer.path} ({len(layer.info['packages'])} packages)")
    return 0


def _list(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.envs import (
        builtin_profiles,
        dir_size,
        find_built,
        list_built,
        resolve_profile,
        verify_built,
    )
    from mlebench.envs.profiles import PROFILES_DIR, load_profile_spec

    built = {b.hash: b for b in list_built()}
    rows = []
    for name in builtin_profiles():
        for variant in load_profile_spec(PROFILES_DIR / name).variants:
            spec = resolve_profile(name, variant)
            b = built.pop(spec.hash, None)
            rows.append({"profile": name, "variant": variant, "hash": spec.hash,
                         "packages": len(spec.packages()), "built": b is not None,
                         "path": str(b.path) if b else None})
    for b in built.values():  # users' own profiles (or older locks)
        rows.append({"profile": b.info["profile"], "variant": b.info["variant"], "hash": b.hash,
                     "packages": len(b.info["packages"]), "built": True, "path": str(b.path)})
    for r in rows:
        if r["built"]:
            path = Path(r["path"])
            r["size_bytes"] = dir_size(path)
            env = find_built(r["hash"])
            r["problem"] = env.problem() if env else "unreadable"
            if args.verify and env is not None and not r["problem"]:
                r["verify"] = verify_built(env) or "ok"
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    table = Table(title="environments")
    for col in ("profile", "variant", "hash", "packages", "built", "size"):
        table.add_column(col)
    for r in rows:
        size = _size(r["size_bytes"]) if r["built"] else "-"
        state = ("yes" if not r.get("problem") else f"broken: {r['problem']}") if r["built"] else "no"
        if isinstance(r.get("verify"), list):
            state = "DIFFERS: " + "; ".join(r["verify"][:3])
        table.add_row(r["profile"], r["variant"], r["hash"][:16], str(r["packages"]), state, size)
    Console(highlight=False, width=160).print(table)
    return 1 if any(isinstance(r.get("verify"), list) for r in rows) else 0


def _lock(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.envs.lock import lock_profile
    from mlebench.envs.profiles import PROFILES_DIR

    folder = PROFILES_DIR / args.profile if (PROFILES_DIR / args.profile).is_dir() else Path(
        args.profile)
    if not (folder / "profile.yaml").is_file():
        raise MLEBenchError(f"{folder} is not a profile folder (no profile.yaml).")
    for path in lock_profile(folder, args.variant):
        print(f"wrote {path}")
    return 0


COMMANDS = {"env": cmd_env}
