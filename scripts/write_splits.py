"""Write the named split files (`src/mlebench/splits/<name>.txt`) from the competitions' configs.

A competition's config lists the splits it belongs to (`splits: [low, all]`); the split files are
made from those lists and never edited by hand (`tests/test_splits.py` checks they agree). The
files stay because the reference's harnesses read them (`registry.get_splits_dir()`). `practice`
has no file: it is every competition whose `source` is `builtin`.

    python scripts/write_splits.py          # rewrite the files
    python scripts/write_splits.py --check  # exit 1, naming the files, when they disagree
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlebench.registry import COMPETITIONS_DIR, SPLITS_DIR, load_config

COMPUTED = {"practice"}  # splits the registry derives itself, with no file


def split_files() -> dict[str, str]:
    """{file name: content}: one id a line, sorted, for every split named in a config."""
    members: dict[str, list[str]] = {}
    for config in sorted(COMPETITIONS_DIR.glob("*/config.yaml")):
        competition_id = config.parent.name
        for split in load_config(competition_id).splits:
            if split not in COMPUTED:
                members.setdefault(split, []).append(competition_id)
    return {f"{name}.txt": "".join(f"{cid}\n" for cid in sorted(ids))
            for name, ids in sorted(members.items())}


def stale(splits_dir: Path = SPLITS_DIR) -> list[str]:
    """Names of the split files that differ from the configs (missing or extra ones included)."""
    wanted = split_files()
    present = {p.name for p in splits_dir.glob("*.txt")}
    return sorted(name for name in wanted.keys() | present
                  if name not in wanted or name not in present
                  or (splits_dir / name).read_text() != wanted[name])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        if bad:
            print(f"Split files disagree with the configs: {', '.join(bad)}; run "
                  "`python scripts/write_splits.py`.", file=sys.stderr)
            return 1
        return 0
    wanted = split_files()
    for name in {p.name for p in SPLITS_DIR.glob("*.txt")} - wanted.keys():
        (SPLITS_DIR / name).unlink()
    for name, text in wanted.items():
        (SPLITS_DIR / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
