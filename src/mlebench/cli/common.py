"""What every verb shares: the two consoles, common arguments, the registry for --data-dir."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

console = Console(stderr=True, soft_wrap=True, highlight=False)
# Wide tables when piped (CI logs, `| less`); the terminal's width otherwise.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


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


def bundle_kwargs(args: argparse.Namespace) -> dict:
    data_dir = registry_for(args).get_data_dir() if args.regrade else None
    return {"bundles": args.bundle, "data_dir": data_dir, "pubkey": args.pubkey}


def registry_for(args: argparse.Namespace):
    from mlebench.registry import Registry

    return Registry(args.data_dir)
