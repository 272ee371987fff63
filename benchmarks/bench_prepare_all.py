"""`mlebench prepare --all` on synthetic data, ours vs the reference, per competition and in total.

1. Writes every implemented competition's seed-0 fixture (its synthetic Kaggle download) and
   extracts it twice, one raw folder per side (a preparer may move files out of its raw folder).
2. Runs `prepare_many_once.py` under our interpreter and under the reference's (one process per
   side, competitions in turn, as `prepare --all` does), and prints a table: ours s, reference s,
   ratio per competition, the totals over the competitions both prepared, and each side's peak RSS.
3. With `--cli`, also times our whole `mlebench prepare --all --synthetic` (fixture generation,
   extraction, checksums and manifests included) into a fresh data folder.

    .venv/bin/python benchmarks/bench_prepare_all.py --dir /var/tmp --cli \\
        --reference-python /path/to/refvenv/bin/python --reference-repo /path/to/mle-bench

The raw folders are made once and reused by both sides, so preparing is all that is timed.
`--markdown` prints the table as Markdown rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNNER = Path(__file__).with_name("prepare_many_once.py")


def make_raws(cids: list[str], work: Path) -> list[str]:
    from mlebench.data.archives import extract_atomically
    from mlebench.data.fixtures import make_fixture
    from mlebench.errors import MLEBenchError
    from mlebench.registry import Registry

    reg, made = Registry(), []
    for cid in cids:
        try:
            download = make_fixture(reg.get_competition(cid), work / "download" / cid, seed=0)
        except MLEBenchError as e:
            print(f"{cid}: no fixture ({e})", file=sys.stderr)
            continue
        for side in ("ours", "ref"):
            dest = work / f"raw-{side}" / cid
            dest.parent.mkdir(parents=True, exist_ok=True)
            if download.is_file():
                extract_atomically(download, dest)
            else:
                shutil.copytree(download, dest)
        made.append(cid)
    shutil.rmtree(work / "download")
    return made


def run_side(python: str, raws: Path, out: Path, cids: list[str], repo: str | None) -> tuple[dict, int, float]:
    cmd = [python, str(RUNNER), str(raws), str(out), *cids] + (["--reference-repo", repo] if repo else [])
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rows, hwm = {}, 0
    for line in done.stdout.splitlines():
        rec = json.loads(line)
        if "cid" in rec:
            rows[rec["cid"]] = rec
        else:
            hwm = rec["vmhwm_mib"]
    if done.returncode:
        print(f"{python} exited {done.returncode}: {done.stderr[-2000:]}", file=sys.stderr)
    return rows, hwm, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    ap.add_argument("-c", "--competition", action="append", help="only these (default: split all)")
    ap.add_argument("--reference-python")
    ap.add_argument("--reference-repo")
    ap.add_argument("--cli", action="store_true", help="also time `mlebench prepare --all --synthetic`")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    from mlebench.registry import Registry

    reg = Registry()
    cids = args.competition or [c for c in reg.get_split("all") if reg.get_competition(c).implemented]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        cids = make_raws(cids, work)
        print(f"{len(cids)} fixtures written and extracted in {time.perf_counter() - t0:.0f} s", flush=True)
        ours, ours_hwm, ours_wall = run_side(sys.executable, work / "raw-ours", work / "out", cids, None)
        print(f"ours: {ours_wall:.1f} s wall for the process, peak RSS {ours_hwm} MiB", flush=True)
        ref, ref_hwm, ref_wall = {}, 0, 0.0
        if args.reference_python:
            ref, ref_hwm, ref_wall = run_side(args.reference_python, work / "raw-ref", work / "out",
                                              cids, args.reference_repo)
            print(f"reference: {ref_wall:.1f} s wall for the process, peak RSS {ref_hwm} MiB")
        both = [c for c in cids if ours.get(c, {}).get("error") is None
                and ref.get(c, {}).get("error") is None and c in ref]
        sep = " | " if args.markdown else "  "
        for cid in cids:
            o, r = ours.get(cid, {}), ref.get(cid, {})
            cells = [cid, f"{o['seconds']:.2f}" if o and not o["error"] else f"failed: {o.get('error')}",
                     (f"{r['seconds']:.2f}" if not r["error"] else f"failed: {r['error']}") if r else "-",
                     f"{o['seconds'] / r['seconds']:.2f}" if cid in both and r["seconds"] > 0 else "-"]
            print(("| " if args.markdown else "") + sep.join(cells) + (" |" if args.markdown else ""))
        if both:
            so, sr = sum(ours[c]["seconds"] for c in both), sum(ref[c]["seconds"] for c in both)
            print(f"total over the {len(both)} both prepared: ours {so:.1f} s, reference {sr:.1f} s, "
                  f"ratio {so / sr:.2f}")
        print(f"total ours over {len(cids)}: {sum(o['seconds'] for o in ours.values()):.1f} s "
              f"({sum(1 for o in ours.values() if o['error']) } failed)")
        if args.cli:
            data = work / "cli-data"
            mlebench = Path(sys.executable).with_name("mlebench")
            t0 = time.perf_counter()
            done = subprocess.run([str(mlebench), "prepare", "--all", "--synthetic", "--data-dir", str(data)],
                                  capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
            print(f"mlebench prepare --all --synthetic: {time.perf_counter() - t0:.1f} s, exit {done.returncode}")
            if done.returncode:
                print(done.stderr[-2000:] or done.stdout[-2000:])


if __name__ == "__main__":
    main()
