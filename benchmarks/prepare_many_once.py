"""Run several competitions' `prepare(raw, public, private)` in THIS interpreter, one after another,
and print one JSON line per competition: {"cid", "seconds", "error"}. Works under ours or the
reference's environment (`--reference-repo` puts that checkout first on sys.path); a preparer that
raises is recorded and the next one runs. RAWS holds one extracted download per competition
(`RAWS/<id>/`); outputs go to `OUT/<id>/{public,private}` (removed afterwards unless --keep).
Used by `bench_prepare_all.py`."""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import time
import warnings
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("raws", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("cids", nargs="+")
    ap.add_argument("--reference-repo", default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if args.reference_repo:
        sys.path.insert(0, args.reference_repo)
    warnings.filterwarnings("ignore")
    # The libraries every preparer uses are imported before the clock starts, so the first
    # competition's time is its own work, not the interpreter's imports.
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import sklearn.model_selection  # noqa: F401
    from PIL import Image  # noqa: F401

    for cid in args.cids:
        out = args.out / cid
        shutil.rmtree(out, ignore_errors=True)
        (out / "public").mkdir(parents=True)
        (out / "private").mkdir(parents=True)
        t0, error = time.perf_counter(), None
        try:
            prepare = importlib.import_module(f"mlebench.competitions.{cid}.prepare").prepare
            prepare(args.raws / cid, out / "public", out / "private")
        except BaseException as e:  # noqa: BLE001 - a failing preparer is a row, not the end
            error = f"{type(e).__name__}: {str(e)[:200]}"
        print(json.dumps({"cid": cid, "seconds": round(time.perf_counter() - t0, 3), "error": error}),
              flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(json.dumps({"vmhwm_mib": int(hwm.split()[1]) // 1024}))


if __name__ == "__main__":
    main()
