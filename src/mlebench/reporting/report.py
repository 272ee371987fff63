"""`mlebench report`: report.json, a leaderboard-shaped Markdown table and report.html."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlebench.errors import MLEBenchError
from mlebench.reporting.aggregate import (
    aggregate_split,
    environment_summary,
    load_runs,
    per_competition,
    resources,
)
from mlebench.utils import atomic_write_text

HEADLINE_SPLITS = ("low", "medium", "high", "all")


def bundle_statuses(group_dirs: list[Path], bundles: list[Path] | None = None,
                    data_dir: Path | None = None, pubkey: Path | None = None) -> list[dict]:
    """Verification status of the given bundles, else of each group's `<group>.bundle.tar.gz`.
    A given bundle is compared with the group it was made from (by name; else the first)."""
    from mlebench.reporting.bundle_status import bundle_status, find_bundle

    groups = [Path(g) for g in group_dirs]
    if bundles:
        out = []
        for b in bundles:
            if not Path(b).is_file():
                raise MLEBenchError(f"Bundle {b} does not exist.")
            name = Path(b).name.removesuffix(".tar.gz").removesuffix(".bundle")
            group = next((g for g in groups if g.resolve().name == name), groups[0])
            out.append(bundle_status(Path(b), group, data_dir, pubkey))
        return out
    return [bundle_status(b, g, data_dir, pubkey) for g in groups if (b := find_bundle(g))]


def build_report(group_dirs: list[Path], split: str | None = None,
                 bundles: list[Path] | None = None, data_dir: Path | None = None,
                 pubkey: Path | None = None) -> dict[str, Any]:
    """The report; `bundles`/`data_dir`/`pubkey`: see `bundle_statuses` (re-grades with a data
    dir only)."""
    from mlebench.registry import Registry, load_config

    for g in group_dirs:
        if not Path(g).is_dir():
            raise MLEBenchError(f"Run group {g} does not exist.")
    runs = load_runs([Path(g) for g in group_dirs])
    if not runs:
        raise MLEBenchError(f"No runs found in {', '.join(map(str, group_dirs))}.")
    environment = environment_summary(runs)  # refuses runs from different environments
    reg = Registry()
    seeds = max(r.seed for r in runs) + 1
    ran = sorted({r.competition_id for r in runs})
    splits: dict[str, list[str]] = {}
    for name in (*HEADLINE_SPLITS, "dev", "practice"):
        ids = reg.get_split(name)
        if set(ids) & set(ran):
            splits[name] = ids
    splits["this run"] = ran
    if split:
        splits[Path(split).stem if Path(split).is_file() else split] = reg.get_split(split)
    by_category: dict[str, list[str]] = {}
    for cid in ran:
        by_category.setdefault(load_config(cid).category, []).append(cid)
    split_results = {name: aggregate_split(name, ids, runs, seeds) for name, ids in splits.items()}
    cat_results = {name: aggregate_split(name, ids, runs, seeds) for name, ids in by_category.items()}
    agents = sorted({(r.metadata.get("agent") or {}).get("name", "?") for r in runs})
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
        "bundles": bundle_statuses(group_dirs, bundles, data_dir, pubkey),
    }


def _split_dict(res) -> dict[str, Any]:
    d = asdict(res)
    d["metrics"] = {k: asdict(v) for k, v in res.metrics.items()}
    return d


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
    row = (f"| {', '.join(report['agents'])} | {env} | " + " | ".join(cells)
           + f" | {report['seeds']} |")
    lines = [header, sep, row, ""]
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
    from mlebench.reporting.bundle_status import status_line

    lines += [status_line(b) for b in report.get("bundles") or []]
    return "\n".join(lines) + "\n"


def write_report(group_dirs: list[Path], output: Path, split: str | None = None,
                 bundles: list[Path] | None = None, data_dir: Path | None = None,
                 pubkey: Path | None = None) -> dict[str, Path]:
    from mlebench.reporting.html import render_html

    report = build_report(group_dirs, split, bundles, data_dir, pubkey)
    output.mkdir(parents=True, exist_ok=True)
    paths = {"json": output / "report.json", "markdown": output / "report.md",
             "html": output / "report.html"}
    atomic_write_text(paths["json"], json.dumps(report, indent=2, default=str))
    atomic_write_text(paths["markdown"], markdown_table(report))
    atomic_write_text(paths["html"], render_html(report, link_base=output))
    return paths
