"""`grade` over one JSONL of every competition's submission, ours vs the reference, whole processes.

1. Prepares the 75 competitions (split `all`) on synthetic data into `DIR/data` (ours: `mlebench
   prepare --split all --synthetic`; skipped when already there). Both sides grade from this one data
   folder: it has the reference's layout and our prepared files are the reference's bytes.
2. Writes `DIR/submissions.jsonl`: each competition's sample submission, copied to
   `DIR/submissions/<id>/`, one line `{competition_id, submission_path}` per competition.
3. Rounds (`--runs`, after `--warmup`), the two processes back to back in each:
   - ours: `mlebench grade --submission DIR/submissions.jsonl --output ...` (the whole CLI: intake,
     grading, report);
   - reference: its `grade_jsonl` on the same file under its own environment. Its leaderboards are
     Git-LFS pointers in a checkout, so its `get_leaderboard` is given a 3-team synthetic
     leaderboard (ours awards no medals on synthetic data either); everything else is its code.
4. Prints wall seconds and peak RSS per side (medians; the ratio is taken within each round), and
   compares the scores of the two reports competition by competition.
5. With `--per-competition`, times each competition's grading work in one warm process per side
   (libraries imported before the clock; fastest of `--repeats` calls): ours `evaluate_in_process`
   (what the grading worker runs per submission), the reference `read_csv` + `load_answers` +
   `grader`, as its `grade_csv` does. Whole processes at this size are mostly interpreter and
   library start-up; this shows the grading itself.

    .venv/bin/python benchmarks/bench_grade_jsonl.py --dir /var/tmp/bench-jsonl --runs 3 \\
        --reference-python /path/to/refvenv/bin/python --reference-repo /path/to/mle-bench
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mlebench.grading.isolated import WORKER_ALLOCATOR_ENV

REFERENCE = """
import sys, pandas as pd
sys.path.insert(0, sys.argv[1])
from pathlib import Path
import mlebench.grade as grade
from mlebench.registry import registry
grade.get_leaderboard = lambda competition: pd.DataFrame({"score": [1.0, 0.5, 0.0]})
grade.grade_jsonl(Path(sys.argv[2]), Path(sys.argv[3]), registry.set_data_dir(Path(sys.argv[4])))
"""


# One warm process per side: each prints {competition: fastest seconds} for the JSONL's lines.
# A side's set-up defines `reg` (its registry on the data folder) and `grade(path, competition)`.
TIME_EACH = """
for line in open(sys.argv[2]):
    entry = json.loads(line)
    competition = reg.get_competition(entry["competition_id"])
    times = []
    for _ in range(int(sys.argv[3])):
        t0 = time.perf_counter()
        grade(entry["submission_path"], competition)
        times.append(time.perf_counter() - t0)
    out[competition.id] = min(times)
print(json.dumps(out))
"""
OURS_WORK = """
import json, sys, time
from pathlib import Path
import numpy, pandas, pyarrow.csv, scipy.stats, sklearn.metrics  # noqa: F401 - before the clock
from mlebench.grading.api import evaluate_in_process
from mlebench.registry import Registry
reg, out = Registry(sys.argv[1]), {}
def grade(path, competition):
    evaluate_in_process(Path(path), competition)
""" + TIME_EACH
REFERENCE_WORK = """
import json, sys, time
sys.path.insert(0, sys.argv[4])
from pathlib import Path
import numpy, pandas, scipy.stats, sklearn.metrics  # noqa: F401 - before the clock
from mlebench.registry import registry
from mlebench.utils import load_answers, read_csv
reg, out = registry.set_data_dir(Path(sys.argv[1])), {}
def grade(path, competition):
    competition.grader(read_csv(path), load_answers(competition.answers))
""" + TIME_EACH


def per_competition(args: argparse.Namespace, data: Path, jsonl: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    worker_env = {**env, **WORKER_ALLOCATOR_ENV}  # as in a grading worker
    def run(argv: list[str], env: dict) -> dict[str, float]:
        out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True,
                             cwd=data.parent).stdout
        return json.loads(out.strip().splitlines()[-1])

    ours = run([sys.executable, "-c", OURS_WORK, str(data), str(jsonl), str(args.repeats)], worker_env)
    ref = run([args.reference_python, "-c", REFERENCE_WORK, str(data), str(jsonl), str(args.repeats),
               args.reference_repo], env)
    both = sorted(set(ours) & set(ref), key=lambda c: -ref[c])
    print(f"\nGrading work per competition (warm process, fastest of {args.repeats}), ms\n")
    print("| competition | ours | reference | ours / reference |")
    print("|---|---|---|---|")
    for c in both:
        print(f"| {c} | {ours[c] * 1e3:.1f} | {ref[c] * 1e3:.1f} | {ours[c] / ref[c]:.2f} |")
    so, sr = sum(ours[c] for c in both), sum(ref[c] for c in both)
    median = statistics.median(ours[c] / ref[c] for c in both)
    print(f"| **total, {len(both)} competitions** | {so * 1e3:.0f} | {sr * 1e3:.0f} | {so / sr:.2f} "
          f"(median per competition {median:.2f}) |")


def timed(argv: list[str], env: dict | None, ok: tuple[int, ...], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of the process (its waited-for children included)."""
    t0 = time.perf_counter()
    # cwd: the reference's diskcache writes a cache/ folder into the working directory
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise RuntimeError(f"{argv[:3]} exited {code}: {err[-600:]}")
    return wall, usage.ru_maxrss / 1024


