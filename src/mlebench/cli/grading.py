"""`mlebench grade`, `grade-sample` and `validate`: score submissions on the host."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.table import Table

from mlebench.cli.common import console, data_dir_arg, out, registry_for
from mlebench.errors import MLEBenchError


def add_parsers(sub) -> None:
    p = sub.add_parser("grade", help="Grade a JSONL file of submissions (one per competition).",
                       description="Grade every line {competition_id, submission_path} of a JSONL "
                       "file and write <output-dir>/<timestamp>_grading_report.json.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--submission", type=Path, help="JSONL file of submissions.")
    src.add_argument("--run-group", type=Path, help="Re-grade every run of a run group (`mlebench "
                     "run` output) and rewrite their grading reports.")
    p.add_argument("--output-dir", type=Path, default=None, help="Where to write the summary report "
                   "(required with --submission; default <run-group>/_grading with --run-group).")
    data_dir_arg(p)

    p = sub.add_parser("grade-sample", help="Grade one submission CSV for one competition.",
                       description="Grade one submission CSV and print its report (score, medals, "
                       "thresholds, rank).")
    p.add_argument("submission", type=Path, help="Path to the submission CSV.")
    p.add_argument("competition_id", help="Competition id.")
    p.add_argument("--json", action="store_true", help="Print only the JSON report.")
    data_dir_arg(p)

    p = sub.add_parser("validate", help="Check a submission is valid (never prints a score).")
    p.add_argument("submission", type=Path)
    p.add_argument("competition_id")
    data_dir_arg(p)


def _print_report(report: dict) -> None:
    def fmt(v):
        return "-" if v is None else (f"{v:.5g}" if isinstance(v, float) else str(v))

    table = Table(show_header=False, title=f"{report['competition_id']}")
    table.add_column("field")
    table.add_column("value", overflow="fold")
    for key in ("score", "valid_submission", "invalid_reason", "any_medal", "gold_medal",
                "silver_medal", "bronze_medal", "above_median", "gold_threshold",
                "silver_threshold", "bronze_threshold", "median_threshold", "rank", "percentile",
                "leaderboard_teams", "is_lower_better", "synthetic"):
        if key == "invalid_reason" and report.get(key) is None:
            continue
        table.add_row(key, fmt(report.get(key)))
    out.print(table)
    for note in report.get("notes") or []:
        out.print(f"note: {note}")


def cmd_grade_sample(args: argparse.Namespace) -> int:
    from mlebench.grade import grade_csv

    competition = registry_for(args).get_competition(args.competition_id)
    report = grade_csv(args.submission, competition).to_dict()
    if args.json:
        out.print(json.dumps(report, indent=2))
    else:
        _print_report(report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from mlebench.grade import validate_submission

    competition = registry_for(args).get_competition(args.competition_id)
    ok, message = validate_submission(args.submission, competition)
    out.print(message)
    return 0 if ok else 1


def cmd_grade(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from mlebench.grade import grade_jsonl, read_submissions

    reg = registry_for(args)
    if args.run_group is not None:
        from mlebench.runtime.regrade import regrade_group, write_submissions_jsonl

        if not args.run_group.is_dir():
            raise MLEBenchError(f"Run group {args.run_group} does not exist.")
        regrade_group(args.run_group, reg)
        args.submission = write_submissions_jsonl(args.run_group)
        args.output_dir = args.output_dir or args.run_group / "_grading"
    elif args.output_dir is None:
        raise MLEBenchError("--output-dir is required with --submission.")
    entries, _ = read_submissions(args.submission)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("grading", total=len(entries))
        path = grade_jsonl(args.submission, args.output_dir, reg,
                           progress=lambda: progress.advance(task))
    summary = json.loads(path.read_text())
    for err in summary["errors"]:
        console.print(f"[yellow]skipped[/yellow] {err['error']}")
    table = Table(title="grading summary")
    for col in ("competition", "score", "valid", "medal", "above median"):
        table.add_column(col)
    for r in summary["competition_reports"]:
        medal = next((m for m in ("gold", "silver", "bronze") if r[f"{m}_medal"]), "-")
        table.add_row(r["competition_id"], "-" if r["score"] is None else f"{r['score']:.5g}",
                      str(r["valid_submission"]), medal, str(r["above_median"]))
    out.print(table)
    out.print(f"{summary['total_medals']} medal(s) in {summary['total_runs']} graded; "
              f"report saved to {path}")
    return 0


COMMANDS = {"grade": cmd_grade, "grade-sample": cmd_grade_sample, "validate": cmd_validate}
