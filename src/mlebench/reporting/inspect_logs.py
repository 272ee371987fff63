"""inspect_ai logs as a run group: `mlebench report LOG.eval` or `mlebench report LOGDIR`.

Each sample graded by mlebench's scorer (`mlebench[inspect]`) carries our grading report and run
record in its score's metadata; a sample is one run, its competition the sample's, its seed its
epoch (epochs of later logs continue the seeds). A sample that errored or was never graded counts
as a run without a medal, as a crashed `mlebench run` run does. The logs are the harness's own
files (written by inspect on the host), read with inspect's own reader.
"""

from __future__ import annotations

import stat
from collections import defaultdict
from pathlib import Path
from typing import Any

from mlebench.aggregation import Run, load_runs
from mlebench.errors import MLEBenchError
from mlebench.runtime.run_folder import RunFolder, RunMetadata, run_folders

SUFFIXES = (".eval", ".json")
# Sample fields the report never needs: the conversation can be most of a log.
_SKIP = {"messages", "events", "events_data", "attachments", "store", "timelines"}


def log_files(path: Path) -> list[Path] | None:
    """The inspect logs `path` names (a log file, or a folder of `.eval` logs that holds no run
    folders); None when it is not one. Links are never followed."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return [path] if path.suffix in SUFFIXES else None
    if not stat.S_ISDIR(mode) or RunFolder(path).has_file(RunFolder.METADATA):
        return None
    if run_folders(path):
        return None
    logs = sorted(p for p in path.iterdir()
                  if p.suffix == ".eval" and stat.S_ISREG(p.lstat().st_mode))
    return logs or None


def load_log_runs(files: list[Path], next_seed: dict[str, int] | None = None) -> list[Run]:
    try:
        from inspect_ai.log import read_eval_log  # optional (the `inspect` extra)
    except ImportError:
        raise MLEBenchError(f"{files[0]} is an inspect log; reading it needs inspect_ai: "
                            "pip install 'mlebench[inspect]'.") from None

    seeds = next_seed if next_seed is not None else defaultdict(int)
    runs: list[Run] = []
    for file in files:
        try:
            log = read_eval_log(str(file), exclude_fields=_SKIP)
        except Exception as e:  # a damaged or foreign file: one line, not a traceback
            raise MLEBenchError(f"Cannot read inspect log {file}: {type(e).__name__}: "
                                f"{str(e)[:200]}") from None
        agent = {"name": f"inspect:{log.eval.model}", "front_end": "inspect_ai",
                 "task": log.eval.task, "log": str(file)}
        for sample in sorted(log.samples or [], key=lambda s: (str(s.id), s.epoch)):
            score = _our_score(sample.scores or {})
            cid = str((sample.metadata or {}).get("competition_id") or sample.id)
            seed = seeds[cid]
            seeds[cid] += 1
            meta: dict[str, Any] = dict((score or {}).get("run") or {})
            meta.update({"competition_id": cid, "seed": seed, "agent": agent,
                         "inspect": {"log": str(file), "epoch": sample.epoch,
                                     "sample_id": sample.id}})
            report = (score or {}).get("grading_report")
            status = meta.get("status") or ("error" if sample.error else "ungraded")
            run_dir = Path((score or {}).get("run_dir") or file)
            runs.append(Run(cid, seed, run_dir, status,
                            report if isinstance(report, dict) else None, RunMetadata.parse(meta)))
    return runs


def _our_score(scores: dict[str, Any]) -> dict[str, Any] | None:
    """The metadata of the score mlebench's scorer gave (the one holding a grading report)."""
    for score in scores.values():
        meta = getattr(score, "metadata", None)
        if isinstance(meta, dict) and isinstance(meta.get("grading_report"), dict):
            return meta
    return None


def load_any_runs(group_dirs: list[Path]) -> list[Run]:
    """The runs of run groups, where a group may also be inspect logs (epochs of later logs
    continue the seeds)."""
    runs: list[Run] = []
    log_seeds: dict[str, int] = defaultdict(int)
    for group in group_dirs:
        logs = log_files(Path(group))
        runs += load_log_runs(logs, log_seeds) if logs is not None else load_runs([Path(group)])
    return runs
