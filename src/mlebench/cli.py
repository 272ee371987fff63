"""The `mlebench` command line: thin wrappers over the library (same verbs as the reference)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from mlebench import __version__
from mlebench.errors import MLEBenchError

console = Console(stderr=True, soft_wrap=True, highlight=False)
# Wide tables when piped (CI logs, `| less`); the terminal's width otherwise.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)

EPILOG = """
Data lives in --data-dir (default: $MLEBENCH_DATA_DIR, else the user cache dir), laid out as
<data-dir>/<competition-id>/{raw,prepared/public,prepared/private}.
Start offline:  mlebench prepare -c practice-tabular-classification
                mlebench grade-sample <csv> practice-tabular-classification
"""


def _data_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=None,
                   help="Data directory (default: $MLEBENCH_DATA_DIR or the user cache dir).")


def _bundle_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bundle", type=Path, action="append", default=None, metavar="FILE",
                   help="Verify this result bundle and show its status (default: "
                   "<group>.bundle.tar.gz next to the run group, if any).")
    p.add_argument("--pubkey", type=Path, default=None,
                   help="The signer's public key to verify the bundle with.")
    p.add_argument("--regrade", action="store_true",
                   help="Also re-grade the bundle's submissions against --data-dir.")
    _data_dir_arg(p)


def _bundle_kwargs(args: argparse.Namespace) -> dict:
    data_dir = _registry(args).get_data_dir() if args.regrade else None
    return {"bundles": args.bundle, "data_dir": data_dir, "pubkey": args.pubkey}


def _registry(args: argparse.Namespace):
    from mlebench.registry import Registry

    return Registry(args.data_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlebench",
        description="MLE-bench: prepare Kaggle competitions, grade submissions, place them on the "
        "private leaderboard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mlebench {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="Log debug details.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="List competitions: metadata, implemented, prepared.",
                       description="List the registry's competitions with their split, category, "
                       "metric and whether they are implemented and prepared in --data-dir.")
    p.add_argument("--split", help="Only this split (all, low/lite, medium, high, dev, systemcard, "
                   "practice) or a text file with one id per line.")
    p.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    _data_dir_arg(p)

    p = sub.add_parser(
        "prepare", help="Download and prepare competitions (or build them offline).",
        description="Download competitions from Kaggle (or use --raw-dir / --synthetic) and split them "
        "into public data for agents and private answers for grading. Interrupted runs resume; "
        "prepared competitions are skipped unless --force.",
    )
    sel = p.add_mutually_exclusive_group(required=True)
    sel.add_argument("-c", "--competition-id", help="One competition id.")
    sel.add_argument("--split", help="A named split or a file of ids (see `mlebench list`).")
    sel.add_argument("--lite", action="store_true", help="The 22 low-complexity competitions.")
    sel.add_argument("-a", "--all", action="store_true", help="All 75 benchmark competitions.")
    sel.add_argument("-l", "--list", type=Path, help="A text file with one competition id per line.")
    _data_dir_arg(p)
    p.add_argument("--keep-raw", action="store_true", help="Keep the extracted raw files.")
    p.add_argument("--force", action="store_true", help="Prepare again even if already prepared.")
    p.add_argument("--raw-dir", type=Path, help="Use an already downloaded Kaggle zip or extracted "
                   "folder (offline). With several competitions: a folder holding <id>.zip or <id>/.")
    p.add_argument("--synthetic", action="store_true", help="Prepare from each competition's "
                   "synthetic fixture: no Kaggle access; marked synthetic everywhere, never medals.")
    p.add_argument("--seed", type=int, default=0, help="Seed of the synthetic fixture (default 0).")
    p.add_argument("--variant", choices=["v1", "v2"], default="v1", help="v1 (default): the "
                   "reference's data, leaks included, for comparability; v2: known leaks removed "
                   "where a fix exists (labelled v2 everywhere; never mix with v1 results).")
    p.add_argument("--upstream-dir", type=Path, help="A local clone of the reference repository to "
                   "read pinned descriptions/leaderboards from (also $MLEBENCH_UPSTREAM_DIR).")

    p = sub.add_parser("grade", help="Grade a JSONL file of submissions (one per competition).",
                       description="Grade every line {competition_id, submission_path} of a JSONL "
                       "file and write <output-dir>/<timestamp>_grading_report.json.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--submission", type=Path, help="JSONL file of submissions.")
    src.add_argument("--run-group", type=Path, help="Re-grade every run of a run group (`mlebench "
                     "run` output) and rewrite their grading reports.")
    p.add_argument("--output-dir", type=Path, default=None, help="Where to write the summary report "
                   "(required with --submission; default <run-group>/_grading with --run-group).")
    _data_dir_arg(p)

    p = sub.add_parser("grade-sample", help="Grade one submission CSV for one competition.",
                       description="Grade one submission CSV and print its report (score, medals, "
                       "thresholds, rank).")
    p.add_argument("submission", type=Path, help="Path to the submission CSV.")
    p.add_argument("competition_id", help="Competition id.")
    p.add_argument("--json", action="store_true", help="Print only the JSON report.")
    _data_dir_arg(p)

    p = sub.add_parser("validate", help="Check a submission is valid (never prints a score).")
    p.add_argument("submission", type=Path)
    p.add_argument("competition_id")
    _data_dir_arg(p)

    p = sub.add_parser(
        "run", help="Run an agent on competitions in a sandbox, grade on the host.",
        description="Run an agent on each (competition, seed) inside a sandbox (bubblewrap) with "
        "harness-enforced time, CPU, memory and network limits; the private answers never enter "
        "the sandbox; each submission is graded on the host after its run. Re-running the same "
        "command resumes the run group: finished runs are kept, interrupted ones re-run.",
    )
    p.add_argument("--agent", required=True, help="A built-in agent (see `mlebench agents`) or "
                   "the path of an agent spec YAML.")
    sel = p.add_mutually_exclusive_group(required=True)
    sel.add_argument("-c", "--competition", help="One competition id.")
    sel.add_argument("--split", help="A named split or a file of ids.")
    sel.add_argument("-l", "--list", type=Path, help="A text file with one competition id per line.")
    p.add_argument("--seeds", type=int, default=1, help="Runs per competition (default 1; "
                   "report at least 3).")
    p.add_argument("--time-limit", default="24h", help="Wall-clock limit per run, e.g. 30s, 90m, "
                   "24h (default 24h).")
    p.add_argument("--cpus", type=float, default=None, help="CPUs per run (default: 1 for "
                   "scheduling, unlimited inside).")
    p.add_argument("--memory", default=None, help="Memory limit per run, e.g. 16G, 440G.")
    p.add_argument("--gpus", type=int, default=0, help="GPUs per run (default 0).")
    p.add_argument("--disk", default=None, help="Limit on what a run writes (submission, logs, "
                   "code, agent folders), e.g. 50G.")
    p.add_argument("--network", choices=["none", "llm-only", "open"], default=None,
                   help="Network policy (default: the agent spec's, else none).")
    p.add_argument("--workers", type=int, default=1, help="Runs at once (default 1).")
    p.add_argument("--backend", choices=["local", "docker", "ray"], default="local")
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
    _data_dir_arg(p)

    p = sub.add_parser("agents", help="List the available agents.")

    p = sub.add_parser("report", help="Aggregate run groups: report.json, Markdown table, HTML.",
                       description="Per split and category: Any Medal %, gold/silver/bronze, "
                       "above-median, valid and submitted %, mean ± SEM over seeds (missing runs "
                       "count as no medal), pass@k, per-competition scores and resources used.")
    p.add_argument("run_groups", nargs="+", type=Path, metavar="RUN_GROUP")
    p.add_argument("--split", help="Also report this split (a name or a file of ids).")
    p.add_argument("--output", type=Path, default=None, help="Output folder (default: "
                   "<first run group>/_report).")
    _bundle_args(p)

    p = sub.add_parser("view", help="Serve a run group's HTML report and logs on localhost.")
    p.add_argument("run_group", type=Path)
    p.add_argument("--port", type=int, default=8765)
    _bundle_args(p)

    from mlebench.envs.cli import add_env_parser
    from mlebench.integrity import cli as integrity_cli

    add_env_parser(sub)

    integrity_cli.add_keygen_arguments(sub.add_parser(
        "keygen", help="Make an Ed25519 key pair for signing result bundles."))
    integrity_cli.add_bundle_arguments(sub.add_parser(
        "bundle", help="Pack a run group into one signed, re-gradable archive.",
        description="Every run's submission, code, logs, metadata, validation log and grading "
        "report, plus a signed manifest: sha256 of every file and their Merkle root, harness "
        "version, limits and hardware, mount lists, times, prepared-data and leaderboard hashes "
        "and the per-split aggregate."))
    integrity_cli.add_verify_arguments(sub.add_parser(
        "verify", help="Check a bundle: signature, hashes, mounts, timeline; re-grade with "
        "--data-dir.", description="Prints one line per check; exits non-zero on any failure."))

    from mlebench.runtime import docker_cli

    docker_cli.add_arguments(sub.add_parser(
        "docker", help="Build and list the docker backend's images (built locally)."))

    integ = sub.add_parser("integrity", help="Rule-violation checks on a run group.")
    isub = integ.add_subparsers(dest="integrity_command", metavar="INTEGRITY_COMMAND")
    p = isub.add_parser("check", help="Deterministic checks of each run's logs, code and network "
                        "log; writes integrity_findings.json into each run.")
    p.add_argument("run_group", type=Path)
    _data_dir_arg(p)
    p = isub.add_parser("judge", help="An LLM judge reads each run's logs and code (any "
                        "OpenAI-compatible API); writes integrity_judge.json into each run.")
    p.add_argument("run_group", type=Path)
    p.add_argument("--model", default=None, help="Model (default $MLEBENCH_JUDGE_MODEL).")
    p.add_argument("--base-url", default=None, help="API base URL (default "
                   "$MLEBENCH_JUDGE_BASE_URL, else $OPENAI_BASE_URL).")
    p = isub.add_parser("plagiarism", help="Compare each run's code with the competition's "
                        "public notebooks using Dolos (optional: see README); writes "
                        "integrity_plagiarism.json into each run.")
    p.add_argument("run_group", type=Path)
    p.add_argument("--notebooks", type=Path, default=None, metavar="DIR",
                   help="Notebooks to compare with (<owner>/<slug>.py or .ipynb, optionally under "
                   "DIR/<competition-id>/); default: the reference's pinned notebooks, fetched "
                   "once from Kaggle into <data-dir>/<id>/notebooks/.")
    p.add_argument("--threshold", type=float, default=None,
                   help="Flag a file at or above this Dolos similarity (0-1; default 0.6).")
    p.add_argument("--dolos", type=Path, default=None, metavar="PATH",
                   help="Where @dodona/dolos-lib is installed (an npm prefix or the package); "
                   "default: $MLEBENCH_DOLOS, ~/.cache/mle-bench/dolos, then `npm root -g`.")
    _data_dir_arg(p)

    dev = sub.add_parser("dev", help="Developer tools.")
    dsub = dev.add_subparsers(dest="dev_command", metavar="DEV_COMMAND")
    p = dsub.add_parser("fixture", help="Write a competition's synthetic Kaggle download.")
    p.add_argument("-c", "--competition-id", required=True)
    p.add_argument("--out", type=Path, required=True, help="Output folder.")
    p.add_argument("--seed", type=int, default=0)
    p = dsub.add_parser("gold-submission", help="Write the held-out answers in submission format "
                        "(a perfect submission, for checking the pipeline).")
    p.add_argument("-c", "--competition-id", required=True)
    p.add_argument("--out", type=Path, required=True, help="Output CSV.")
    _data_dir_arg(p)
    return parser


# --- list -----------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from mlebench.data import is_dataset_prepared
    from mlebench.data.prepare import read_prepared_manifest
    from mlebench.integrity.leaks import label_leaking_competitions, load_leaks

    reg = _registry(args)
    ids = reg.get_split(args.split) if args.split else reg.list_competition_ids()
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
        out.print(json.dumps(rows, indent=2))
        return 0
    table = Table(title=f"{len(rows)} competitions", show_lines=False)
    for col in ("id", "category", "complexity", "metric", "implemented", "prepared", "size",
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
    out.print(f"{done}/{len(rows)} implemented, {sum(r['prepared'] for r in rows)} prepared in "
              f"{reg.get_data_dir()}")
    if any(r["known_issues"] for r in rows):
        out.print("Known issues: leaks and defects of the reference (see `mlebench list --json`); "
                  "`prepare --variant v2` builds fixed variants where available.")
    return 0


# --- prepare --------------------------------------------------------------------------------------
def _selected_ids(args: argparse.Namespace, reg) -> list[str]:
    if args.competition_id:
        reg.get_competition(args.competition_id)  # unknown id -> suggestions
        return [args.competition_id]
    if args.lite:
        return reg.get_split("low")
    if args.all:
        return reg.get_split("all")
    if args.list:
        if not args.list.is_file():
            raise MLEBenchError(f"--list file {args.list} does not exist.")
        return reg.get_split(args.list)
    return reg.get_split(args.split)


def _raw_dir_for(args: argparse.Namespace, cid: str, n: int) -> Path | None:
    if args.raw_dir is None:
        return None
    if n == 1:
        return args.raw_dir
    for cand in (args.raw_dir / f"{cid}.zip", args.raw_dir / cid):
        if cand.exists():
            return cand
    raise MLEBenchError(f"--raw-dir {args.raw_dir} has neither {cid}.zip nor {cid}/.")


def cmd_prepare(args: argparse.Namespace) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from mlebench.data import is_dataset_prepared, prepare_competition

    if args.upstream_dir:
        os.environ["MLEBENCH_UPSTREAM_DIR"] = str(args.upstream_dir)
    if args.raw_dir is not None and not args.raw_dir.exists():
        raise MLEBenchError(f"--raw-dir {args.raw_dir} does not exist.")
    reg = _registry(args)
    ids = _selected_ids(args, reg)
    comps = [reg.get_competition(cid) for cid in ids]
    missing = [c.id for c in comps if not c.implemented]
    if missing:
        raise MLEBenchError(
            f"{len(missing)} selected competition(s) are not implemented yet: {', '.join(missing)}. "
            "Run `mlebench list` to see the implemented ones."
        )
    from mlebench.data.prepare import read_prepared_manifest

    def prepared_as_requested(c) -> bool:
        variant = (read_prepared_manifest(c) or {}).get("variant", "v1")
        return is_dataset_prepared(c) and variant == args.variant

    todo = [c for c in comps if args.force or not prepared_as_requested(c)]
    for c in comps:
        if c not in todo:
            out.print(f"[dim]{c.id}: already prepared (use --force to redo)[/dim]")
    need_download = [c for c in todo if not c.is_practice and not args.synthetic
                     and args.raw_dir is None and not c.raw_dir.is_dir()]
    if need_download:
        _preflight_kaggle(need_download, reg.get_data_dir())

    failures: list[tuple[str, str]] = []
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as progress:
        overall = progress.add_task("competitions", total=len(todo))
        for c in todo:
            stage_task = progress.add_task(f"  {c.id}", total=None)

            def report(stage: str, done: int, total: int, _t=stage_task, _c=c.id) -> None:
                progress.update(_t, description=f"  {_c}: {stage}", completed=done, total=total)

            try:
                outcome = prepare_competition(
                    c, force=args.force, keep_raw=args.keep_raw,
                    raw_dir=_raw_dir_for(args, c.id, len(todo)),
                    synthetic=args.synthetic, seed=args.seed, progress=report,
                    variant=args.variant,
                )
                results.append(outcome)
                note = f" ({outcome.source})" if outcome.source else ""
                progress.console.print(f"[green]✓[/green] {c.id}: {outcome.status}{note}")
                for problem in outcome.checksum_problems:
                    progress.console.print(f"[yellow]warning[/yellow] {c.id}: {problem}")
                if outcome.checksums_verified:
                    progress.console.print(f"  {c.id}: prepared files match the reference md5s")
            except MLEBenchError as e:
                failures.append((c.id, str(e)))
                progress.console.print(f"[red]✗[/red] {c.id}: {e}")
            progress.remove_task(stage_task)
            progress.advance(overall)
    if failures:
        console.print(f"[red]{len(failures)} of {len(todo)} competition(s) failed to prepare.[/red]")
        return 1
    return 0


def _preflight_kaggle(comps, data_dir: Path) -> None:
    """Before any download: credentials, rules acceptance for all, total size vs free disk."""
    from mlebench.data import kaggle

    kaggle.check_credentials()
    pending = kaggle.rules_not_accepted([c.id for c in comps])
    if pending:
        lines = "\n".join(f"  {cid}: https://www.kaggle.com/c/{cid}/rules" for cid in pending)
        raise MLEBenchError(
            f"Accept the rules of these {len(pending)} competition(s) on Kaggle first, then rerun:\n"
            + lines
        )
    sizes = [kaggle.download_size(c.id) for c in comps]
    known = sum(s for s in sizes if s)
    data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(data_dir).free
    unknown = sum(1 for s in sizes if not s)
    extra = f" (+{unknown} of unknown size)" if unknown else ""
    console.print(f"Download: {known / 1e9:.2f} GB for {len(comps)} competition(s){extra}; "
                  f"free disk in {data_dir}: {free / 1e9:.2f} GB")
    if known > free:
        raise MLEBenchError("Not enough free disk space for the download.")


# --- grading --------------------------------------------------------------------------------------
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

    competition = _registry(args).get_competition(args.competition_id)
    report = grade_csv(args.submission, competition).to_dict()
    if args.json:
        out.print(json.dumps(report, indent=2))
    else:
        _print_report(report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from mlebench.grade import validate_submission

    competition = _registry(args).get_competition(args.competition_id)
    ok, message = validate_submission(args.submission, competition)
    out.print(message)
    return 0 if ok else 1


def cmd_grade(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from mlebench.grade import grade_jsonl, read_submissions

    reg = _registry(args)
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


def cmd_dev(args: argparse.Namespace) -> int:
    from mlebench.data.fixtures import make_fixture
    from mlebench.registry import Registry

    if args.dev_command == "gold-submission":
        from mlebench.grading.gold import write_gold_submission

        competition = _registry(args).get_competition(args.competition_id)
        write_gold_submission(competition, args.out)
        out.print(f"Wrote {args.out}")
        return 0
    if args.dev_command != "fixture":
        raise MLEBenchError("Usage: mlebench dev (fixture|gold-submission) -c ID --out PATH")
    competition = Registry().get_competition(args.competition_id)
    path = make_fixture(competition, args.out, seed=args.seed)
    out.print(f"Wrote {path}")
    return 0


def _parse_duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    t = text.strip().lower()
    try:
        return float(t[:-1]) * units[t[-1]] if t[-1] in units else float(t)
    except (ValueError, IndexError):
        raise MLEBenchError(f"Cannot read duration '{text}': use e.g. 45s, 30m, 24h.") from None


def _parse_bytes(text: str | None) -> int | None:
    if text is None:
        return None
    units = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
    t = text.strip().lower().rstrip("ib").rstrip("b") if text.lower() != "b" else text
    try:
        return int(float(t[:-1]) * units[t[-1]]) if t[-1] in units else int(float(t))
    except (ValueError, IndexError):
        raise MLEBenchError(f"Cannot read size '{text}': use e.g. 512M, 16G.") from None


def cmd_agents(args: argparse.Namespace) -> int:
    from mlebench.agents import list_agents, load_agent

    for name in list_agents():
        spec = load_agent(name)
        out.print(f"{name:12} network={spec.network:8} {spec.description}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from mlebench.agents import load_agent
    from mlebench.runtime.group import run_group
    from mlebench.runtime.runs import RunLimits

    reg = _registry(args)
    if args.competition:
        reg.get_competition(args.competition)
        ids = [args.competition]
    elif args.list:
        if not args.list.is_file():
            raise MLEBenchError(f"--list file {args.list} does not exist.")
        ids = reg.get_split(args.list)
    else:
        ids = reg.get_split(args.split)
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
        time_limit_s=_parse_duration(args.time_limit), cpus=args.cpus,
        memory_bytes=_parse_bytes(args.memory), gpus=args.gpus,
        disk_bytes=_parse_bytes(args.disk),
        network=args.network or agent.network,
        validation_rate_limit=args.validation_rate_limit,
        llm_endpoints=tuple(args.llm_endpoint),
    )
    group_dir = args.run_dir or Path("runs") / f"{time.strftime('%Y-%m-%dT%H-%M-%S')}_{agent.name}"
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
                progress.console.print(f"{'✓' if ok else '✗'} {task.name}: {status}, score={score}")
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
    table = Table(title=f"run group {group_dir}")
    for col in ("run", "status", "score", "valid", "medal", "validations", "duration"):
        table.add_column(col)
    for m in metas:
        g = m.get("grading") or {}
        medal = next((x for x in ("gold", "silver", "bronze") if g.get(f"{x}_medal")), "-")
        table.add_row(m["run_id"], m["status"], str(g.get("score")), str(g.get("valid_submission")),
                      medal, str((m.get("validation") or {}).get("calls")),
                      f"{m.get('duration_s', 0):.1f}s")
    out.print(table)
    # Timeouts and limit kills are results, not harness failures; a crash is worth a non-zero exit.
    return 0 if all(m["status"] != "crashed" for m in metas) else 1


def cmd_report(args: argparse.Namespace) -> int:
    from mlebench.reporting.report import markdown_table, write_report

    output = args.output or args.run_groups[0] / "_report"
    paths = write_report(args.run_groups, output, args.split, **_bundle_kwargs(args))
    report = json.loads(paths["json"].read_text())
    out.print(markdown_table(report))
    for kind, path in paths.items():
        out.print(f"{kind}: {path}")
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from mlebench.reporting.view import serve

    if not args.run_group.is_dir():
        raise MLEBenchError(f"Run group {args.run_group} does not exist.")
    try:
        server = serve(args.run_group, args.port, **_bundle_kwargs(args))
    except OSError as e:
        raise MLEBenchError(f"Cannot listen on port {args.port}: {e.strerror}; try --port.") from None
    from mlebench.reporting.bundle_status import status_line
    from mlebench.reporting.view import REPORT_DIR

    report = json.loads((args.run_group / REPORT_DIR / "report.json").read_text())
    for status in report.get("bundles") or []:
        out.print(status_line(status), markup=False)
    out.print(f"Serving {args.run_group} at http://127.0.0.1:{server.server_address[1]}/ "
              "(Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def cmd_integrity(args: argparse.Namespace) -> int:
    if args.integrity_command is None:
        raise MLEBenchError("Usage: mlebench integrity (check|judge|plagiarism) RUN_GROUP")
    if not args.run_group.is_dir():
        raise MLEBenchError(f"Run group {args.run_group} does not exist.")
    if args.integrity_command == "check":
        from mlebench.integrity.rules import check_group

        results = check_group(args.run_group, _registry(args))
        flagged = 0
        for run, findings in sorted(results.items()):
            violations = [f for f in findings if f.severity == "violation"]
            flagged += bool(violations)
            mark = "FLAGGED" if violations else ("review" if findings else "clean")
            out.print(f"{mark:8} {run}: {len(violations)} violation(s), {len(findings)} finding(s)")
            for f in findings[:5]:
                out.print(f"         - [{f.severity}] {f.rule}: {f.message}")
        out.print(f"{flagged} of {len(results)} run(s) flagged; details in integrity_findings.json")
        return 1 if flagged else 0
    if args.integrity_command == "judge":
        from mlebench.integrity.judge import JudgeConfig, judge_group

        verdicts = judge_group(args.run_group, JudgeConfig(model=args.model, base_url=args.base_url))
        flagged = 0
        for run, verdict in sorted(verdicts.items()):
            violation = getattr(verdict, "violation", None)
            flagged += bool(violation)
            out.print(f"{'FLAGGED' if violation else 'ok' if violation is False else 'error':8} {run}")
        return 1 if flagged else 0
    if args.integrity_command == "plagiarism":
        return _plagiarism(args)
    raise MLEBenchError("Usage: mlebench integrity (check|judge|plagiarism) RUN_GROUP")


def _plagiarism(args: argparse.Namespace) -> int:
    from mlebench.integrity.plagiarism import DEFAULT_THRESHOLD, PLAGIARISM_FILE, check_group

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    records = check_group(args.run_group, _registry(args).get_data_dir(), args.notebooks,
                          threshold, args.dolos)
    flagged = 0
    for run, rec in sorted(records.items()):
        flagged += rec["summary"]["flagged"]
        top = rec["summary"]["max_similarity"]
        out.print(f"{'FLAGGED' if rec['summary']['flagged'] else 'ok':8} {run}: "
                  f"{rec['summary']['files']} code file(s), max similarity "
                  f"{'-' if top is None else f'{top:.2f}'} ({rec['notebooks']['count']} notebooks)",
                  markup=False)
        for f in rec["files"]:
            if f["flagged"]:
                out.print(f"         - {f['file']}: {f['similarity']:.2f} like {f['notebook']}",
                          markup=False)
    out.print(f"{flagged} of {len(records)} run(s) flagged at similarity >= {threshold:g}; "
              f"details in {PLAGIARISM_FILE}")
    return 1 if flagged else 0


def _integrity(name: str, args: argparse.Namespace) -> int:
    from mlebench.integrity import cli as integrity_cli

    return getattr(integrity_cli, name)(args)


def _docker_cli():
    from mlebench.runtime import docker_cli

    return docker_cli


COMMANDS = {
    "list": cmd_list, "prepare": cmd_prepare, "grade": cmd_grade,
    "grade-sample": cmd_grade_sample, "validate": cmd_validate, "dev": cmd_dev,
    "run": cmd_run, "agents": cmd_agents, "report": cmd_report, "view": cmd_view,
    "keygen": lambda a: _integrity("cli_keygen", a), "bundle": lambda a: _integrity("cli_bundle", a),
    "verify": lambda a: _integrity("cli_verify", a), "integrity": cmd_integrity,
    "docker": lambda a: _docker_cli().cmd_docker(a),
    "env": lambda a: _env_cli(a),
}


def _env_cli(args: argparse.Namespace) -> int:
    from mlebench.envs.cli import cmd_env

    return cmd_env(args)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except MLEBenchError as e:
        console.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    except KeyboardInterrupt:
        console.print("interrupted: finished work is kept; rerun the same command to resume.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
