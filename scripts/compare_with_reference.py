"""Prepare synthetic fixtures with ours and with the reference implementation; compare every file.

The competition tests pin "seed-0 md5s of the prepared files as produced by both ours and the
reference". After changing a fixture, rerun this to re-verify that claim: it generates the fixture
once, runs our preparer and the reference's (openai/mle-bench, in its own environment) on separate
extractions of it, and lists every file whose md5 differs (.zip/.7z compared member by member).

    python3 -m venv /work/scratch/refvenv && /work/scratch/refvenv/bin/pip install numpy==1.26.4 \\
        pandas==2.2.2 scikit-learn==1.5.1 scipy==1.14.1 pillow==10.4.0 fastparquet==2024.5.0 \\
        py7zr pyyaml tqdm appdirs
    .venv/bin/python scripts/compare_with_reference.py -c icecube-neutrinos-in-deep-ice --seeds 0 1 \\
        --reference-python /work/scratch/refvenv/bin/python --reference-root /work/scratch/mle-bench

Prints the md5s of ours for each (competition, seed) and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from check_cpu_independence import tree_md5s

RUN_REFERENCE = """
import importlib, sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
sys.path.insert(0, sys.argv[1])
prepare = importlib.import_module(f"mlebench.competitions.{sys.argv[2]}.prepare").prepare
prepare(Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
"""


def prepare_both(cid: str, seed: int, work: Path, reference_python: str, reference_root: str) -> dict:
    from mlebench.data.archives import extract_atomically
    from mlebench.data.fixtures import make_fixture
    from mlebench.registry import Registry

    competition = Registry().get_competition(cid)
    download = make_fixture(competition, work / "download", seed=seed)
    out = {}
    for side in ("ours", "reference"):
        raw = extract_atomically(download, work / side / "raw") if download.is_file() else download
        public, private = work / side / "public", work / side / "private"
        public.mkdir(parents=True)
        private.mkdir()
        if side == "ours":
            competition.prepare_fn(raw=raw, public=public, private=private)
        else:
            done = subprocess.run([reference_python, "-c", RUN_REFERENCE, reference_root, cid, str(raw),
                                   str(public), str(private)], capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"reference preparer of {cid} failed:\n{done.stderr[-3000:]}")
        out[side] = (tree_md5s(public, "public", open_archives=True)
                     | tree_md5s(private, "private", open_archives=True))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--competition", nargs="+", dest="competitions", required=True)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--reference-python", required=True, help="python of the reference's environment")
    parser.add_argument("--reference-root", required=True, help="a clone of openai/mle-bench")
    args = parser.parse_args()
    differences = 0
    for cid in args.competitions:
        for seed in args.seeds:
            with tempfile.TemporaryDirectory(prefix=f"ref-compare-{cid}-") as tmp:
                result = prepare_both(cid, seed, Path(tmp), args.reference_python, args.reference_root)
            ours, ref = result["ours"], result["reference"]
            for rel in sorted(set(ours) | set(ref)):
                same = ours.get(rel) == ref.get(rel)
                differences += not same
                if not same or "!" not in rel:
                    print(f"{cid} seed {seed} {'same' if same else 'DIFFERS'} {rel} "
                          f"{ours.get(rel, '-')} {ref.get(rel, '-') if not same else ''}".rstrip())
            print(f"{cid} seed {seed}: {len(ours)} file(s) of ours, {len(ref)} of the reference",
                  file=sys.stderr)
    print(f"{differences} difference(s)", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
