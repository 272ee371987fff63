"""Grading ours vs the reference implementation, whole processes, on full-size inputs.

For each competition: its fixture is prepared, its answers are upsized to the real test-set size
(`full_sizes.FULL_TEST_ROWS`, as `bench_grading.py --full-size` does) and a perfect submission
in the sample submission's columns is written in the answers' order ("sample") and shuffled.
Three whole processes then take turns, `--runs` rounds (after `--warmup` rounds):

- ours: a Python process that grades the submission as a grading worker does per submission
  (`evaluate_in_process`: read and check the submission, load the answers from the cache that
  `prepare` writes, score) and prints the score;
- ref: the reference's own environment (`--reference-python`, its checkout `--reference-root`),
  reading both files as its `grade_csv` does (`read_csv`, `load_answers`) and scoring with the
  competition's `grader`;
- read-once: pyarrow reads both CSV files once (the floor for anything that reads both).

Each figure is the median over the rounds; ratios are taken round by round (the processes of a
round ran back to back, so drift of a shared machine cancels) and their median is printed. Peak
RSS is the child's own high-water mark (`ru_maxrss` of the finished process). Scores must be
equal (ours rounded as the reference rounds); a mismatch is printed.

    .venv/bin/python benchmarks/bench_grading_vs_reference.py -c denoising-dirty-documents \\
        --reference-python /path/to/refvenv/bin/python --reference-root /path/to/mle-bench
    .venv/bin/python benchmarks/bench_grading_vs_reference.py --largest 10 --runs 3 ...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from full_sizes import FULL_TEST_ROWS

from mlebench.grading.isolated import WORKER_ALLOCATOR_ENV

# Each child also reports `work_s`: the time of the grading itself, after the interpreter has
# started and the libraries every grader uses are imported (the same ones on both sides).
OURS = """
import json, sys, time
from pathlib import Path
import pandas, pyarrow.csv, scipy.stats, sklearn.metrics  # noqa: F401
from mlebench.grading.api import evaluate_in_process
from mlebench.registry import Registry
competition = Registry(sys.argv[1]).get_competition(sys.argv[2])
competition.module("grade")  # imported before the clock, as the reference's get_competition does
t0 = time.perf_counter()
r = evaluate_in_process(Path(sys.argv[3]), competition)
work = time.perf_counter() - t0
print(json.dumps({"score": r.score, "invalid": r.invalid_reason, "work_s": work}), flush=True)
import os; os._exit(0)  # no teardown: Arrow's reader threads may abort it (apache/arrow#39862)
"""
REFERENCE = """
import json, sys, time
from pathlib import Path
import pandas, scipy.stats, sklearn.metrics  # noqa: F401
from mlebench.registry import registry
from mlebench.utils import load_answers, read_csv
competition = registry.get_competition(sys.argv[2])
t0 = time.perf_counter()
score = competition.grader(read_csv(sys.argv[3]), load_answers(Path(sys.argv[4])))
work = time.perf_counter() - t0
print(json.dumps({"score": score, "invalid": None if score is not None else "invalid",
                  "work_s": work}), flush=True)
