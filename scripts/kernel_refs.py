"""Regenerate src/mlebench/integrity/kernels.yaml from a checkout of openai/mle-bench.

The reference pins, per competition, the Kaggle notebooks its plagiarism check compares agents'
code with (`mlebench/competitions/<id>/kernels.txt`, one `owner/slug` a line). This copies those
lists, as data, into one YAML file (competition id -> refs, in the reference's order).

    python scripts/kernel_refs.py /path/to/mle-bench [--out src/mlebench/integrity/kernels.yaml]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/mlebench/integrity/kernels.yaml"


def read_refs(reference: Path) -> dict[str, list[str]]:
    comps = reference / "mlebench" / "competitions"
    if not comps.is_dir():
        raise SystemExit(f"{reference} is not an mle-bench checkout (no mlebench/competitions/).")
    out: dict[str, list[str]] = {}
    for path in sorted(comps.glob("*/kernels.txt")):
        refs = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
        if refs:
            out[path.parent.name] = refs
    return out


def commit_of(reference: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(reference), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("reference", type=Path, help="checkout of openai/mle-bench")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    refs = read_refs(args.reference)
    header = (f"# Kaggle notebooks pinned per competition by openai/mle-bench at commit "
              f"{commit_of(args.reference)}\n# (its mlebench/competitions/<id>/kernels.txt), "
              "used by `mlebench integrity plagiarism`.\n# Regenerate: python "
              "scripts/kernel_refs.py /path/to/mle-bench\n")
    args.out.write_text(header + yaml.safe_dump(refs, sort_keys=True, width=200))
    print(f"{args.out}: {len(refs)} competitions, {sum(map(len, refs.values()))} notebooks",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
