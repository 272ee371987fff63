"""Reference-compatible grading entry points (`mlebench.grade.grade_csv`, `grade_jsonl`, ...)."""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mlebench.data.assets import load_leaderboard
from mlebench.data.prepare import read_prepared_manifest
from mlebench.errors import MLEBenchError
from mlebench.grading.api import evaluate, validate_submission
from mlebench.grading.report import CompetitionReport
from mlebench.registry import Competition, Registry
from mlebench.registry import registry as DEFAULT_REGISTRY
from mlebench.text import excerpt
from mlebench.upstream import AssetUnavailableError
from mlebench.utils import atomic_create_text

__all__ = ["aggregate_reports", "grade_csv", "grade_jsonl", "read_submissions", "validate_submission"]

logger = logging.getLogger(__name__)

MAX_SUBMISSIONS_BYTES = 64 * 2**20  # a JSONL list of submissions is a few KB


@dataclass(frozen=True)
class SubmissionEntry:
    line: int
    competition_id: str
    submission_path: Path


def read_submissions(path: Path) -> tuple[list[SubmissionEntry], list[dict[str, Any]]]:
    """Parse a submissions JSONL file (`competition_id`, `submission_path` per line).

    Returns the good entries and one error record per bad line, so that one malformed line never
    stops the others from being graded. Blank lines and `#`/`//` comments are skipped. A file that
    is binary or far too large for a list of submissions is refused as a whole.
    """
    path = Path(path)
    if not path.is_file():
        raise MLEBenchError(f"Submissions file {path} does not exist.")
    if path.stat().st_size > MAX_SUBMISSIONS_BYTES:
        raise MLEBenchError(f"Submissions file {path} is {path.stat().st_size / 1e6:.0f} MB: not a "
                            "JSONL list of submissions.")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise MLEBenchError(f"Submissions file {path} is binary, not a JSONL list of submissions.")
    entries, errors = [], []
    for n, raw in enumerate(data.decode(errors="replace").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append({"line": n, "error": f"line {n} is not valid JSON: {e.msg}"})
            continue
        if not isinstance(obj, dict) or not {"competition_id", "submission_path"} <= set(obj):
            errors.append({
                "line": n,
                "error": f"line {n} must be an object with 'competition_id' and 'submission_path'",
            })
            continue
        try:
            sub = Path(str(obj["submission_path"])).expanduser()
            if not sub.is_absolute():
                local = path.parent / sub
                sub = local.resolve() if local.exists() else sub.resolve()
        except (OSError, RuntimeError, ValueError) as e:  # too long, a loop, a NUL byte
            errors.append({"line": n, "error": f"line {n}: submission_path "
                           f"{excerpt(obj['submission_path'], 80)!r} is not a usable path ({e})"})
            continue
        entries.append(SubmissionEntry(n, str(obj["competition_id"]), sub))
    return entries, errors


def grade_csv(path_to_submission: Path, competition: Competition) -> CompetitionReport:
    """Grade one submission CSV and place it on the competition's private leaderboard.

    This is where grading meets the prepared manifest (synthetic data, the variant) and the
    leaderboard; `grading/` itself only scores."""
    path = Path(path_to_submission)
    result = evaluate(path, competition)
    notes: list[str] = []
    manifest = read_prepared_manifest(competition) or {}
    synthetic = bool(manifest.get("synthetic", False))
    rank: dict[str, Any] = {}
    lb_sha = None
    if manifest.get("variant", "v1") != "v1":
        notes.append(f"Variant {manifest['variant']}: data with known leaks removed; never compare "
                     "with v1 (reference) results.")
    if synthetic:
        notes.append(
            "Synthetic data: the score is not comparable with Kaggle's leaderboard, so no medals "
            "are awarded."
        )
    else:
        try:
            leaderboard, lb_sha = load_leaderboard(competition)
            rank = competition.grader.rank_score(result.score, leaderboard)
        except AssetUnavailableError as e:
            notes.append(f"No medals: {e}")
    if result.invalid_reason:
        logger.warning("Invalid submission for %s: %s", competition.id, result.invalid_reason)
    medal_flags = ("gold_medal", "silver_medal", "bronze_medal")
    any_medal = any(rank[k] for k in medal_flags) if rank else None
    return CompetitionReport(
        competition_id=competition.id,
        score=result.score,
        gold_threshold=rank.get("gold_threshold"),
        silver_threshold=rank.get("silver_threshold"),
        bronze_threshold=rank.get("bronze_threshold"),
        median_threshold=rank.get("median_threshold"),
        any_medal=any_medal,
        gold_medal=rank.get("gold_medal"),
        silver_medal=rank.get("silver_medal"),
        bronze_medal=rank.get("bronze_medal"),
        above_median=rank.get("above_median"),
        # lexists: a link or special file "exists" (and is refused); it is never followed here.
        submission_exists=os.path.lexists(path) and path.suffix.lower() == ".csv",
        valid_submission=result.valid,
        is_lower_better=competition.lower_is_better,
        created_at=datetime.now(),
        submission_path=str(path),
        rank=rank.get("rank"),
        percentile=rank.get("percentile"),
        leaderboard_teams=rank.get("leaderboard_teams"),
        leaderboard_sha256=lb_sha,
        task_version=competition.version,
        invalid_reason=result.invalid_reason,
        synthetic=synthetic,
        variant=str(manifest.get("variant", "v1")),
        notes=notes,
    )


def grade_jsonl(
    path_to_submissions: Path,
    output_dir: Path,
    registry: Registry = DEFAULT_REGISTRY,
    progress: Any = None,
    competitions: Collection[str] | None = None,
) -> Path:
    """Grade every submission listed in a JSONL file and save the summary report as JSON.

    Each line is graded independently: an unknown competition, an unprepared dataset or a bad
    submission is recorded for that line and the rest are still graded. With `competitions`,
    only the lines for those competitions are graded (the others are left out of the summary).
    """
    entries, errors = read_submissions(Path(path_to_submissions))
    if competitions is not None:
        entries = [e for e in entries if e.competition_id in competitions]
    reports: list[CompetitionReport] = []
    for entry in entries:
        try:
            competition = registry.get_competition(entry.competition_id)
            reports.append(grade_csv(entry.submission_path, competition))
        except MLEBenchError as e:
            errors.append({"line": entry.line, "competition_id": excerpt(entry.competition_id),
                           "error": excerpt(str(e), 1000)})
        if progress is not None:
            progress()
    return save_summary(reports, errors, Path(output_dir))


def save_summary(reports: list[CompetitionReport] | list[dict[str, Any]],
                 errors: list[dict[str, Any]], output_dir: Path) -> Path:
    """Write the summary of graded reports (and the lines that could not be graded) as
    `<output_dir>/<timestamp>_grading_report.json`, under a name no other report has taken."""
    summary = aggregate_reports(reports)
    summary["errors"] = sorted(errors, key=lambda e: e["line"])
    stamp = time.strftime("%Y-%m-%dT%H-%M-%S-%Z", time.gmtime())
    # The reference's name; a second report in the same second gets a numbered one, never theirs.
    names = (f"{stamp}{'' if i == 1 else f'-{i}'}_grading_report.json" for i in itertools.count(1))
    return atomic_create_text(Path(output_dir), names, json.dumps(summary, indent=2, default=str))


def aggregate_reports(competition_reports: list[CompetitionReport] | list[dict[str, Any]]
                      ) -> dict[str, Any]:
    """Totals over a list of reports (objects, or their dicts), with the reference's field names."""
    reports = [r if isinstance(r, dict) else r.to_dict() for r in competition_reports]

    def total(key: str) -> int:
        return int(sum(bool(r.get(key)) for r in reports))

    return {
        "total_runs": len(competition_reports),
        "total_runs_with_submissions": total("submission_exists"),
        "total_valid_submissions": total("valid_submission"),
        "total_medals": total("gold_medal") + total("silver_medal") + total("bronze_medal"),
        "total_gold_medals": total("gold_medal"),
        "total_silver_medals": total("silver_medal"),
        "total_bronze_medals": total("bronze_medal"),
        "total_above_median": total("above_median"),
        "competition_reports": reports,
    }