import os; os._exit(0)  # as ours: no interpreter teardown
"""
READ_ONCE = """
import json, sys, time
import pyarrow.csv as csv
t0 = time.perf_counter()
options = csv.ParseOptions(newlines_in_values=True)  # quoted text may span lines
csv.read_csv(sys.argv[1], parse_options=options); csv.read_csv(sys.argv[2], parse_options=options)
print(json.dumps({"work_s": time.perf_counter() - t0}), flush=True)
import os; os._exit(0)  # as ours: no interpreter teardown
"""


def compile_sources(python: str, root: Path) -> None:
    """Bytecode for a source tree, as an installed package has it: with PYTHONDONTWRITEBYTECODE
    set (as on our dev machines) an editable checkout would otherwise be compiled from source in
    every timed process, on both sides."""
    import subprocess

    subprocess.run([python, "-m", "compileall", "-q", str(root)], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(argv: list[str], env: dict | None = None) -> tuple[float, float, dict]:
    """Wall seconds, the child's own peak RSS in GiB (from wait4) and the JSON it printed last."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env or os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, out_path := _tmp_out(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
         0o600),
        (os.POSIX_SPAWN_OPEN, 2, out_path + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = Path(out_path + ".err").read_text(errors="replace").strip().splitlines()
        raise RuntimeError(f"{Path(argv[0]).name} {argv[-4:]} failed: {' | '.join(err[-3:])}")
    lines = Path(out_path).read_text().strip().splitlines()
    return wall, usage.ru_maxrss / 2**20, json.loads(lines[-1]) if lines else {}


def _tmp_out() -> str:
    return os.path.join(tempfile.gettempdir(), f"bench-grading-vs-ref-{os.getpid()}.out")


def make_inputs(cid: str, work: Path, seed: int = 0) -> dict:
    """Prepared full-size answers (cache warmed) and the submissions, or the reason to skip. Run
    in a child process (`--make-inputs`): a spawned child's peak RSS counts its parent's, so the
    parent holds nothing big."""
    import numpy as np
    import pandas as pd
    from bench_grading import upscale

    from mlebench.data import prepare_competition
    from mlebench.grading.api import warm_answers_cache
    from mlebench.grading.io import load_answers
    from mlebench.registry import Registry

    comp = Registry(work / "data").get_competition(cid)
    prepare_competition(comp, synthetic=True, force=True)
    if comp.answers.suffix != ".csv":
        return {"skipped": "answers are JSONL"}
    sample, answers = pd.read_csv(comp.sample_submission), load_answers(comp.answers)
    id_col = sample.columns[0]
    if id_col not in answers.columns or not answers[id_col].is_unique:
        return {"skipped": f"the sample's first column {id_col!r} is not a unique id of the answers"}
    cols = [c for c in sample.columns if c in answers.columns]
    if len(cols) < len(sample.columns):
        return {"skipped": "answers lack submission columns: no generic perfect submission"}
    big = upscale(answers, id_col, FULL_TEST_ROWS[cid])
    big.to_csv(comp.answers, index=False)
    warm_answers_cache(comp)  # as `prepare` does: grading reads the cache
    subs = {"sample": work / f"{cid}.sample.csv", "shuffled": work / f"{cid}.shuffled.csv"}
    big[cols].to_csv(subs["sample"], index=False)
    order = np.random.default_rng(seed).permutation(len(big))
    big[cols].iloc[order].to_csv(subs["shuffled"], index=False)
    return {"answers": str(comp.answers), "subs": {k: str(v) for k, v in subs.items()}}


def bench(cid: str, work: Path, args: argparse.Namespace) -> list[dict]:
    _, _, made = timed([sys.executable, __file__, "--make-inputs", cid, str(work)])
    if "skipped" in made:
        return [{"competition": cid, "skipped": made["skipped"]}]
    answers = Path(made["answers"])
    subs = {k: Path(v) for k, v in made["subs"].items()}
    ours_py = str(Path(sys.executable))
    rows = []
    for order, sub in subs.items():
        kinds = {"ours": [ours_py, "-c", OURS, str(work / "data"), cid, str(sub)],
                 "read": [ours_py, "-c", READ_ONCE, str(sub), str(answers)]}
        env = None
        if args.reference_python:
            kinds["ref"] = [args.reference_python, "-c", REFERENCE, "-", cid, str(sub), str(answers)]
            env = {**os.environ, "PYTHONPATH": str(args.reference_root)}
        samples: dict[str, list[tuple[float, float, dict]]] = {k: [] for k in kinds}
        ours_env = {**os.environ, **WORKER_ALLOCATOR_ENV}  # as in a grading worker
        for round_no in range(args.warmup + args.runs):
            for kind, argv in kinds.items():
                result = timed(argv, env if kind == "ref" else ours_env)
                if round_no >= args.warmup:
                    samples[kind].append(result)
        row = {"competition": cid, "order": order, "rows": FULL_TEST_ROWS[cid]}
        for kind, got in samples.items():
            row[f"{kind}_s"] = statistics.median(w for w, _, _ in got)
            row[f"{kind}_gib"] = statistics.median(m for _, m, _ in got)
            row[f"{kind}_work_s"] = statistics.median(d["work_s"] for _, _, d in got)
        ours_score = samples["ours"][-1][2]
        row["score"], row["invalid"] = ours_score.get("score"), ours_score.get("invalid")
        row["read_ratio"] = statistics.median(
            o[0] / r[0] for o, r in zip(samples["ours"], samples["read"], strict=True))
        row["work_read_ratio"] = statistics.median(
            o[2]["work_s"] / r[2]["work_s"]
            for o, r in zip(samples["ours"], samples["read"], strict=True))
        if "ref" in samples:
            ref_score = samples["ref"][-1][2].get("score")
            row["ref_score"] = ref_score
            row["same_score"] = _same(row["score"], ref_score)
            row["time_ratio"] = statistics.median(
                o[0] / r[0] for o, r in zip(samples["ours"], samples["ref"], strict=True))
            row["work_ratio"] = statistics.median(
                o[2]["work_s"] / r[2]["work_s"]
                for o, r in zip(samples["ours"], samples["ref"], strict=True))
            row["rss_ratio"] = statistics.median(
                o[1] / r[1] for o, r in zip(samples["ours"], samples["ref"], strict=True))
        rows.append(row)
        print(_line(row), flush=True)
    for path in subs.values():
        path.unlink()
    shutil.rmtree(work / "data" / cid, ignore_errors=True)
    return rows


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or (a != a and b != b)


def _line(row: dict) -> str:
    if "skipped" in row:
        return f"{row['competition']:50} skipped: {row['skipped']}"
    ref = (f"ref {row['ref_s']:6.2f}s ours/ref {row['time_ratio']:5.2f}  "
           f"work {row['ours_work_s']:.3f}/{row['ref_work_s']:.3f}s ({row['work_ratio']:.2f})  "
           f"RSS {row['ours_gib']:.2f}/{row['ref_gib']:.2f} GiB ({row['rss_ratio']:.2f})  "
           f"score {'=' if row['same_score'] else '!='} ref") if "ref_s" in row else "no reference"
    return (f"{row['competition']:50} {row['order']:8} {row['rows']:>9,}  ours {row['ours_s']:6.2f}s "
            f"read-once {row['read_s']:5.2f}s (x{row['read_ratio']:.2f}; work "
            f"x{row['work_read_ratio']:.2f})  {ref}  "
            f"score={row['score']} {row['invalid'] or ''}")


def markdown(rows: list[dict]) -> str:
    """The results table (largest first) and how many rows meet each goal."""
    done = sorted((r for r in rows if "ours_s" in r and "ref_s" in r),
                  key=lambda r: (-r["rows"], r["competition"], r["order"]))
    out = ["| competition | rows | order | ours s | ref s | ours/ref | work ours / ref s (ratio) "
           "| read-once work s | ours work / read-once | peak RSS ours / ref GiB (ratio) | score |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in done:
        same = "=" if r.get("same_score") else f"ref {r.get('ref_score')}"
        out.append(
            f"| {r['competition']} | {r['rows']:,} | {r['order']} | {r['ours_s']:.2f} | "
            f"{r['ref_s']:.2f} | {r['time_ratio']:.2f} | {r['ours_work_s']:.3f} / "
            f"{r['ref_work_s']:.3f} ({r['work_ratio']:.2f}) | {r['read_work_s']:.3f} | "
            f"{r['work_read_ratio']:.1f} | {r['ours_gib']:.2f} / {r['ref_gib']:.2f} "
            f"({r['rss_ratio']:.2f}) | {r['score']} {same} |")
    n = len(done)

    def count(test) -> int:
        return sum(1 for r in done if test(r))

    big = [r for r in done if r["rows"] >= 100_000]
    out += ["", *[line for line in [f"{n} rows ({len({r['competition'] for r in done})} competitions x sample/shuffled):",
            f"- whole process: ours faster in {count(lambda r: r['time_ratio'] < 1)}, at least 5x "
            f"faster in {count(lambda r: r['time_ratio'] <= 0.2)}; median ratio "
            f"{statistics.median(r['time_ratio'] for r in done):.2f}",
            f"- grading work: ours faster in {count(lambda r: r['work_ratio'] < 1)}, at least 5x "
            f"in {count(lambda r: r['work_ratio'] <= 0.2)}; median ratio "
            f"{statistics.median(r['work_ratio'] for r in done):.2f}; over the {len(big)} rows of "
            f"100k+ answer rows: median {statistics.median(r['work_ratio'] for r in big):.2f}, "
            f"total {sum(r['ours_work_s'] for r in big):.1f} s vs "
            f"{sum(r['ref_work_s'] for r in big):.1f} s" if big else "",
            f"- peak RSS at most the reference's in {count(lambda r: r['rss_ratio'] <= 1)}; "
            f"median ratio {statistics.median(r['rss_ratio'] for r in done):.2f}",
            f"- scores equal in {count(lambda r: r.get('same_score'))}"] if line]]
    skipped = [r for r in rows if "skipped" in r]
    if skipped:
        out.append("- not compared: " + "; ".join(
            f"{r['competition']} ({r['skipped'][:120]})" for r in skipped))
    return "\n".join(out)


def main() -> None:
    if sys.argv[1:2] == ["--make-inputs"]:
        os.environ.setdefault("MLEBENCH_OFFLINE", "1")
        print(json.dumps(make_inputs(sys.argv[2], Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--competition", action="append", default=[])
    parser.add_argument("--largest", type=int, default=0,
                        help="the N competitions with the most answer rows (full_sizes.py)")
    parser.add_argument("--runs", type=int, default=3, help="measured rounds")
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--reference-python", help="python of the reference's pinned environment")
    parser.add_argument("--reference-root", help="the reference's checkout (imported as mlebench)")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    parser.add_argument("--markdown", type=Path, metavar="JSON",
                        help="print the rows of an earlier --json file as a Markdown table, and "
                             "their summary against the goals; runs nothing")
    args = parser.parse_args()
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return
    if args.reference_python and not args.reference_root:
        parser.error("--reference-python needs --reference-root (the checkout it imports)")
    if args.reference_python and not Path(args.reference_python).is_file():
        print(f"no reference python at {args.reference_python}: reference skipped", file=sys.stderr)
        args.reference_python = None
    os.environ.setdefault("MLEBENCH_OFFLINE", "1")
    import mlebench

    compile_sources(sys.executable, Path(mlebench.__file__).parent)
    if args.reference_python:
        compile_sources(args.reference_python, Path(args.reference_root) / "mlebench")
    ids = list(args.competition)
    if args.largest:
        ids += sorted(FULL_TEST_ROWS, key=FULL_TEST_ROWS.get, reverse=True)[: args.largest]
    ids = ids or sorted(FULL_TEST_ROWS)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-grading-vs-ref-") as tmp:
        for cid in dict.fromkeys(ids):
            if args.reference_python and not (
                    Path(args.reference_root) / "mlebench" / "competitions" / cid).is_dir():
                rows.append({"competition": cid, "skipped": "not a reference competition"})
                print(_line(rows[-1]), flush=True)
                continue
            try:
                rows += bench(cid, Path(tmp), args)
            except Exception as e:  # a benchmark reports, it does not stop
                rows.append({"competition": cid, "skipped": f"error: {type(e).__name__}: {e}"[-400:]})
                print(_line(rows[-1]), flush=True)
            else:
                if "skipped" in rows[-1]:
                    print(_line(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
