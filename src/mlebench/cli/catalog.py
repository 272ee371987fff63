"""`mlebench list` and `mlebench agents`: what can be run."""

from __future__ import annotations

import argparse
import sys

from rich.table import Table

from mlebench.cli.common import data_dir_arg, out, print_json, registry_for, say


def add_parsers(sub) -> None:
    p = sub.add_parser("list", help="List competitions: metadata, implemented, prepared.",
                       description="List the registry's competitions with their split, category, "
                       "metric and whether they are implemented and prepared in --data-dir.")
    p.add_argument("--split", help="Only this split (all, low/lite, medium, high, dev, systemcard, "
                   "practice) or a text file with one id per line.")
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    shape.add_argument("--ids", action="store_true", help="Print one id per line (the default "
                       "when the output is piped).")
    shape.add_argument("--table", action="store_true", help="Print the table even when piped.")
    data_dir_arg(p)

    p = sub.add_parser("agents", help="List the available agents.")
    p.add_argument("--json", action="store_true", help="Print JSON instead of text.")


def cmd_list(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data import is_dataset_prepared
    from mlebench.data.leaks import label_leaking_competitions, load_leaks
    from mlebench.data.prepare import read_prepared_manifest

    reg = registry_for(args)
    ids = reg.get_split(args.split) if args.split else reg.list_competition_ids()
    if args.ids or not (args.json or args.table or sys.stdout.isatty()):
        sys.stdout.write("".join(f"{cid}\n" for cid in ids))  # for `| xargs`, `> split.txt`
        return 0
    leaks, label_leaking = load_leaks(), set(label_leaking_competitions())
    rows = []
    for cid in ids:
        c = reg.get_competition(cid)
        prepared = is_dataset_prepared(c)
        manifest = read_prepared_manifest(c) if prepared else None
        rows.append({
            "id": cid, "name": c.name, "category": c.config.category,
            "complexity": c.config.complexity or ("practice" if c.is_practice else "dev"),
            "splits": c.config.splits, "metric": c.config.metric,
            "lower_is_better": c.lower_is_better, "implemented": c.implemented,
            "prepared": prepared,
            "synthetic": bool(manifest and manifest.get("synthetic")),
            "size_gb": c.config.dataset.size_gb,
            "known_issues": [leak.id for leak in leaks.get(cid, [])],
            "label_leak": cid in label_leaking,
        })
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"{len(rows)} competitions", show_lines=False)
    table.add_column("id", no_wrap=True)  # whole ids, to copy and paste
    for col in ("category", "complexity", "metric", "implemented", "prepared", "size",
                "known issues"):
        table.add_column(col, overflow="fold")
    for r in rows:
        prep = "synthetic" if r["synthetic"] else ("yes" if r["prepared"] else "-")
        size = f"{r['size_gb']:g} GB" if r["size_gb"] is not None else "?"
        issues = ("LABEL LEAK, " if r["label_leak"] else "") + str(len(r["known_issues"]))
        table.add_row(r["id"], r["category"], r["complexity"], r["metric"],
                      "yes" if r["implemented"] else "no", prep, size,
                      issues if r["known_issues"] else "-")
    out.print(table)
    done = sum(r["implemented"] for r in rows)
    say(f"{done}/{len(rows)} implemented, {sum(r['prepared'] for r in rows)} prepared in "
        f"{reg.get_data_dir()}")
    if any(r["known_issues"] for r in rows):
        say("Known issues: leaks and defects of the reference (see `mlebench list --json`); "
            "`prepare --variant v2` builds fixed variants where available.")
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.agents import list_agents, load_agent

    specs = [load_agent(name) for name in list_agents()]
    if args.json:
        print_json([{"name": s.name, "network": s.network, "description": s.description}
                    for s in specs])
        return 0
    for spec in specs:
        say(f"{spec.name:12} network={spec.network:8} {spec.description}")
    return 0


COMMANDS = {"list": cmd_list, "agents": cmd_agents}
