"""Grading untrusted submissions in worker processes: a stalled or memory-hungry grading is
stopped and reported as an invalid submission, and the caller never waits past its timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from mlebench.grade import grade_csv
from mlebench.grading import isolated

CID = "spaceship-titanic"


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.fixture
def limits():
    old = isolated.configure(isolated.WorkerLimits())
    yield
    isolated.configure(old)


def test_grading_runs_in_a_worker_process_not_in_the_caller(comp, tmp_path, limits):
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission
    workers = [w.proc.pid for w in isolated._pool.idle]
    assert workers and os.getpid() not in workers


def test_a_stalled_grading_is_stopped_at_its_timeout(comp, tmp_path, limits):
    """Whatever makes a grading stall (here the worker is frozen with SIGSTOP), the caller gets
    an invalid result at the timeout and the worker is killed; the next grading works."""
    isolated.configure(isolated.WorkerLimits(wall_s=3))
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission  # starts a worker
    (worker,) = isolated._pool.idle
    os.kill(worker.proc.pid, signal.SIGSTOP)
    started = time.monotonic()
    report = grade_csv(sub, comp)
    assert time.monotonic() - started < 10
    assert not report.valid_submission and "longer than 3 s" in report.invalid_reason
    assert worker.proc.poll() is not None  # killed
    assert grade_csv(sub, comp).valid_submission


# 48 MiB: the submission's bytes may not even fit; 80 MiB: they fit, then Arrow's CSV reader
# aborts the worker on a failed allocation (a crash, named by its stderr), or with CR LF line
# ends (left to pandas) pandas' tokenizer reports "out of memory" as a parser error
@pytest.mark.parametrize("margin_mb, end", [(48, "\n"), (80, "\n"), (80, "\r\n")])
def test_grading_that_needs_too_much_memory_is_refused(comp, tmp_path, limits, margin_mb, end):
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission
    (worker,) = isolated._pool.idle  # what a worker needs for an ordinary grading, plus a margin
    status = open(f"/proc/{worker.proc.pid}/status").read()
    peak = int(status.split("VmPeak:")[1].split()[0]) * 1024
    isolated.configure(isolated.WorkerLimits(memory_bytes=peak + (margin_mb << 20)))
    header = comp.sample_submission.read_text().splitlines()[0]
    with open(sub, "w") as f:  # ~60 MB of distinct long strings: far more than the margin parsed
        f.write(header + "\n")
        row = "x" * 1000
        for i in range(60_000):
            f.write(f"{i}{row},{i}{end}")
    report = grade_csv(sub, comp)
    assert not report.valid_submission
    assert "ran out of the memory it may use" in report.invalid_reason


def _kib(worker: isolated._Worker, field: str) -> int:
    status = open(f"/proc/{worker.proc.pid}/status").read()
    return int(status.split(f"{field}:")[1].split()[0])


def test_a_worker_gives_back_what_a_big_submission_took(comp, tmp_path, limits):
    """Workers live on between gradings: the memory a large text submission took to parse goes
    back to the system once it is graded, not kept in the worker's heap (where the next grading's
    Python objects could not even reuse it)."""
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission
    (worker,) = isolated._pool.idle
    before = _kib(worker, "VmRSS")
    header = comp.sample_submission.read_text().splitlines()[0]
    with open(sub, "w") as f:  # ~40 MB of distinct strings: parsed, then refused (wrong ids)
        f.write(header + "\n")
        row = "x" * 1000
        for i in range(40_000):
            f.write(f"{i}{row},0.5\n")
    assert not grade_csv(sub, comp).valid_submission
    took = _kib(worker, "VmHWM") - before
    kept = _kib(worker, "VmRSS") - before
    assert took > 60_000  # KiB: the bytes, Arrow's table and the strings were all there
    assert kept < took // 10  # kept in the heap, it was ~30% of it here


def test_concurrent_gradings_share_a_bounded_pool(comp, tmp_path, limits):
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    results = []
    threads = [threading.Thread(target=lambda: results.append(grade_csv(sub, comp)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 8 and all(r.valid_submission for r in results)
    assert len(isolated._pool.idle) <= isolated.MAX_WORKERS


def test_a_worker_that_dies_mid_grading_refuses_the_submission_not_the_run(comp, tmp_path, limits):
    """A crash while grading (a metric's C code, a kill) makes that submission invalid; it never
    escapes as an error that would leave the run ungraded."""
    isolated.configure(isolated.WorkerLimits(wall_s=60))
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission
    (worker,) = isolated._pool.idle
    os.kill(worker.proc.pid, signal.SIGSTOP)  # busy with the next call when it dies
    threading.Timer(1.0, os.kill, (worker.proc.pid, signal.SIGKILL)).start()
    report = grade_csv(sub, comp)
    assert not report.valid_submission and "stopped unexpectedly" in report.invalid_reason
    assert grade_csv(sub, comp).valid_submission


def test_a_prestarted_worker_grades_the_next_submission(comp, tmp_path, limits):
    """`mlebench grade` starts its worker before its own imports: that same worker grades, and
    starting another while one is idle does nothing."""
    isolated.prestart()
    (worker,) = isolated._pool.idle
    isolated.prestart()
    assert isolated._pool.idle == [worker]
    sub = tmp_path / "submission.csv"
    sub.write_bytes(comp.sample_submission.read_bytes())
    assert grade_csv(sub, comp).valid_submission
    assert isolated._pool.idle == [worker] and worker.alive


def test_the_grading_pool_is_importable_without_pandas():
    """What lets the worker's start-up overlap with the CLI's: importing the pool (and a grade
    result) loads none of the graders' libraries."""
    code = ("import sys, mlebench.grading.isolated, mlebench.grading.result; "
            "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
