"""Multi-seed aggregation following the reference's canonical recipe.

For each split, every seed is scored as the percentage of the split's competitions where that
seed's run earned a medal (or was valid, above the median, ...); a run that is missing, crashed or
invalid counts as no medal. The headline is the mean over seeds ± the standard error of the mean
(sample standard deviation, ddof=1, over sqrt(number of seeds)).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlebench.intake import json_object

METRICS = {
    "any_medal": lambda r: bool(r.get("gold_medal") or r.get("silver_medal") or r.get("bronze_medal")),
    "gold_medal": lambda r: bool(r.get("gold_medal")),
    "silver_medal": lambda r: bool(r.get("silver_medal")),
    "bronze_medal": lambda r: bool(r.get("bronze_medal")),
    "above_median": lambda r: bool(r.get("above_median")),
    "valid_submission": lambda r: bool(r.get("valid_submission")),
    "submission_exists": lambda r: bool(r.get("submission_exists")),
}


@dataclass
class Run:
    competition_id: str
    seed: int
    run_dir: Path
    status: str | None
    report: dict[str, Any] | None
    metadata: dict[str, Any]


@dataclass
class Stat:
    mean: float
    sem: float
    n: int

    def fmt(self) -> str:
        return f"{self.mean:.1f} ± {self.sem:.1f}"


def mean_sem(values: list[float]) -> Stat:
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return Stat(0.0, 0.0, 0)
    sem = float(arr.std(ddof=1) / math.sqrt(arr.size)) if arr.size > 1 else 0.0
    return Stat(float(arr.mean()), sem, int(arr.size))


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k: the chance that at least one of k runs drawn from n (c successes) medals."""
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def load_runs(group_dirs: list[Path]) -> list[Run]:
    """The runs of run groups; a group may also be inspect logs (reporting/inspect_logs.py)."""
    from mlebench.reporting.inspect_logs import load_log_runs, log_files
    from mlebench.runtime.runs import run_dirs

    runs = []
    log_seeds: dict[str, int] = defaultdict(int)  # epochs of later logs continue the seeds
    for group in group_dirs:
        if (logs := log_files(Path(group))) is not None:
            runs += load_log_runs(logs, log_seeds)
            continue
        for rd in run_dirs(Path(group)):
            meta = json_object(rd, "metadata.json")  # through the intake: never a link
            if meta is None or "competition_id" not in meta or "seed" not in meta:
                continue
            report = json_object(rd, "grading_report.json")
            runs.append(Run(meta["competition_id"], int(meta["seed"]), rd, meta.get("status"),
                            report, meta))
    return runs


@dataclass
class SplitResult:
    name: str
    competitions: list[str]
    seeds: int
    runs_present: int
    runs_missing: int
    metrics: dict[str, Stat] = field(default_factory=dict)
    pass_at_k: dict[int, float] = field(default_factory=dict)
    per_seed_any_medal: list[float] = field(default_factory=list)


def aggregate_split(name: str, competitions: list[str], runs: list[Run], seeds: int) -> SplitResult:
    by_key = {(r.competition_id, r.seed): r for r in runs}
    seed_ids = list(range(max([seeds, *(r.seed + 1 for r in runs)])))
    present = sum(1 for c in competitions for s in seed_ids if (c, s) in by_key)
    res = SplitResult(name, competitions, len(seed_ids), present,
                      len(competitions) * len(seed_ids) - present)
    for metric, fn in METRICS.items():
        per_seed = []
        for s in seed_ids:
            hits = sum(1 for c in competitions
                       if (run := by_key.get((c, s))) and run.report and fn(run.report))
            per_seed.append(100.0 * hits / len(competitions) if competitions else 0.0)
        res.metrics[metric] = mean_sem(per_seed)
        if metric == "any_medal":
            res.per_seed_any_medal = per_seed
    n = len(seed_ids)
    for k in range(1, n + 1):
        vals = []
        for c in competitions:
            successes = sum(1 for s in seed_ids
                            if (run := by_key.get((c, s))) and run.report and METRICS["any_medal"](run.report))
            vals.append(pass_at_k(n, successes, k))
        res.pass_at_k[k] = 100.0 * float(np.mean(vals)) if vals else 0.0
    return res


