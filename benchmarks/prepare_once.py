"""Run ONE competition's `prepare(raw, public, private)` in this interpreter, into a fresh OUT.

A whole process per preparation, so that an outside timer (`/usr/bin/time -v`, `hyperfine`) can
compare ours and the reference's side by side, start-up included. Works under either
implementation's interpreter: ours (`.venv/bin/python`), or the reference's environment where
`import mlebench` is openai/mle-bench (`--reference-repo` puts its checkout first on sys.path).

    .venv/bin/python benchmarks/prepare_once.py denoising-dirty-documents RAW OUT
    /path/to/refvenv/bin/python benchmarks/prepare_once.py denoising-dirty-documents RAW OUT2

OUT is emptied first and removed afterwards unless `--keep` (compare outputs with `--keep`).
Prints `seconds <prepare wall s>` and `vmhwm_mib <peak RSS>` of this process.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import time
import warnings
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cid")
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--reference-repo", default=None, help="checkout to put first on sys.path")
    ap.add_argument("--keep", action="store_true", help="keep OUT (to compare the files)")
    args = ap.parse_args()
    if args.reference_repo:
        sys.path.insert(0, args.reference_repo)
    warnings.filterwarnings("ignore")
    shutil.rmtree(args.out, ignore_errors=True)
    public, private = args.out / "public", args.out / "private"
    public.mkdir(parents=True)
    private.mkdir(parents=True)
    prepare = importlib.import_module(f"mlebench.competitions.{args.cid}.prepare").prepare
    t0 = time.perf_counter()
    prepare(args.raw, public, private)
    seconds = time.perf_counter() - t0
    hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(f"seconds {seconds:.3f}")
    print(f"vmhwm_mib {int(hwm.split()[1]) / 1024:.0f}")
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)


if __name__ == "__main__":
    main()
