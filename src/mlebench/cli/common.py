"""What every verb shares: exit codes, the two consoles, plain and JSON output, common arguments,
the registry for --data-dir."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from mlebench.errors import MLEBenchError
from mlebench.text import excerpt

# One exit-code table for every verb (README "Exit codes").
EXIT_OK = 0  # done: graded and valid, prepared, verified
EXIT_FAILED = 1  # done, but a submission is missing or invalid (or a check failed); report printed
EXIT_USAGE = 2  # a usage error, or nothing could be read
EXIT_INTERRUPTED = 130  # Ctrl-C before the work was finished

# True in the `mlebench` process itself (not when a test or a program calls `main(argv)`).
_standalone = False


def set_standalone(standalone: bool) -> None:
    global _standalone
    _standalone = standalone


def ignore_late_interrupts() -> None:
    """From now on Ctrl-C changes nothing: the work is done and reported, so a late Ctrl-C must
    not turn it into an interruption (or a traceback). Only in the `mlebench` process, whose
    signal handling is its own."""
    if _standalone and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


CELL_LIMIT = 80  # characters of one table cell: agent data must never blow up a table

console = Console(stderr=True, soft_wrap=True, highlight=False)
# Wide tables when piped (CI logs, `| less`); the terminal's width otherwise.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def print_json(data: Any) -> None:
    """Machine-readable output: `json.dumps` straight to stdout. Never through rich, which wraps
    long strings at the console width (raw newlines inside JSON strings)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    sys.stdout.flush()


def say(text: str, *, err: bool = False) -> None:
    """One line of plain text: no markup (agent data may hold `[red]`), no highlighting."""
    (console if err else out).print(text, markup=False, highlight=False, soft_wrap=True)


def cell(value: Any, limit: int = CELL_LIMIT) -> Text:
    """A bounded, markup-free table cell."""
    return Text("-" if value is None else excerpt(value, limit))


def add_output_arg(p: argparse.ArgumentParser, help: str, required: bool = False,
                   old: tuple[str, ...] = ("--out",)) -> None:
    """`--output`, with the old spellings still accepted but hidden from --help."""
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument("--output", type=Path, default=None, help=help)
    for name in old:
        group.add_argument(name, dest="output", type=Path, default=None, help=argparse.SUPPRESS)


def add_competition_arg(p, help: str = "One competition id.", required: bool = False) -> None:
    """`-c/--competition` (also the old `--competition-id`, hidden) on a parser or in a group."""
    target = p.add_mutually_exclusive_group(required=True) if required else p
    target.add_argument("-c", "--competition", help=help)
    target.add_argument("--competition-id", dest="competition", help=argparse.SUPPRESS)


def add_competition_selector(p: argparse.ArgumentParser, *, required: bool = True,
                             note: str | None = None) -> None:
    """The one way `prepare`, `run` and `grade` pick competitions: ids, a split, --lite, --all or
    a file of ids (one of them). `note` describes the choice in --help."""
    group = p.add_argument_group("competitions", note or "Choose one of these.")
    sel = group.add_mutually_exclusive_group(required=required)
    sel.add_argument("-c", "--competition", action="append",
                     help="A competition id; repeat for several.")
    sel.add_argument("--competition-id", dest="competition", action="append",
                     help=argparse.SUPPRESS)
    sel.add_argument("--split", metavar="NAME|FILE", help="A named split (lite, low, medium, "
                     "high, all, dev, systemcard, practice: see `mlebench list`) or a file of ids.")
    sel.add_argument("--lite", action="store_true",
                     help="The 22 low-complexity competitions (as --split lite).")
    sel.add_argument("-a", "--all", action="store_true",
                     help="All 75 benchmark competitions (as --split all).")
    sel.add_argument("-l", "--list", type=Path, metavar="FILE",
                     help="A text file with one competition id per line.")


def selected_competitions(args: argparse.Namespace, reg) -> list[str] | None:
    """The ids `add_competition_selector` picked, in order without repeats (None if no flag was
    given). An unknown id, split or missing file is a one-line MLEBenchError."""
    if args.competition:
        for cid in args.competition:
            reg.get_competition(cid)  # unknown id -> suggestions
        return list(dict.fromkeys(args.competition))
    if args.lite:
        return reg.get_split("low")
    if args.all:
        return reg.get_split("all")
    if args.list is not None:
        if not args.list.is_file():
            raise MLEBenchError(f"--list file {args.list} does not exist.")
        return reg.get_split(args.list)
    if args.split is not None:
        return reg.get_split(args.split)
    return None


def data_dir_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=None,
                   help="Data directory (default: $MLEBENCH_DATA_DIR or the user cache dir).")


def bundle_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bundle", type=Path, action="append", default=None, metavar="FILE",
                   help="Verify this result bundle and show its status (default: "
                   "<group>.bundle.tar.gz next to the run group, if any).")
    p.add_argument("--pubkey", type=Path, default=None,
                   help="The signer's public key to verify the bundle with.")
    p.add_argument("--regrade", action="store_true",
                   help="Also re-grade the bundle's submissions against --data-dir.")
    data_dir_arg(p)


def bundle_statuses(args: argparse.Namespace, group_dirs: list[Path]) -> list[dict]:
    """The bundles' verification statuses for a report: verified here, above both layers, and
    passed in (reports never import bundles)."""
    # Deferred: only a report or view with --bundle needs it, so start-up stays light.
    from mlebench.bundles.status import bundle_statuses as statuses

    data_dir = registry_for(args).get_data_dir() if args.regrade else None
    return statuses(group_dirs, args.bundle, data_dir, args.pubkey)


def registry_for(args: argparse.Namespace):
    # Deferred: the registry loads pandas, which verbs that read no data never need.
    from mlebench.registry import Registry

    return Registry(args.data_dir)
