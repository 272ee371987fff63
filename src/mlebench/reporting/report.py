"""`mlebench report`: report.json, a leaderboard-shaped Markdown table and report.html."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlebench.aggregation import (
    HEADLINE_SPLITS,
    aggregate_split,
    environment_summary,
    per_competition,
    resources,
    split_memberships,
)
from mlebench.errors import MLEBenchError
from mlebench.registry import Registry, load_config
from mlebench.reporting.html import render_html
from mlebench.reporting.inspect_logs import load_any_runs
from mlebench.utils import atomic_write_text


def build_report(group_dirs: list[Path], split: str | None = None,
                 bundle_statuses: list[dict] | None = None) -> dict[str, Any]:
    """The report; `bundle_statuses`: the bundles' verification statuses to show (computed by
    `mlebench.bundles.status.bundle_statuses`; none by default)."""
    for g in group_dirs:
        if not Path(g).exists():
            raise MLEBenchError(f"Run group {g} does not exist.")
    runs = load_any_runs([Path(g) for g in group_dirs])
    if not runs:
        raise MLEBenchError(f"No runs found in {', '.join(map(str, group_dirs))}.")
    environment = environment_summary(runs)  # refuses runs from different environments
    reg = Registry()
    seeds = max(r.seed for r in runs) + 1
    ran = sorted({r.competition_id for r in runs})
    splits = split_memberships(ran, reg.get_split)
    if split:
        splits[Path(split).stem if Path(split).is_file() else split] = reg.get_split(split)
    by_category: dict[str, list[str]] = {}
    for cid in ran:
        by_category.setdefault(load_config(cid).category, []).append(cid)
    split_results = {name: aggregate_split(name, ids, runs, seeds) for name, ids in splits.items()}
    cat_results = {name: aggregate_split(name, ids, runs, seeds) for name, ids in by_category.items()}
    agents = sorted({r.metadata.agent_name for r in runs})
    synthetic = any((r.report or {}).get("synthetic") for r in runs)
    variants = sorted({(r.report or {}).get("variant", "v1") for r in runs})
    return {
        "created_at": datetime.now(UTC).isoformat(),
        "run_groups": [str(g) for g in group_dirs],
        "agents": agents,
        "environment": environment,
        "seeds": seeds,
        "synthetic_data": synthetic,
        "variants": variants,
        "splits": {k: _split_dict(v) for k, v in split_results.items()},
        "categories": {k: _split_dict(v) for k, v in cat_results.items()},
        "competitions": per_competition(runs),
        "resources": resources(runs),
        "bundles": list(bundle_statuses or []),
    }


def _split_dict(res) -> dict[str, Any]:
    d = asdict(res)
    d["metrics"] = {k: asdict(v) for k, v in res.metrics.items()}
    return d


HEADLINE = ("Headline metric: **Any Medal (%)**, the share of a split's competitions in which "
            "a run won a gold, silver or bronze medal on the competition's private leaderboard; "
            "mean ± SEM over {seeds} seed(s), a missing run counting as no medal.")
THRESHOLDS = ("gold", "silver", "bronze", "median")


def markdown_report(report: dict[str, Any]) -> str:
    """report.md: the headline table, then one row per competition and seed."""
    return (f"# mlebench report: {_md(', '.join(report['agents']))}\n\n" + markdown_table(report)
            + "\n" + competition_table(report))


def markdown_table(report: dict[str, Any]) -> str:
    """The reference leaderboard's shape: Any Medal (%) per complexity split, mean ± SEM."""
    cols = [s for s in HEADLINE_SPLITS if s in report["splits"]] or list(report["splits"])
    header = ("| Agent | Environment | " + " | ".join(f"{c.capitalize()} (%)" for c in cols)
              + " | Seeds |")
    sep = "|" + "---|" * (len(cols) + 3)
    cells = []
    for c in cols:
        m = report["splits"][c]["metrics"]["any_medal"]
        cells.append(f"{m['mean']:.1f} ± {m['sem']:.1f}")
    env = (report.get("environment") or {}).get("label", "unrecorded")
    row = (f"| {_md(', '.join(report['agents']))} | {_md(env)} | " + " | ".join(cells)
           + f" | {report['seeds']} |")
    lines = [HEADLINE.format(seeds=report["seeds"]), "", header, sep, row, ""]
    missing = {c: report["splits"][c]["runs_missing"] for c in cols if report["splits"][c]["runs_missing"]}
    if missing:
        lines.append("Missing runs (counted as no medal): "
                     + ", ".join(f"{k}: {v}" for k, v in missing.items()))
    if report.get("variants", ["v1"]) != ["v1"]:
        lines.append(f"**Data variants: {', '.join(report['variants'])}** (v2 = known leaks removed; "
                     "not comparable with the reference's v1 leaderboard).")
    flagged = [f"{cid} seed {seed}" for cid, e in report["competitions"].items()
               for seed, s in e["seeds"].items() if (s.get("integrity") or {}).get("flagged")]
    if flagged:
        lines.append("Flagged by integrity checks (kept in the numbers above, review them): "
                     + ", ".join(flagged))
    if report["synthetic_data"]:
        lines.append("**Synthetic data: these numbers are smoke tests, not comparable with Kaggle.**")
    lines += [status_line(b) for b in report.get("bundles") or []]
    return "\n".join(lines) + "\n"


