"""Time and peak memory of the streaming New York City Taxi Fare preparer.

Generates a synthetic train.csv in the layout of Kaggle's (~55M rows, 5.7 GB in the real one),
runs our `prepare` in a child process, and prints wall time and the child's peak RSS. With
`--reference-python PATH` it also runs the reference implementation's preparer (an environment
where `import mlebench` is openai/mle-bench, `--reference-root` on its path) on the same input and
compares every output file byte for byte.

    .venv/bin/python benchmarks/bench_prepare_taxi.py --rows 5000000
    .venv/bin/python benchmarks/bench_prepare_taxi.py --rows 1000000 \
        --reference-python /path/to/refvenv/bin/python --reference-root /path/to/mle-bench
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CID = "new-york-city-taxi-fare-prediction"
RUN_PREPARE = """
import importlib, sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
sys.path[:0] = [p for p in sys.argv[5:]]
prepare = importlib.import_module("mlebench.competitions.{cid}.prepare").prepare
prepare(Path(sys.argv[1]), Path(sys.argv[3]), Path(sys.argv[4]))
""".replace("{cid}", CID)


def generate(path: Path, rows: int, seed: int = 0, block: int = 1_000_000) -> None:
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        for start in range(0, rows, block):
            df = fixture.taxi_rows(rng, min(block, rows - start), first=start)
            df.to_csv(f, index=False, header=start == 0)
    (path.parent / "GCP-Coupons-Instructions.rtf").write_text(fixture.RTF)


def generate_repeated(path: Path, rows: int, base_rows: int, seed: int = 0) -> None:
    """`rows` rows made of `base_rows` generated ones repeated, each copy's keys made distinct by an
    8-digit suffix (`...:SS.00000042`): full size (55M rows) in minutes instead of an hour, with
    the same columns, value formats and per-row work for the preparer."""
    base = path.with_name("base.csv")
    generate(base, base_rows, seed)
    lines = base.read_bytes().split(b"\n")
    header, body = lines[0], lines[1:-1]
    if any(len(line) < 28 or line[19:20] != b"." or line[27:28] != b"," for line in body[:1000]):
        raise SystemExit("unexpected key format")
    with open(path, "wb") as f:
        f.write(header + b"\n")
        done = 0
        while done < rows:
            part = body[: rows - done]
            f.write(b"".join([b"%s%08d%s\n" % (line[:20], done + i, line[27:])
                              for i, line in enumerate(part)]))
            done += len(part)
    base.unlink()


def run_child(python: str, raw: Path, out: Path, extra_path: list[str]) -> tuple[float, int]:
    """Run a preparer in a child; return (seconds, peak RSS in bytes) of that child alone."""
    public, private = out / "public", out / "private"
    public.mkdir(parents=True)
    private.mkdir(parents=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([python, "-c", RUN_PREPARE, str(raw), "-", str(public), str(private),
                             *extra_path])
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{python} preparer failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss * 1024  # Linux reports KiB


def digests(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h = hashlib.md5()
            with open(p, "rb") as f:
                while block := f.read(1 << 24):
                    h.update(block)
            out[str(p.relative_to(root))] = h.hexdigest()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--base-rows", type=int, default=None,
                    help="generate this many rows and repeat them (distinct keys) up to --rows")
    ap.add_argument("--raw-only", action="store_true", help="write the raw folder (kept) and exit")
    ap.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--reference-python", default=None)
    ap.add_argument("--reference-root", default=None)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-taxi-", dir=args.workdir))
    try:
        raw = work / "raw"
        raw.mkdir()
        t0 = time.perf_counter()
        if args.base_rows and args.base_rows < args.rows:
            generate_repeated(raw / "train.csv", args.rows, args.base_rows, args.seed)
        else:
            generate(raw / "train.csv", args.rows, args.seed)
        size = (raw / "train.csv").stat().st_size
        print(f"generated {args.rows:,} rows ({size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
        if args.raw_only:
            args.keep = True
            print("raw folder:", raw)
            return

        ours_t, ours_rss = run_child(sys.executable, raw, work / "ours", [])
        print(f"ours:      {ours_t:8.1f} s   peak RSS {ours_rss / 2**20:8.0f} MiB")

        if args.reference_python:
            ref_t, ref_rss = run_child(args.reference_python, raw, work / "reference",
                                       [args.reference_root] if args.reference_root else [])
            print(f"reference: {ref_t:8.1f} s   peak RSS {ref_rss / 2**20:8.0f} MiB")
            ours, ref = digests(work / "ours"), digests(work / "reference")
            for name in sorted(set(ours) | set(ref)):
                mark = "same" if ours.get(name) == ref.get(name) else "DIFFERENT"
                print(f"  {name:40s} {ours.get(name)}  {ref.get(name)}  {mark}")
            print("identical outputs:", ours == ref)
            if ours != ref:
                raise SystemExit(1)
    finally:
        if args.keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
