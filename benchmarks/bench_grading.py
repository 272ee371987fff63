"""Grading time of a full-size perfect submission for every implemented competition.

Each competition is prepared from its synthetic fixture, then its answers are replicated (with
fresh unique ids) to `--rows` rows, more than any Lite competition's test set, and a perfect
submission in the sample submission's format is graded. Competitions whose answers are not a
plain CSV keyed by the sample's first column are reported as skipped.

With `--full-size`, each competition's answers are instead upsized to its real test-set size
(`full_sizes.FULL_TEST_ROWS`), and the goal column says whether it is graded within its goal:
< 5 s for MLE-bench Lite competitions, < 10 s for the others. The goal is judged on wall time;
the note also gives the grading's CPU time, which is what to compare on a shared, loaded machine.

    .venv/bin/python benchmarks/bench_grading.py --full-size
    .venv/bin/python benchmarks/bench_grading.py --rows 1100000 -c spaceship-titanic
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from full_sizes import FULL_TEST_ROWS, LITE

from mlebench.data import prepare_competition
from mlebench.grading.api import evaluate
from mlebench.grading.io import load_answers
from mlebench.registry import Registry


def upscale(df: pd.DataFrame, id_col: str, rows: int) -> pd.DataFrame:
    reps = int(np.ceil(rows / len(df)))
    big = pd.concat([df] * reps, ignore_index=True).iloc[:rows].copy()
    copy_no = np.repeat(np.arange(reps), len(df))[:rows]
    if pd.api.types.is_integer_dtype(df[id_col]):  # keep integer ids integers, as the real ones are
        span = int(df[id_col].max()) - int(df[id_col].min()) + 1
        big[id_col] = big[id_col].to_numpy() + copy_no * span
    else:
        big[id_col] = big[id_col].astype(str) + "_" + copy_no.astype(str)
    return big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_100_000)
    parser.add_argument("--full-size", action="store_true",
                        help="use each competition's real test-set size (full_sizes.py) instead of --rows")
    parser.add_argument("-c", "--competition", action="append", default=[])
    args = parser.parse_args()
    os.environ.setdefault("MLEBENCH_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        reg = Registry(Path(tmp) / "data")
        ids = args.competition or [c for c in reg.list_competition_ids()
                                   if reg.get_competition(c).implemented]
        print(f"{'competition':55} {'rows':>10} {'grade s':>8} {'goal':>9}  note", flush=True)
        for cid in ids:
            comp = reg.get_competition(cid)
            try:
                prepare_competition(comp, synthetic=True, force=True)
                sample = pd.read_csv(comp.sample_submission)
                answers = load_answers(comp.answers)
                id_col = sample.columns[0]
                if not isinstance(answers, pd.DataFrame) or id_col not in answers.columns:
                    print(f"{cid:55} {'-':>10} {'-':>8} {'-':>9}  skipped: answers not a CSV keyed by "
                          f"the sample's first column {id_col!r}", flush=True)
                    continue
                if not answers[id_col].is_unique:  # e.g. a label column first: not an id to upsize
                    print(f"{cid:55} {'-':>10} {'-':>8} {'-':>9}  skipped: the sample's first column "
                          f"{id_col!r} is not a unique id in the answers", flush=True)
                    continue
                if args.full_size and cid not in FULL_TEST_ROWS:
                    print(f"{cid:55} {'-':>10} {'-':>8} {'-':>9}  skipped: no full size in full_sizes.py",
                          flush=True)
                    continue
                rows = FULL_TEST_ROWS[cid] if args.full_size else args.rows
                big_answers = upscale(answers, id_col, rows)
                cols = [c for c in sample.columns if c in big_answers.columns]
                if len(cols) < len(sample.columns):
                    missing = [c for c in sample.columns if c not in cols]
                    print(f"{cid:55} {'-':>10} {'-':>8} {'-':>9}  skipped: answers lack the submission "
                          f"column(s) {missing}: no generic perfect submission", flush=True)
                    continue
                big_answers.to_csv(comp.answers, index=False)  # the full-size private answers
                t0 = time.perf_counter()
                load_answers(comp.answers)  # done once by `mlebench prepare`, which warms the cache
                warm = time.perf_counter() - t0
                sub_path = Path(tmp) / f"{cid}.csv"
                big_answers[cols].to_csv(sub_path, index=False)
                t0, c0 = time.perf_counter(), time.process_time()  # reading both files and scoring
                result = evaluate(sub_path, comp)
                elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
                note = f"score={result.score}" if result.valid else f"invalid: {result.invalid_reason}"
                note += f" (answers parse at prepare: {warm:.1f}s; grading CPU {cpu:.2f}s)"
                limit = 5.0 if cid in LITE else 10.0
                goal = f"{'ok' if elapsed < limit else 'OVER'} <{limit:.0f}s"
                print(f"{cid:55} {rows:10d} {elapsed:8.2f} {goal:>9}  {note[:100]}", flush=True)
            except Exception as e:  # a benchmark reports, it does not stop
                print(f"{cid:55} {'-':>10} {'-':>8} {'-':>9}  error: {type(e).__name__}: {str(e)[:70]}",
                      flush=True)


if __name__ == "__main__":
    main()
