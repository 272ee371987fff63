"""The grading worker process (see `mlebench.grading.isolated`): one JSON request per line on
stdin, one JSON answer per line on the original stdout. Graders' own prints go to stderr.

It is a process of its own, so it sits above both the registry (it rebuilds the competition from
its id) and `grading/`; grading names it only by module name."""

from __future__ import annotations

import json
import math
import os
import resource
import sys
from pathlib import Path

from mlebench.errors import MLEBenchError
from mlebench.grading.api import evaluate_in_process
from mlebench.memory import release_free_heap
from mlebench.registry import Registry


def _limit_memory() -> None:
    limit = int(os.environ.get("MLEBENCH_GRADING_MEMORY", "0"))
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _cpu_budget(seconds: float) -> None:
    """This call may use `seconds` of CPU on top of what the worker has used so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    total = used.ru_utime + used.ru_stime
    soft = int(math.ceil(total + seconds)) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _answer(request: dict) -> dict:
    try:
        competition = Registry(request["data_dir"]).get_competition(request["competition_id"])
        _cpu_budget(float(request.get("cpu_s", 900)))
        result = evaluate_in_process(Path(request["submission"]), competition)
    except MemoryError:
        return {"score": None, "raw_score": None, "invalid_reason":
                "Grading ran out of the memory it may use; the submission is refused."}
    except MLEBenchError as e:
        return {"error": str(e)}
    return {"score": result.score, "raw_score": result.raw_score,
            "invalid_reason": result.invalid_reason}


def _start_arrow_threads() -> None:
    """Arrow starts its reader threads on first use, and a thread that cannot get its stack under
    the memory limit aborts the whole process ("Resource temporarily unavailable"): they are
    started now, so that a submission too big for the limit fails in its own allocations and is
    refused as such."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    data = pa.py_buffer(b"a,b\n" + b"x,1\n" * 50_000)  # a dozen blocks: every reader thread
    pa_csv.read_csv(data, read_options=pa_csv.ReadOptions(use_threads=True, block_size=1 << 14))


def main() -> int:
    _limit_memory()
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything a grader prints must not corrupt the protocol
    sys.stdout = sys.stderr
    # Imports first: the caller times calls, not start-up, and a grading that runs out of memory
    # must fail in its own work, not in a library import the metric happens to do lazily.
    import pyarrow.compute  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import scipy.stats  # noqa: F401
    import sklearn.metrics  # noqa: F401

    _start_arrow_threads()
    protocol.write(json.dumps({"ready": True}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = _answer(json.loads(line))
        release_free_heap()  # a worker waits between gradings: what this one freed goes back
        protocol.write(json.dumps(answer, allow_nan=True) + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    code = main()
    # Straight out, without interpreter teardown: Arrow's reader threads can still be winding
    # down then and abort the process now and then ("terminate called without an active
    # exception", apache/arrow#39862); every answer has been flushed already.
    sys.stderr.flush()
    os._exit(code)