def per_competition(runs: list[Run]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = defaultdict(lambda: {"seeds": {}})
    for r in sorted(runs, key=lambda r: (r.competition_id, r.seed)):
        rep = r.report or {}
        entry = out[r.competition_id]
        entry["seeds"][r.seed] = {
            "status": r.status, "score": rep.get("score"), "valid": rep.get("valid_submission"),
            "medal": next((m for m in ("gold", "silver", "bronze") if rep.get(f"{m}_medal")), None),
            "rank": rep.get("rank"), "percentile": rep.get("percentile"),
            "duration_s": r.metadata.get("duration_s"),
            "validation_calls": (r.metadata.get("validation") or {}).get("calls"),
            "run_dir": str(r.run_dir), "synthetic": rep.get("synthetic", False),
            "variant": rep.get("variant", "v1"), "integrity": integrity_flags(r.run_dir),
        }
        entry["is_lower_better"] = rep.get("is_lower_better", entry.get("is_lower_better"))
        entry["thresholds"] = {k: rep.get(f"{k}_threshold") for k in ("gold", "silver", "bronze", "median")}
    for entry in out.values():
        scores = [s["score"] for s in entry["seeds"].values() if s["score"] is not None]
        lower = entry.get("is_lower_better")
        entry["best"] = (min(scores) if lower else max(scores)) if scores else None
        entry["medals"] = {m: sum(1 for s in entry["seeds"].values() if s["medal"] == m)
                           for m in ("gold", "silver", "bronze")}
    return dict(out)


def integrity_flags(run_dir: Path) -> dict[str, Any] | None:
    """Violations found by `mlebench integrity check/judge/plagiarism` (None when not checked)."""
    out: dict[str, Any] = {}
    data = json_object(run_dir, "integrity_findings.json")
    if data is not None:
        items = data.get("findings") or []
        out["violations"] = sum(1 for f in items if isinstance(f, dict)
                                and f.get("severity") == "violation")
    verdict = json_object(run_dir, "integrity_judge.json")
    if verdict is not None:
        out["judge_violation"] = bool(verdict.get("violation"))
    data = json_object(run_dir, "integrity_plagiarism.json")
    if data is not None:
        summary = data.get("summary") or {}
        out["plagiarism"] = bool(summary.get("flagged"))
        out["max_similarity"] = summary.get("max_similarity")
    if not out:
        return None
    out["flagged"] = bool(out.get("violations") or out.get("judge_violation")
                          or out.get("plagiarism"))
    return out


def environment_label(env: dict[str, Any] | None) -> str:
    """`profile/variant hash12` of a run's recorded environment ("unrecorded" for older runs)."""
    if not env:
        return "unrecorded"
    return f"{env.get('profile')}/{env.get('variant')} {str(env.get('hash'))[:12]}"


def environment_summary(runs: list[Run]) -> dict[str, Any]:
    """The one environment the runs share (profile, variant, hashes, Python, the agents' layers
    and the GPU stacks seen); raises when they differ: a row of results names one environment."""
    from mlebench.errors import MLEBenchError

    keys = ("profile", "variant", "hash", "lock_sha256", "python", "python_version", "platform")
    groups: dict[str, set[str]] = defaultdict(set)
    for r in runs:
        groups[environment_label(r.metadata.get("environment"))].add(str(r.run_dir.parent))
    if len(groups) > 1:
        listing = "; ".join(f"{label} ({', '.join(sorted(g))})" for label, g in sorted(groups.items()))
        raise MLEBenchError(f"These runs used different environments: {listing}. Report each "
                            "environment separately: results from different tools are not one row.")
    env = runs[0].metadata.get("environment") if runs else None
    if not env:
        return {"label": "unrecorded"}
    layers = {json.dumps(r.metadata["environment"].get("layer"), sort_keys=True) for r in runs}
    stacks = {json.dumps(r.metadata["environment"].get("gpu_stack"), sort_keys=True) for r in runs}
    return {"label": environment_label(env), **{k: env.get(k) for k in keys},
            "layers": [json.loads(x) for x in sorted(layers) if x != "null"],
            "gpu_stacks": [json.loads(x) for x in sorted(stacks) if x != "null"]}


def resources(runs: list[Run]) -> dict[str, Any]:
    durations = [r.metadata.get("duration_s") or 0 for r in runs]
    peaks = [r.metadata.get("peak_memory_bytes") for r in runs if r.metadata.get("peak_memory_bytes")]
    limits = {json.dumps(r.metadata.get("limits"), sort_keys=True) for r in runs}
    hw = {json.dumps({k: (r.metadata.get("hardware") or {}).get(k) for k in ("cpu_model", "cpu_count",
                      "memory_bytes", "gpus")}, sort_keys=True) for r in runs}
    return {
        "runs": len(runs), "total_hours": sum(durations) / 3600,
        "mean_duration_s": float(np.mean(durations)) if durations else 0.0,
        "max_peak_memory_bytes": max(peaks) if peaks else None,
        "limits": [json.loads(x) for x in sorted(limits)],
        "hardware": [json.loads(x) for x in sorted(hw)],
        "statuses": {s: sum(1 for r in runs if r.status == s) for s in {r.status for r in runs}},
    }
