"""`mlebench grade`, `grade-sample` and `validate`: score submissions on the host.

Exit codes (README): 0 graded and valid, 1 a submission missing or invalid (the report is still
printed), 2 a usage error or nothing could be read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.progress import Progress
from rich.table import Table

from mlebench.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_competition_selector,
    add_output_arg,
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
from mlebench.text import excerpt

SHOWN_ERRORS = 10  # bad lines printed by `grade`; the report lists them all
REPORT_FIELDS = ("score", "valid_submission", "invalid_reason", "any_medal", "gold_medal",
                 "silver_medal", "bronze_medal", "above_median", "gold_threshold",
                 "silver_threshold", "bronze_threshold", "median_threshold", "rank", "percentile",
                 "leaderboard_teams", "is_lower_better", "synthetic")


def add_parsers(sub) -> None:
    p = sub.add_parser("grade", help="Grade a JSONL file of submissions (one per competition).",
                       description="Grade every line {competition_id, submission_path} of a JSONL "
                       "file and write <output>/<timestamp>_grading_report.json. Exit 0 when "
                       "every submission is valid, 1 when one is missing or invalid or a line is "
                       "bad, 2 when nothing could be read.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--submission", type=Path, help="JSONL file of submissions.")
    src.add_argument("--run-group", type=Path, help="Re-grade every run of a run group (`mlebench "
                     "run` output) and rewrite their grading reports.")
    add_output_arg(p, "Folder for the summary report (required with --submission; default "
                   "<run-group>/_grading with --run-group).", old=("--output-dir",))
    add_competition_selector(p, required=False, note="Grade only the submissions for these "
                             "(default: all of them).")
    p.add_argument("--json", action="store_true", help="Print the summary report as JSON.")
    data_dir_arg(p)

    p = sub.add_parser("grade-sample", help="Grade one submission CSV for one competition.",
                       description="Grade one submission CSV and print its report (score, medals, "
                       "thresholds, rank). Exit 0 when valid, 1 when missing or invalid.")
    p.add_argument("submission", type=Path, help="Path to the submission CSV.")
    p.add_argument("competition_id", help="Competition id.")
    p.add_argument("--json", action="store_true", help="Print only the JSON report.")
    data_dir_arg(p)

    p = sub.add_parser("validate", help="Check a submission is valid (never prints a score).",
                       description="Say whether a submission is valid, and why not. Exit 0 when "
                       "valid, 1 when missing or invalid.")
    p.add_argument("submission", type=Path, help="Path to the submission CSV.")
    p.add_argument("competition_id", help="Competition id.")
    p.add_argument("--json", action="store_true",
                   help="Print {competition_id, submission_path, valid, message} as JSON.")
    data_dir_arg(p)


def _fmt(value) -> str:
    return "-" if value is None else (f"{value:.5g}" if isinstance(value, float) else str(value))


def _print_report(report: dict) -> None:
    table = Table(show_header=False, title=cell(report["competition_id"]))
    table.add_column("field")
    table.add_column("value", overflow="fold")
    for key in REPORT_FIELDS:
        if key == "invalid_reason" and report.get(key) is None:
            continue
        table.add_row(key, cell(_fmt(report.get(key)), 300 if key == "invalid_reason" else 80))
    out.print(table)
    for note in report.get("notes") or []:
        say(f"note: {excerpt(note, 1000)}")


def cmd_grade_sample(args: argparse.Namespace) -> int:
    _prestart_worker()
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.grade import grade_csv

    competition = registry_for(args).get_competition(args.competition_id)
    report = grade_csv(args.submission, competition).to_dict()
    if args.json:
        print_json(report)
    else:
        _print_report(report)
    return EXIT_OK if report["valid_submission"] else EXIT_FAILED


def cmd_validate(args: argparse.Namespace) -> int:
    _prestart_worker()
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.grade import validate_submission

    competition = registry_for(args).get_competition(args.competition_id)
    ok, message = validate_submission(args.submission, competition)
    if args.json:
        print_json({"competition_id": competition.id, "submission_path": str(args.submission),
                    "valid": ok, "message": message})
    else:
        say(message)
    return EXIT_OK if ok else EXIT_FAILED


def _prestart_worker() -> None:
    """Start the grading worker first (a light import), so that its start-up (Python, pandas,
    scikit-learn: most of a small grading's wall time) overlaps with this process's own imports."""
    from mlebench.grading import isolated

    isolated.prestart()


def cmd_grade(args: argparse.Namespace) -> int:
    _prestart_worker()
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.grade import grade_jsonl, read_submissions, save_summary

    reg = registry_for(args)
    chosen = selected_competitions(args, reg)
    only = "" if chosen is None else " for the selected competitions"
    if args.run_group is not None:
        # Deferred: only this verb needs it, so start-up stays light.
        from mlebench.runtime.regrade import regrade_group, write_submissions_jsonl

        if not args.run_group.is_dir():
            raise MLEBenchError(f"Run group {args.run_group} does not exist.")
        # Each run graded once, its intake record kept; the summary is made from those reports.
        reports = regrade_group(args.run_group, reg, chosen)
        if not reports:
            raise MLEBenchError(f"{args.run_group} holds no finished run{only} to grade.")
        write_submissions_jsonl(args.run_group)
        path = save_summary(reports, [], args.output or args.run_group / "_grading")
    else:
        if args.output is None:
            raise MLEBenchError("--output is required with --submission.")
        entries, errors = read_submissions(args.submission)
        if not entries:
            why = f" ({len(errors)} bad line(s); line {errors[0]['line']}: {errors[0]['error']})" \
                if errors else ""
            raise MLEBenchError(f"No submission could be read from {args.submission}{why}.")
        if chosen is not None:
            entries = [e for e in entries if e.competition_id in chosen]
            if not entries:
                raise MLEBenchError(f"{args.submission} holds no submission{only}.")
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("grading", total=len(entries))
            path = grade_jsonl(args.submission, args.output, reg,
                               progress=lambda: progress.advance(task), competitions=chosen)
    summary = json.loads(path.read_text())
    ok = not summary["errors"] and all(r["valid_submission"] for r in summary["competition_reports"])
    if args.json:
        print_json({**summary, "report_path": str(path)})
        return EXIT_OK if ok else EXIT_FAILED
    for err in summary["errors"][:SHOWN_ERRORS]:
        say(f"skipped: {excerpt(err['error'], 300)}", err=True)
    if len(summary["errors"]) > SHOWN_ERRORS:
        say(f"... and {len(summary['errors']) - SHOWN_ERRORS} more bad line(s), all listed under "
            f"'errors' in {path}", err=True)
    table = Table(title="grading summary")
    for col in ("competition", "score", "valid", "medal", "above median"):
        table.add_column(col)
    for r in summary["competition_reports"]:
        medal = next((m for m in ("gold", "silver", "bronze") if r[f"{m}_medal"]), "-")
        table.add_row(cell(r["competition_id"]), cell(_fmt(r["score"])),
                      cell(r["valid_submission"]), cell(medal), cell(r["above_median"]))
    out.print(table)
    say(f"{summary['total_medals']} medal(s) in {summary['total_runs']} graded, "
        f"{summary['total_valid_submissions']} valid, {len(summary['errors'])} line(s) skipped; "
        f"report saved to {path}")
    return EXIT_OK if ok else EXIT_FAILED


COMMANDS = {"grade": cmd_grade, "grade-sample": cmd_grade_sample, "validate": cmd_validate}
