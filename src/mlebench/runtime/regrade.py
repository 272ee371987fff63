"""Re-grading a run group on the host (e.g. after fixing data, or to audit recorded results)."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from mlebench.errors import MLEBenchError
from mlebench.runtime.run_folder import RunFolder, run_folders
from mlebench.runtime.runs import grade_run_folder

if TYPE_CHECKING:
    from mlebench.registry import Registry


def _competition_id(run: RunFolder) -> str:
    cid = run.require_metadata().competition_id
    if cid is None:
        raise MLEBenchError(f"{run.metadata_path} names no competition_id.")
    return cid


def regrade_group(group: Path, registry: Registry,
                  competitions: Collection[str] | None = None) -> list[dict]:
    """Grade every run's submission again (only the runs of `competitions`, if given) and
    rewrite its grading report (atomically)."""
    reports = []
    for run in run_folders(group):
        cid = _competition_id(run)
        if competitions is not None and cid not in competitions:
            continue
        reports.append(grade_run_folder(run.path, registry.get_competition(cid)))
    return reports


def write_submissions_jsonl(group: Path) -> Path:
    """The group's submissions in `mlebench grade --submission` form."""
    path = group / "_grading" / "submissions.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"competition_id": _competition_id(run),
                         "submission_path": str(run.submission_path)})
             for run in run_folders(group)]
    path.write_text("\n".join(lines) + "\n")
    return path
