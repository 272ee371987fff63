"""`mlebench run`, `report` and `view`: agents in the sandbox and what they achieved."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from mlebench.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_competition_selector,
    add_output_arg,
    bundle_args,
    bundle_statuses,
    cell,
    console,
    data_dir_arg,
    out,
    print_json,
    registry_for,
    say,
    selected_competitions,
)
from mlebench.errors import MLEBenchError
from mlebench.runtime.limit_units import (
    parse_bytes,
    parse_count,
    parse_duration,
    parse_grace,
    parse_limit,
)


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "run", help="Run an agent on competitions in a sandbox, grade on the host.",
        description="Run an agent on each (competition, seed) inside a sandbox (bubblewrap) with "
        "harness-enforced time, CPU, memory and network limits; the private answers never enter "
        "the sandbox; each submission is graded on the host after its run. Re-running the same "
        "command resumes the run group: finished runs are kept, interrupted ones re-run.",
    )
    p.add_argument("--agent", required=True, help="A built-in agent (see `mlebench agents`) or "
                   "the path of an agent spec YAML.")
    add_competition_selector(p)
    p.add_argument("--seeds", type=int, default=1, help="Runs per competition (default 1; "
                   "report at least 3).")
    p.add_argument("--time-limit", default="24h", help="Wall-clock limit per run, e.g. 30s, 90m, "
                   "24h (default 24h).")
    p.add_argument("--grace-period", default="30s", help="Time between SIGTERM at the time limit "
                   "and SIGKILL, for the agent to save its submission; validation stays up "
                   "(default 30s).")
    p.add_argument("--cpus", type=float, default=None, help="CPUs per run (default: 1 for "
                   "scheduling, unlimited inside).")
    p.add_argument("--memory", default=None, help="Memory limit per run, e.g. 16G, 440G, or none "
                   "(default: 80%% of the machine's memory, shared by the runs at once).")
    p.add_argument("--gpus", type=int, default=0, help="GPUs per run (default 0).")
    p.add_argument("--disk", default=None, help="Limit on what a run writes (submission, logs, "
                   "code, agent folders), e.g. 50G, or none (default: 80%% of the free space "
                   "where the runs are written, shared by the runs at once).")
    p.add_argument("--pids-limit", default=None, help="Processes and threads per run, or none "
                   "(default 4096).")
    p.add_argument("--network", choices=["none", "llm-only", "open"], default=None,
                   help="Network policy (default: the agent spec's, else none); open reaches "
                   "the internet through slirp4netns, never the host's loopback.")
    p.add_argument("--workers", type=int, default=1, help="Runs at once (default 1).")
    p.add_argument("--backend", default="local", help="local (bubblewrap, default), docker, ray, "
                   "or an installed plug-in's name (CONTRIBUTING.md: Add a sandbox backend).")
    p.add_argument("--ray-address", default=None, help="Ray cluster address (--backend ray).")
    p.add_argument("--run-dir", type=Path, default=None, help="Run group folder (default "
                   "runs/<timestamp>_<agent>).")
    p.add_argument("--agent-arg", action="append", default=[], metavar="KEY=VALUE",
                   help="Override an agent argument (repeatable).")
    p.add_argument("--llm-endpoint", action="append", default=[], metavar="URL",
                   help="An endpoint the agent may reach under --network llm-only (repeatable; "
                   "added to the agent spec's llm_endpoints).")
    p.add_argument("--validation-rate-limit", type=int, default=None,
                   help="Max validation calls per run per hour (default unlimited).")
    p.add_argument("--unsafe-no-sandbox", action="store_true", help="Run without the sandbox "
                   "(recorded in every result). Only for agents you trust.")
    p.add_argument("--env", default=None, metavar="PROFILE", help="The agent's environment: "
                   "reference (default, unless the agent spec names one), lite, or a profile "
                   "path; build it first with `mlebench env build`.")
    p.add_argument("--env-variant", default=None, help="cpu or cuda (default: the profile's).")
    p.add_argument("--json", action="store_true", help="Print the runs' results as JSON.")
    data_dir_arg(p)

    p = sub.add_parser("report", help="Aggregate run groups: report.json, Markdown table, HTML.",
                       description="Per split and category: Any Medal %, gold/silver/bronze, "
                       "above-median, valid and submitted %, mean ± SEM over seeds (missing runs "
                       "count as no medal), pass@k, per-competition scores and resources used.")
    p.add_argument("run_groups", nargs="+", type=Path, metavar="RUN_GROUP",
                   help="A run group folder, or inspect logs (a .eval file or a folder of them; "
                   "epochs are seeds).")
    p.add_argument("--split", help="Also report this split (a name or a file of ids).")
    add_output_arg(p, "Output folder (default: <first run group>/_report).",
                   old=("--output-dir", "--out"))
    p.add_argument("--json", action="store_true", help="Print report.json (and the files' "
                   "paths) instead of the Markdown table.")
    bundle_args(p)

    p = sub.add_parser("view", help="Serve a run group's HTML report and logs on localhost.")
    p.add_argument("run_group", type=Path)
    p.add_argument("--port", type=int, default=8765)
    bundle_args(p)










def _limits_line(limits) -> str:
    """One line for the user: each limit, and which were chosen from the machine."""
    def size(n: int | None) -> str:
        return "no limit" if n is None else f"{n / 2**30:.1f} GiB"

    auto = limits.machine_defaults
    parts = [f"memory {size(limits.memory_bytes)}", f"disk {size(limits.disk_bytes)}",
             f"processes {limits.pids_max or 'no limit'}",
             f"time {limits.time_limit_s:g}s + {limits.grace_period_s:g}s grace"]
    note = (f" ({', '.join(k.split('_')[0] for k in auto)} chosen from this machine; "
            "set --memory/--disk/--pids-limit, or none, to change)") if auto else ""
    return ", ".join(parts) + note




def cmd_run(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.agents import load_agent
    from mlebench.runtime.backends import get_backend
    from mlebench.runtime.group import run_group
    from mlebench.runtime.limit_defaults import with_machine_defaults
    from mlebench.runtime.runs import RunLimits

    reg = registry_for(args)
    ids = selected_competitions(args, reg) or []
    if args.backend != "ray":
        get_backend(args.backend)  # an unknown name fails before anything is printed
    if args.seeds < 1 or args.workers < 1:
        raise MLEBenchError("--seeds and --workers must be at least 1.")
    agent = load_agent(args.agent)
    overrides = {}
    for kv in args.agent_arg:
        if "=" not in kv:
            raise MLEBenchError(f"--agent-arg '{kv}' must look like key=value.")
        k, v = kv.split("=", 1)
        overrides[k] = v
    agent = agent.with_args(overrides)
    limits = RunLimits(
        time_limit_s=parse_duration(args.time_limit), cpus=args.cpus,
        memory_bytes=parse_limit(args.memory, parse_bytes), gpus=args.gpus,
        disk_bytes=parse_limit(args.disk, parse_bytes),
        pids_max=parse_limit(args.pids_limit, parse_count),
        grace_period_s=parse_grace(args.grace_period),
        network=args.network or agent.network,
        validation_rate_limit=args.validation_rate_limit,
        llm_endpoints=tuple(args.llm_endpoint),
    )
    group_dir = args.run_dir or Path("runs") / f"{time.strftime('%Y-%m-%dT%H-%M-%S')}_{agent.name}"
    unset = {f for f, v in (("memory_bytes", args.memory), ("disk_bytes", args.disk),
                            ("pids_max", args.pids_limit)) if v is None}
    limits = with_machine_defaults(limits, unset, group_dir,
                                   min(args.workers, len(ids) * args.seeds))
    console.print(f"limits per run: {_limits_line(limits)}", markup=False)
    counts = {"done": 0, "failed": 0, "running": 0, "skipped": 0}
    total = len(ids) * args.seeds
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        bar = progress.add_task("runs", total=total)

        def on_event(event: str, task, meta) -> None:
            if event == "started":
                counts["running"] += 1
            elif event == "skipped":
                counts["skipped"] += 1
                progress.advance(bar)
            else:
                counts["running"] -= 1
                ok = event == "finished" and meta.get("status") == "completed"
                counts["done" if ok else "failed"] += 1
                progress.advance(bar)
                status = meta.get("status") if event == "finished" else meta.get("error")
                score = (meta.get("grading") or {}).get("score")
                progress.console.print(f"{'✓' if ok else '✗'} {task.name}: {status}, score={score}",
                                       markup=False)
            progress.update(bar, description=(
                f"runs: {counts['done']} done, {counts['running']} running, "
                f"{counts['failed']} failed, {counts['skipped']} kept"))

        metas = run_group(group_dir, reg, ids, agent, limits, seeds=args.seeds,
                          workers=args.workers, backend=args.backend,
                          unsafe_no_sandbox=args.unsafe_no_sandbox, on_event=on_event,
                          ray_address=args.ray_address, env_profile=args.env,
                          env_variant=args.env_variant,
                          on_env_progress=lambda stage, done, total: progress.update(
                              bar, description=f"agent's requirements layer: {stage} "
                              f"{done}/{total or '?'}"))
    # A run counts as done when its submission was graded valid; timeouts and limit kills are
    # results too, so they exit 1 like any missing or invalid submission (README: exit codes).
    ok = all((m.get("grading") or {}).get("valid_submission") for m in metas)
    if args.json:
        print_json({"run_group": str(group_dir), "runs": [
            {k: m.get(k) for k in ("run_id", "competition_id", "seed", "status", "duration_s",
                                   "grading")} for m in metas]})
        return EXIT_OK if ok else EXIT_FAILED
    table = Table(title=cell(f"run group {group_dir}", 200))
    for col in ("run", "status", "score", "valid", "medal", "validations", "duration"):
        table.add_column(col)
    for m in metas:
        g = m.get("grading") or {}
        medal = next((x for x in ("gold", "silver", "bronze") if g.get(f"{x}_medal")), "-")
        table.add_row(cell(m["run_id"]), cell(m["status"]), cell(g.get("score")),
                      cell(g.get("valid_submission")), medal,
                      cell((m.get("validation") or {}).get("calls")),
                      f"{m.get('duration_s', 0):.1f}s")
    out.print(table)
    return EXIT_OK if ok else EXIT_FAILED


def cmd_report(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.reporting.report import markdown_table, write_report

    first = args.run_groups[0]
    output = args.output or (first.parent if first.is_file() else first) / "_report"
    paths = write_report(args.run_groups, output, args.split,
                         bundle_statuses(args, args.run_groups))
    report = json.loads(paths["json"].read_text())
    if args.json:
        print_json({**report, "files": {kind: str(path) for kind, path in paths.items()}})
        return EXIT_OK
    sys.stdout.write(markdown_table(report))  # Markdown as is: no markup, no wrapping
    for kind, path in paths.items():
        say(f"{kind}: {path}")
    return EXIT_OK


def cmd_view(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.reporting.view import serve

    if not args.run_group.is_dir():
        raise MLEBenchError(f"Run group {args.run_group} does not exist.")
    try:
        server = serve(args.run_group, args.port,
                       bundle_statuses=bundle_statuses(args, [args.run_group]))
    except OSError as e:
        raise MLEBenchError(f"Cannot listen on port {args.port}: {e.strerror}; try --port.") from None
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.reporting.report import status_line
    from mlebench.reporting.view import REPORT_DIR

    report = json.loads((args.run_group / REPORT_DIR / "report.json").read_text())
    for status in report.get("bundles") or []:
        say(status_line(status))
    say(f"Serving {args.run_group} at http://127.0.0.1:{server.server_address[1]}/ "
        "(Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


COMMANDS = {"run": cmd_run, "report": cmd_report, "view": cmd_view}
