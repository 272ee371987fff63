"""`mlebench dev`: synthetic downloads and perfect submissions, for checking the pipeline."""

from __future__ import annotations

import argparse

from mlebench.cli.common import add_competition_arg, add_output_arg, data_dir_arg, registry_for, say
from mlebench.errors import MLEBenchError


def add_parsers(sub) -> None:
    dev = sub.add_parser("dev", help="Developer tools.")
    dsub = dev.add_subparsers(dest="dev_command", metavar="DEV_COMMAND")
    p = dsub.add_parser("fixture", help="Write a competition's synthetic Kaggle download.")
    add_competition_arg(p, required=True)
    add_output_arg(p, "Output folder.", required=True)
    p.add_argument("--seed", type=int, default=0)
    p = dsub.add_parser("gold-submission", help="Write the held-out answers in submission format "
                        "(a perfect submission, for checking the pipeline).")
    add_competition_arg(p, required=True)
    add_output_arg(p, "Output CSV.", required=True)
    data_dir_arg(p)


def cmd_dev(args: argparse.Namespace) -> int:
    # Deferred: only this verb needs it, so start-up stays light.
    from mlebench.data.fixtures import make_fixture
    from mlebench.registry import Registry

    if args.dev_command == "gold-submission":
        # Deferred: only this verb needs it, so start-up stays light.
        from mlebench.grading.gold import write_gold_submission

        competition = registry_for(args).get_competition(args.competition)
        write_gold_submission(competition, args.output)
        say(f"Wrote {args.output}")
        return 0
    if args.dev_command != "fixture":
        raise MLEBenchError("Usage: mlebench dev (fixture|gold-submission) -c ID --output PATH")
    competition = Registry().get_competition(args.competition)
    path = make_fixture(competition, args.output, seed=args.seed)
    say(f"Wrote {path}")
    return 0


COMMANDS = {"dev": cmd_dev}
