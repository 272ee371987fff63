"""Re-grading a run group on the host (e.g. after fixing data, or to audit recorded results)."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from mlebench.runtime.runs import grade_run_folder, read_metadata, run_dirs

if TYPE_CHECKING:
    from mlebench.registry import Registry


def regrade_group(group: Path, registry: Registry,
                  competitions: Collection[str] | None = None) -> list[dict]:
    """Grade every run's submission again (only the runs of `competitions`, if given) and
    rewrite its grading report (atomically)."""
    reports = []
    for rd in run_dirs(group):
        meta = read_metadata(rd) or {}
        if competitions is not None and meta.get("competition_id") not in competitions:
            continue
        competition = registry.get_competition(meta["competition_id"])
        reports.append(grade_run_folder(rd, competition))
    return reports


def write_submissions_jsonl(group: Path) -> Path:
    """The group's submissions in `mlebench grade --submission` form."""
    path = group / "_grading" / "submissions.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"competition_id": (read_metadata(rd) or {})["competition_id"],
                         "submission_path": str(rd / "submission" / "submission.csv")})
             for rd in run_dirs(group)]
    path.write_text("\n".join(lines) + "\n")
    return path
