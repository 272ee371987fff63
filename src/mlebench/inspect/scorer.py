"""The host-side scorer: end the sample's sandbox, take the submission in, grade it on the host.

The agent's processes are gone before anything is graded (the sandbox is stopped first), and the
submission reaches the grader only as the copy the intake made (regular files, no link followed,
bounded), exactly as after `mlebench run`: a link to the answers, a FIFO or a hard link is an
invalid submission with the intake's reason, never a score. The Score's metadata carries the full
grading report and the run folder it was written to (`mlebench report` reads either).
"""

from __future__ import annotations

from typing import Any

import anyio
from inspect_ai.scorer import Score, Target, mean, scorer, stderr
from inspect_ai.solver import TaskState
from inspect_ai.util import sandbox

from mlebench.errors import MLEBenchError
from mlebench.inspect.provider import MLEBenchSandbox

METRICS = ("any_medal", "above_median", "valid_submission")
RUN_FIELDS = ("run_id", "competition_id", "seed", "status", "sandbox_status", "started_at",
              "ended_at", "duration_s", "limits", "network_policy", "environment", "agent",
              "peak_memory_bytes", "validation", "intake", "data")


@scorer(metrics={name: [mean(), stderr()] for name in METRICS})
def mlebench_scorer():
    """Grades the sample's `/home/submission/submission.csv` on the host; values are 0/1 for
    any medal, above median and valid submission (mean and stderr over samples)."""

    async def score(state: TaskState, target: Target) -> Score:
        try:
            box = sandbox().as_type(MLEBenchSandbox)
        except (ProcessLookupError, TypeError, ValueError) as e:
            raise MLEBenchError(
                "mlebench_scorer grades samples run in sandbox='mlebench' only "
                f"({type(e).__name__}: {e}).") from None
        await box.end()  # every process of the sandbox is gone before grading
        report = await anyio.to_thread.run_sync(box.session.grade)
        run = {k: box.session.meta.get(k) for k in RUN_FIELDS}
        run["epoch"] = state.epoch
        return score_from_report(report, str(box.session.run_dir), run)

    return score


def score_from_report(report: dict[str, Any], run_dir: str, run: dict[str, Any]) -> Score:
    medal = bool(report.get("gold_medal") or report.get("silver_medal")
                 or report.get("bronze_medal"))
    value = {"any_medal": float(medal), "above_median": float(bool(report.get("above_median"))),
             "valid_submission": float(bool(report.get("valid_submission")))}
    refused = (report.get("submission_intake") or {}).get("status") == "refused"
    if not report.get("submission_exists") and not refused:
        explanation = "No submission: /home/submission/submission.csv was not written."
    elif not report.get("valid_submission"):
        explanation = f"Invalid submission: {report.get('invalid_reason')}"
    else:
        place = next((m for m in ("gold", "silver", "bronze") if report.get(f"{m}_medal")),
                     "above median" if report.get("above_median") else "no medal")
        explanation = f"Score {report.get('score')} ({place})."
    return Score(value=value, answer=None if report.get("score") is None
                 else str(report.get("score")), explanation=explanation,
                 metadata={"grading_report": report, "run_dir": run_dir, "run": run})