def prepare(data: Path, mlebench: Path) -> None:
    if (data / ".bench-prepared").exists():
        return
    subprocess.run([str(mlebench), "prepare", "--split", "all", "--synthetic", "--data-dir", str(data)],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    (data / ".bench-prepared").touch()


def write_submissions(data: Path, work: Path) -> list[str]:
    from mlebench.registry import Registry

    reg, lines, cids = Registry(data), [], []
    for cid in reg.get_split("all"):
        sample = reg.get_competition(cid).sample_submission
        if not sample.is_file():
            print(f"{cid}: not prepared, left out", file=sys.stderr)
            continue
        dest = work / "submissions" / cid / sample.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample, dest)
        lines.append(json.dumps({"competition_id": cid, "submission_path": str(dest)}))
        cids.append(cid)
    (work / "submissions.jsonl").write_text("\n".join(lines) + "\n")
    return cids


def scores(report_dir: Path) -> dict[str, float | None]:
    report = max(report_dir.glob("*_grading_report.json"), key=lambda p: p.stat().st_mtime)
    return {r["competition_id"]: r["score"]
            for r in json.loads(report.read_text())["competition_reports"]}


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, required=True, help="work folder (data, submissions, reports)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--reference-python", help="the reference's interpreter (its pinned venv)")
    ap.add_argument("--reference-repo", help="the reference's checkout")
    ap.add_argument("--per-competition", action="store_true",
                    help="also time each competition's grading work in a warm process per side")
    ap.add_argument("--repeats", type=int, default=3, help="calls per competition (--per-competition)")
    args = ap.parse_args()

    from bench_grading_vs_reference import compile_sources

    import mlebench as package

    compile_sources(sys.executable, Path(package.__file__).parent)
    if args.reference_python:
        compile_sources(args.reference_python, Path(args.reference_repo) / "mlebench")
    mlebench = Path(sys.executable).with_name("mlebench")
    work, data = args.dir.resolve(), args.dir.resolve() / "data"
    prepare(data, mlebench)
    cids = write_submissions(data, work)
    jsonl = work / "submissions.jsonl"
    # ours exits 1 when a submission is invalid (a finished report all the same)
    sides = {"ours": ([str(mlebench), "grade", "--submission", str(jsonl), "--output",
                       str(work / "out-ours"), "--data-dir", str(data)], None, (0, 1))}
    if args.reference_python:
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        sides["reference"] = ([args.reference_python, "-c", REFERENCE, args.reference_repo, str(jsonl),
                               str(work / "out-ref"), str(data)], env, (0,))
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    for round_no in range(args.warmup + args.runs):
        for side, (argv, env, ok) in sides.items():
            result = timed(argv, env, ok, work)
            if round_no >= args.warmup:
                samples[side].append(result)
        print(f"round {round_no + 1}: " + ", ".join(
            f"{s} {v[-1][0]:.1f} s" for s, v in samples.items() if v), file=sys.stderr)

    print(f"{len(cids)} competitions, one sample submission each; medians of {args.runs} runs\n")
    print("| | wall s | peak RSS MiB |")
    print("|---|---|---|")
    for side, vals in samples.items():
        print(f"| {side} | {statistics.median(v[0] for v in vals):.2f} | "
              f"{statistics.median(v[1] for v in vals):.0f} |")
    if "reference" in samples:
        ratios = [o[0] / r[0] for o, r in zip(samples["ours"], samples["reference"], strict=True)]
        rss = [o[1] / r[1] for o, r in zip(samples["ours"], samples["reference"], strict=True)]
        print(f"| ours / reference | {statistics.median(ratios):.2f} | {statistics.median(rss):.2f} |")
        ours, ref = scores(work / "out-ours"), scores(work / "out-ref")
        agree = [c for c in cids if c in ref and same(ours.get(c), ref[c])]
        print(f"\nscores equal on {len(agree)} of {len(cids)}")
        for c in cids:
            if c not in agree:
                print(f"  {c}: ours {ours.get(c)!r}, reference {ref.get(c, 'missing')!r}")
        if args.per_competition:
            per_competition(args, data, jsonl)


if __name__ == "__main__":
    main()
