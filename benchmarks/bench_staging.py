"""Cost of staging a competition's public data for a run (staging.py): one hard link per file
and one new folder per folder, then removing the staged tree when the run ends.

An image competition has 10^4-10^6 files; the goal is well under 1 % of a 24 h run (< 60 s) for a
million files, i.e. < 60 us per file.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from mlebench.runtime.staging import stage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--per-folder", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "public"
        for i in range(args.files):
            d = src / "train" / f"{i // args.per_folder:05d}"
            if i % args.per_folder == 0:
                d.mkdir(parents=True)
            (d / f"{i:07d}.jpg").write_bytes(b"x")
        t0 = time.perf_counter()
        how = stage(src, Path(tmp) / "staged")
        t1 = time.perf_counter()
        shutil.rmtree(Path(tmp) / "staged")
        t2 = time.perf_counter()
    print(f"{how} in {t1 - t0:.2f} s ({(t1 - t0) / args.files * 1e6:.1f} us/file); "
          f"removed in {t2 - t1:.2f} s ({(t2 - t1) / args.files * 1e6:.1f} us/file)")


if __name__ == "__main__":
    main()
