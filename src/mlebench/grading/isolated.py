"""Grading untrusted submissions in worker processes the harness can always stop.

A submission is adversarial input to pandas, numpy and the metric code. Parsing or scoring it in
the harness's own interpreter would let a crafted file hold the interpreter lock (a CSV header
of 150,000 columns costs pandas minutes), exhaust the harness's memory or outlive the run's time
limit. So every evaluation runs in a worker process (`python -m mlebench.grade_worker`) with an
address-space limit and a per-call CPU budget of its own, and the harness waits for its answer
with a wall-clock timeout; a worker that overruns is killed and the submission is reported
invalid with the reason. Workers are reused between calls (starting one costs about a second) and
kept in a small pool so that concurrent validations and gradings do not queue behind each other.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from mlebench.errors import MLEBenchError
from mlebench.grading.result import GradeResult
from mlebench.text import excerpt

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 300.0  # full-size gradings take seconds (benchmarks/): a wide margin
MAX_WORKERS = 4
STARTUP_TIMEOUT_S = 120.0  # at most this many gradings at once: callers beyond wait their turn


def _default_wall() -> float:
    return float(os.environ.get("MLEBENCH_GRADING_TIMEOUT") or DEFAULT_TIMEOUT_S)


def _default_memory() -> int:
    # Address space: half the machine's memory (at least 4 GiB), so that no submission can make
    # the grading exhaust the host; the real graders need far less.
    return int(os.environ.get("MLEBENCH_GRADING_MEMORY") or 0) or max(
        4 << 30, psutil.virtual_memory().total // 2)


@dataclass(frozen=True)
class WorkerLimits:
    """Per call: wall-clock and CPU seconds; per worker: address space. Defaults from
    $MLEBENCH_GRADING_TIMEOUT and $MLEBENCH_GRADING_MEMORY."""

    wall_s: float = field(default_factory=_default_wall)
    memory_bytes: int = field(default_factory=_default_memory)


class GradingWorkerError(MLEBenchError):
    """The worker could not start (not the submission): a harness problem worth reporting."""


# The worker's allocator. Arrow's default allocator, and malloc's per-thread arenas for Arrow's
# reader threads, reserve address space ahead of use, which the address-space limit counts as
# used: the worker allocates through malloc, from one arena. (glibc's adaptive mmap threshold is
# kept: fixing it gave freed buffers back at once but cost 10-50% more time in the big gradings;
# `memory.release_free_heap` gives them back where it matters instead.)
WORKER_ALLOCATOR_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "1"}


class _Worker:
    def __init__(self, limits: WorkerLimits):
        self.stderr = tempfile.TemporaryFile()
        env = {**os.environ, "MLEBENCH_GRADING_MEMORY": str(limits.memory_bytes),
               "PYTHONUNBUFFERED": "1", **WORKER_ALLOCATOR_ENV}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mlebench.grade_worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr, env=env, start_new_session=True)
        self.buf = b""
        self.ready = False

    def call(self, request: dict, timeout: float) -> dict | None:
        """The worker's answer, or None when it died or overran (it is then killed). The
        timeout counts from the request: starting the worker (imports) has its own."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if not self.ready:
            if self._line(STARTUP_TIMEOUT_S) is None:
                raise GradingWorkerError("The grading worker did not start: "
                                         + (self.stderr_tail() or "no output"))
            self.ready = True
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return None
        return self._line(timeout)

    def _line(self, timeout: float) -> dict | None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                return None
            if not select.select([fd], [], [], min(left, 1.0))[0]:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.kill()
                return None
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return json.loads(line)

    def stderr_tail(self) -> str:
        with contextlib.suppress(OSError):
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - 2000))
            return self.stderr.read().decode(errors="replace").strip()
        return ""

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, 9)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


class _Pool:
    def __init__(self) -> None:
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(MAX_WORKERS)
        self.limits = WorkerLimits()

    @contextlib.contextmanager
    def worker(self) -> Iterator[_Worker]:
        with self.slots:
            yield from self._checkout()

    def _checkout(self) -> Iterator[_Worker]:
        with self.lock:
            while self.idle and not self.idle[-1].alive:
                self.idle.pop()
            w = self.idle.pop() if self.idle else None
        if w is None:
            w = _Worker(self.limits)
        try:
            yield w
        finally:
            with self.lock:
                if w.alive and len(self.idle) < MAX_WORKERS:
                    self.idle.append(w)
                else:
                    w.kill()

    def configure(self, limits: WorkerLimits) -> None:
        """Use these limits from now on (idle workers started under the old ones are stopped)."""
        self.shutdown()
        self.limits = limits

    def shutdown(self) -> None:
        with self.lock:
            workers, self.idle = self.idle, []
        for w in workers:
            w.kill()


_pool = _Pool()
atexit.register(_pool.shutdown)


def prestart() -> None:
    """Start a worker now, if none is idle, so that its start-up (about a second of imports)
    overlaps with the caller's own work; the next `evaluate` uses it."""
    with _pool.lock:
        if any(w.alive for w in _pool.idle):
            return
        _pool.idle.append(_Worker(_pool.limits))


def configure(limits: WorkerLimits) -> WorkerLimits:
    """Set the grading workers' limits; returns the previous ones."""
    old = _pool.limits
    _pool.configure(limits)
    return old


# How running out of the address-space limit shows in a dead worker's stderr: Python's error, and
# Arrow's, whose CSV reader aborts the process on a failed allocation ("Out of memory: malloc of
# size ... failed") or on a reader thread that cannot get its stack ("Resource temporarily
# unavailable").
_OUT_OF_MEMORY = ("MemoryError", "Out of memory", "std::bad_alloc",
                  "Resource temporarily unavailable")


def evaluate(submission: Path, competition_id: str, data_dir: Path,
             timeout: float | None = None) -> GradeResult:
    """Score one submission of a registry competition in a worker process."""
    limits = _pool.limits
    wall = timeout if timeout is not None else limits.wall_s
    request = {"submission": str(submission), "competition_id": competition_id,
               "data_dir": str(data_dir), "cpu_s": wall}
    with _pool.worker() as w:
        started = time.monotonic()
        answer = w.call(request, wall)
        if answer is None:
            elapsed = time.monotonic() - started
            if elapsed >= wall - 0.5:
                return GradeResult(None, None, f"Grading took longer than {wall:g} s and was "
                                   "stopped; the submission is refused.")
            tail = w.stderr_tail()
            if any(sign in tail for sign in _OUT_OF_MEMORY):
                return GradeResult(None, None, "Grading ran out of the memory it may use; the "
                                   "submission is refused.")
            if "CPU time limit" in tail or w.proc.returncode in (-24, 152):  # SIGXCPU
                return GradeResult(None, None, f"Grading used more than {wall:g} s of CPU time; "
                                   "the submission is refused.")
            # It died on this submission (a crash in a metric's C code, a kill): the submission
            # is what is refused, and the run's other results are kept.
            last = tail.splitlines()[-1] if tail else f"exit status {w.proc.returncode}"
            logger.warning("grading worker stopped on %s: %s", submission, last)
            return GradeResult(None, None, "Grading stopped unexpectedly on this submission "
                               f"({excerpt(last, 200)}); the submission is refused.")
    if "error" in answer:
        raise MLEBenchError(answer["error"])
    return GradeResult(answer["score"], answer["raw_score"], answer["invalid_reason"])
