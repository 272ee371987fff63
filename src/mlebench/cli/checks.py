"""`mlebench keygen | bundle | verify | integrity`: results that carry their own proof."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlebench.bundles import cli as bundles_cli
from mlebench.cli.common import data_dir_arg, registry_for, say
from mlebench.errors import MLEBenchError
from mlebench.text import excerpt


def add_parsers(sub) -> None:
    bundles_cli.add_keygen_arguments(sub.add_parser(
        "keygen", help="Make an Ed25519 key pair for signing result bundles."))
    bundles_cli.add_bundle_arguments(sub.add_parser(
        "bundle", help="Pack a run group into one signed, re-gradable archive.",
        description="Every run's submission, code, logs, metadata, validation log and grading "
        "report, plus a signed manifest: sha256 of every file and their Merkle root, harness "
        "version, limits and hardware, mount lists, times, prepared-data and leaderboard hashes "
        "and the per-split aggregate."))
    bundles_cli.add_verify_arguments(sub.add_parser(
        "verify", help="Check a bundle: signature, hashes, mounts, timeline; re-grade with "
        "--data-dir.", description="Prints one line per check; exits non-zero on any failure."))

    integ = sub.add_parser("integrity", help="Rule-violation checks on a run group.")
    isub = integ.add_subparsers(dest="integrity_command", metavar="INTEGRITY_COMMAND")
    p = isub.add_parser("check", help="Deterministic checks of each run's logs, code and network "
                        "log; writes integrity_findings.json into each run.")
    p.add_argument("run_group", type=Path)
    data_dir_arg(p)
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
    data_dir_arg(p)


def cmd_integrity(args: argparse.Namespace) -> int:
    if args.integrity_command is None:
        raise MLEBenchError("Usage: mlebench integrity (check|judge|plagiarism) RUN_GROUP")
    if not args.run_group.is_dir():
        raise MLEBenchError(f"Run group {args.run_group} does not exist.")
    if args.integrity_command == "check":
        # Deferred: only this verb needs it, so start-up stays light.
        from mlebench.integrity.rules import check_group

        results = check_group(args.run_group, registry_for(args))
        flagged = 0
        for run, findings in sorted(results.items()):
            violations = [f for f in findings if f.severity == "violation"]
            flagged += bool(violations)
            mark = "FLAGGED" if violations else ("review" if findings else "clean")
            say(f"{mark:8} {run}: {len(violations)} violation(s), {len(findings)} finding(s)")
            for f in findings[:5]:
                say(f"         - [{f.severity}] {f.rule}: {excerpt(f.message, 300)}")
        say(f"{flagged} of {len(results)} run(s) flagged; details in integrity_findings.json")
        return 1 if flagged else 0
    if args.integrity_command == "judge":
        # Deferred: only this verb needs it, so start-up stays light.
        from mlebench.integrity.judge import JudgeConfig, judge_group

        verdicts = judge_group(args.run_group, JudgeConfig(model=args.model, base_url=args.base_url))
        flagged = 0
        for run, verdict in sorted(verdicts.items()):
            violation = getattr(verdict, "violation", None)
            flagged += bool(violation)
            say(f"{'FLAGGED' if violation else 'ok' if violation is False else 'error':8} {run}")
        return 1 if flagged else 0
    if args.integrity_command == "plagiarism":
        return _plagiarism(args)
    raise MLEBenchError("Usage: mlebench integrity (check|judge|plagiarism) RUN_GROUP")


def _plagiarism(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.integrity.plagiarism import DEFAULT_THRESHOLD, PLAGIARISM_FILE, check_group

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    records = check_group(args.run_group, registry_for(args).get_data_dir(), args.notebooks,
                          threshold, args.dolos)
    flagged = 0
    for run, rec in sorted(records.items()):
        flagged += rec["summary"]["flagged"]
        top = rec["summary"]["max_similarity"]
        say(f"{'FLAGGED' if rec['summary']['flagged'] else 'ok':8} {run}: "
            f"{rec['summary']['files']} code file(s), max similarity "
            f"{'-' if top is None else f'{top:.2f}'} ({rec['notebooks']['count']} notebooks)")
        for f in rec["files"]:
            if f["flagged"]:
                say(f"         - {excerpt(f['file'], 200)}: {f['similarity']:.2f} like {f['notebook']}")
    say(f"{flagged} of {len(records)} run(s) flagged at similarity >= {threshold:g}; "
        f"details in {PLAGIARISM_FILE}")
    return 1 if flagged else 0


def _bundles(name: str, args: argparse.Namespace) -> int:
    return getattr(bundles_cli, name)(args)


COMMANDS = {
    "keygen": lambda a: _bundles("cli_keygen", a), "bundle": lambda a: _bundles("cli_bundle", a),
    "verify": lambda a: _bundles("cli_verify", a), "integrity": cmd_integrity,
}