def status_line(status: dict[str, Any]) -> str:
    """One line for terminals and Markdown of a bundle's verification status."""
    fp = status.get("signer_fingerprint") or "unknown"
    scope = "re-graded" if status.get("regraded") else "not re-graded"
    head = (f"Bundle {status['path']}: {status['status'].upper()} ({status['checks']} checks, "
            f"{scope}; signer key sha256 {fp})")
    if status["failed"]:
        head += "; failing: " + "; ".join(f"{c['name']}: {c['detail']}" for c in status["failed"][:5])
    return head


def competition_table(report: dict[str, Any]) -> str:
    """Per competition and seed: the score, the medal and the distance to each threshold."""
    lines = ["## Per competition", "",
             "Distance to each threshold of the private leaderboard: positive when reached (by "
             "that much), negative when short (flipped for lower-is-better metrics).", "",
             "| Competition | Seed | Score | Medal | " + " | ".join(
                 f"vs {name}" for name in THRESHOLDS) + " |",
             "|" + "---|" * (4 + len(THRESHOLDS))]
    for cid, entry in sorted(report["competitions"].items()):
        seeds = {int(k): v for k, v in entry["seeds"].items()}
        lower = bool(entry.get("is_lower_better"))
        thresholds = entry.get("thresholds") or {}
        for seed in range(max([report["seeds"], *(s + 1 for s in seeds)])):
            s = seeds.get(seed)
            if s is None:
                lines.append(f"| {cid} | {seed} | - | missing run (no medal) |" + " - |" * len(THRESHOLDS))
                continue
            score = s.get("score")
            medal = s.get("medal") or ("invalid" if s.get("valid") is False else "-")
            gaps = [_gap(score, thresholds.get(name), lower) for name in THRESHOLDS]
            lines.append(f"| {cid} | {seed} | {_num(score)} | {medal} | " + " | ".join(gaps) + " |")
    return "\n".join(lines) + "\n"


def _gap(score: float | None, threshold: float | None, lower_is_better: bool) -> str:
    if score is None or threshold is None:
        return "-"
    gap = (threshold - score) if lower_is_better else (score - threshold)
    return f"{gap:+.4g}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.5g}"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell (agent names are the user's)."""
    return text.replace("|", "\\|").replace("\n", " ")


def write_report(group_dirs: list[Path], output: Path, split: str | None = None,
                 bundle_statuses: list[dict] | None = None) -> dict[str, Path]:
    report = build_report(group_dirs, split, bundle_statuses)
    output.mkdir(parents=True, exist_ok=True)
    paths = {"json": output / "report.json", "markdown": output / "report.md",
             "html": output / "report.html"}
    atomic_write_text(paths["json"], json.dumps(report, indent=2, default=str))
    atomic_write_text(paths["markdown"], markdown_report(report))
    atomic_write_text(paths["html"], render_html(report, link_base=output))
    return paths
