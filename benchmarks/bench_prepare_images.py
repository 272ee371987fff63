"""Image-competition prepare throughput, on a histopathologic-cancer-detection-shaped raw folder.

Writes `--files` small TIFFs into `raw/train/` and `raw/test/` (Kaggle's 220,025 : 57,458 ratio)
with `train_labels.csv` and `sample_submission.csv`, then runs our preparer in a fresh process
and reports its wall time, files placed per second, peak RSS, and how the images were placed
(hard links: no byte of image data is copied). `--copy-baseline` also times a plain
`shutil.copyfile` of the same files (what a copying preparer costs on this disk);
`--ref-python` runs the reference implementation's preparer with that interpreter for comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

CID = "histopathologic-cancer-detection"
KAGGLE_TRAIN, KAGGLE_TEST = 220_025, 57_458

CHILD = r"""
import importlib, json, resource, sys, time
from pathlib import Path
raw, out = Path(sys.argv[1]), Path(sys.argv[2])
sys.path[:0] = sys.argv[3:]  # the reference's checkout, if given
(out / "public").mkdir(parents=True); (out / "private").mkdir(parents=True)
mod = importlib.import_module("mlebench.competitions.histopathologic-cancer-detection.prepare")
t0 = time.perf_counter()
mod.prepare(raw=raw, public=out / "public", private=out / "private")
wall = time.perf_counter() - t0
print(json.dumps({"wall_s": wall, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_raw(raw: Path, n_files: int, seed: int = 0, size: int = 96) -> tuple[int, int]:
    rng = np.random.default_rng(seed)
    n_test = max(1, round(n_files * KAGGLE_TEST / (KAGGLE_TRAIN + KAGGLE_TEST)))
    n_train = n_files - n_test
    ids = [bytes(rng.integers(0, 256, 20, dtype=np.uint8)).hex() for _ in range(n_files)]
    # A handful of distinct encoded TIFFs, written round-robin: generation stays fast.
    blobs = []
    for _ in range(16):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)).save(buf, format="TIFF")
        blobs.append(buf.getvalue())
    for folder, part in (("train", ids[:n_train]), ("test", ids[n_train:])):
        (raw / folder).mkdir(parents=True)
        for k, i in enumerate(part):
            (raw / folder / f"{i}.tif").write_bytes(blobs[k % len(blobs)])
    pd.DataFrame({"id": ids[:n_train], "label": rng.integers(0, 2, n_train)}).to_csv(
        raw / "train_labels.csv", index=False)
    pd.DataFrame({"id": ids[n_train:], "label": 0}).to_csv(raw / "sample_submission.csv", index=False)
    return n_train, n_test


def run_prepare(python: str, raw: Path, out: Path, repo: str | None = None) -> dict:
    r = subprocess.run([python, "-c", CHILD, str(raw), str(out), *([repo] if repo else [])],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"prepare failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def placement(out: Path, raw: Path) -> dict[str, int]:
    counts = {"hard_linked": 0, "copied": 0}
    for p in (out / "public").glob("t*/*.tif"):
        counts["hard_linked" if os.path.samefile(p, raw / "train" / p.name) else "copied"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20_000, help="TIFFs in the raw folder")
    parser.add_argument("--size", type=int, default=96, help="image side in pixels (Kaggle: 96)")
    parser.add_argument("--copy-baseline", action="store_true")
    parser.add_argument("--ref-python", help="interpreter with the reference mlebench installed")
    parser.add_argument("--reference-repo", help="the reference's checkout, if not installed there")
    parser.add_argument("--dir", help="work folder (default: a temporary one)")
    parser.add_argument("--make-raw", type=Path, help="only write the raw folder here (kept) and exit; "
                        "then time `prepare_once.py histopathologic-cancer-detection RAW OUT` per side")
    args = parser.parse_args()
    if args.make_raw:
        print(make_raw(args.make_raw, args.files, size=args.size))
        return

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        raw = root / "raw"
        t0 = time.perf_counter()
        n_train, n_test = make_raw(raw, args.files, size=args.size)
        print(f"raw folder: {n_train} train + {n_test} test TIFFs ({args.size}x{args.size}) "
              f"written in {time.perf_counter() - t0:.1f}s")
        placed = n_train  # the preparer places every labelled image (train or held-out test)

        res = run_prepare(sys.executable, raw, root / "ours")
        print(f"ours:      {res['wall_s']:.2f}s  {placed / res['wall_s']:,.0f} files/s  "
              f"peak RSS {res['peak_rss_mib']:.0f} MiB  {placement(root / 'ours', raw)}")

        if args.copy_baseline:
            dst = root / "copy"
            dst.mkdir()
            t0 = time.perf_counter()
            for p in (raw / "train").iterdir():
                shutil.copyfile(p, dst / p.name)
            wall = time.perf_counter() - t0
            print(f"copy only: {wall:.2f}s  {placed / wall:,.0f} files/s  (shutil.copyfile of the same images)")

        if args.ref_python:
            ref = run_prepare(args.ref_python, raw, root / "ref", args.reference_repo)
            print(f"reference: {ref['wall_s']:.2f}s  {placed / ref['wall_s']:,.0f} files/s  "
                  f"peak RSS {ref['peak_rss_mib']:.0f} MiB")
            same = all(
                (root / "ours" / side / name).read_bytes() == (root / "ref" / side / name).read_bytes()
                for side, name in (("public", "train_labels.csv"), ("public", "sample_submission.csv"),
                                   ("private", "answers.csv"))
            )
            for folder in ("train", "test"):
                same &= ({q.name for q in (root / "ours/public" / folder).iterdir()}
                         == {q.name for q in (root / "ref/public" / folder).iterdir()})
            print(f"CSVs and image file names identical to the reference's: {same}")


if __name__ == "__main__":
    main()
