"""The `mlebench` command line: thin wrappers over the library (same verbs as the reference).

One module per verb family; each has `add_parsers(sub)` and a `COMMANDS` dict (verb -> function
returning the exit code). A new family is one module plus one line in `FAMILIES`.
Each verb imports the library it drives inside its function (marked "Deferred"), so that
`mlebench --help` and light verbs never load pandas, the runtime or Ray.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rich.text import Text

from mlebench import __version__
from mlebench.cli import catalog, checks, dev, docker, envs, grading, prepare, runs
from mlebench.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    console,
    ignore_late_interrupts,
    set_standalone,
)
from mlebench.errors import MLEBenchError

EPILOG = """
Data lives in --data-dir (default: $MLEBENCH_DATA_DIR, else the user cache dir), laid out as
<data-dir>/<competition-id>/{raw,prepared/public,prepared/private}.
Start offline:  mlebench prepare -c practice-tabular-classification
                mlebench grade-sample <csv> practice-tabular-classification
"""

# In `--help` order.
FAMILIES = (catalog, prepare, grading, runs, envs, docker, checks, dev)
COMMANDS = {verb: fn for family in FAMILIES for verb, fn in family.COMMANDS.items()}


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
    for family in FAMILIES:
        family.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    set_standalone(argv is None)
    try:
        code = COMMANDS[args.command](args)
        ignore_late_interrupts()
        return code
    except MLEBenchError as e:
        # Plain text: a message may quote agent data, which must not be read as rich markup.
        console.print(Text.assemble(("error:", "red"), " ", str(e)), highlight=False)
        return EXIT_USAGE
    except KeyboardInterrupt:
        console.print("interrupted: finished work is kept; rerun the same command to resume.")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
