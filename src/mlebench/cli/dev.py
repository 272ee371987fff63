"""`mlebench dev`: synthetic downloads and perfect submissions, for checking the pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlebench.cli.common import data_dir_arg, out, registry_for
from mlebench.errors import MLEBenchError


def add_parsers(sub) -> None:
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
    data_dir_arg(p)


def cmd_dev(args: argparse.Namespace) -> int:
    from mlebench.data.fixtures import make_fixture
    from mlebench.registry import Registry

    if args.dev_command == "gold-submission":
        from mlebench.grading.gold import write_gold_submission

        competition = registry_for(args).get_competition(args.competition_id)
        write_gold_submission(competition, args.out)
        out.print(f"Wrote {args.out}")
        return 0
    if args.dev_command != "fixture":
        raise MLEBenchError("Usage: mlebench dev (fixture|gold-submission) -c ID --out PATH")
    competition = Registry().get_competition(args.competition_id)
    path = make_fixture(competition, args.out, seed=args.seed)
    out.print(f"Wrote {path}")
    return 0


COMMANDS = {"dev": cmd_dev}
