"""denoising-dirty-documents prepare at full size: ours vs the reference, same raw folder.

Writes a raw folder in the layout of Kaggle's download (train.zip, train_cleaned.zip, test.zip,
sampleSubmission.csv.zip) at Kaggle's size: 144 train pairs and 72 test pages, 540 pixels wide,
258 or 420 rows high (the test split then holds 29 pages, ~5.8M answer rows). Runs each
preparer once in its own process (`prepare_once.py`), prints wall time and peak RSS, and compares
every output file byte for byte. For steady A/B numbers time the two `prepare_once.py` commands it
prints with an outside timer, alternating (e.g. `hyperfine`, or `/usr/bin/time -v` in a loop).

    .venv/bin/python benchmarks/bench_prepare_denoising.py --dir /var/tmp \\
        --reference-python /path/to/refvenv/bin/python [--reference-repo /path/to/mle-bench]
    .venv/bin/python benchmarks/bench_prepare_denoising.py --make-raw /var/tmp/denoising-raw
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

CID = "denoising-dirty-documents"
RUNNER = Path(__file__).with_name("prepare_once.py")
N_TRAIN, N_TEST, WIDTH, HEIGHTS = 144, 72, 540, (258, 420)


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), mode="L").save(buf, format="PNG")
    return buf.getvalue()


def _page(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, clean): dark strokes on white (most pixels 255, as in real clean pages) + stains."""
    height = int(rng.choice(HEIGHTS, p=(0.3, 0.7)))
    clean = np.full((height, WIDTH), 255, dtype=np.int64)
    text = rng.random((height, WIDTH)) < 0.12
    clean[text] = rng.integers(0, 80, size=int(text.sum()))
    edge = rng.random((height, WIDTH)) < 0.05  # anti-aliased stroke edges: mid greys
    clean[edge] = rng.integers(80, 255, size=int(edge.sum()))
    noisy = np.clip(clean - rng.integers(0, 90, size=clean.shape), 0, 255)
    return noisy, clean


def _zip(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def make_raw(raw: Path, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    raw.mkdir(parents=True)
    numbers = rng.choice(np.arange(1, 217), size=N_TRAIN + N_TEST, replace=False)
    train, cleaned, test, sample = {}, {}, {}, []
    for i, n in enumerate(numbers):
        noisy, clean = _page(rng)
        if i < N_TRAIN:
            train[f"train/{n}.png"], cleaned[f"train_cleaned/{n}.png"] = _png(noisy), _png(clean)
        else:
            test[f"test/{n}.png"] = _png(noisy)
            rows, cols = np.indices(noisy.shape)
            ids = [f"{n}_{r}_{c}" for r, c in zip(rows.ravel() + 1, cols.ravel() + 1, strict=True)]
            sample.append(pd.DataFrame({"id": ids, "value": 1}))
    _zip(raw / "train.zip", train)
    _zip(raw / "train_cleaned.zip", cleaned)
    _zip(raw / "test.zip", test)
    _zip(raw / "sampleSubmission.csv.zip",
         {"sampleSubmission.csv": pd.concat(sample).to_csv(index=False).encode()})


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run(python: str, raw: Path, out: Path, repo: str | None) -> dict[str, float]:
    cmd = [python, str(RUNNER), CID, str(raw), str(out), "--keep"]
    if repo:
        cmd += ["--reference-repo", repo]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{python}: prepare failed\n{r.stderr[-3000:]}")
    return {k: float(v) for k, v in (line.split() for line in r.stdout.splitlines())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--make-raw", type=Path, help="only write the raw folder here and exit")
    ap.add_argument("--reference-python")
    ap.add_argument("--reference-repo")
    args = ap.parse_args()
    if args.make_raw:
        make_raw(args.make_raw)
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        make_raw(root / "raw")
        ours = run(sys.executable, root / "raw", root / "ours", None)
        print(f"ours:      {ours['seconds']:.2f} s  peak RSS {ours['vmhwm_mib']:.0f} MiB")
        if args.reference_python:
            ref = run(args.reference_python, root / "raw", root / "ref", args.reference_repo)
            print(f"reference: {ref['seconds']:.2f} s  peak RSS {ref['vmhwm_mib']:.0f} MiB  "
                  f"(ratio {ours['seconds'] / ref['seconds']:.2f})")
            a, b = digests(root / "ours"), digests(root / "ref")
            print("identical outputs:", a == b, f"({len(a)} files)")
            if a != b:
                raise SystemExit(1)
        shutil.rmtree(root / "raw")


if __name__ == "__main__":
    main()
