"""A self-contained report.html: tables, and plots inlined as SVG (no network needed to open it)."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path
from typing import Any

from mlebench.data.assets import load_leaderboard
from mlebench.registry import Registry
from mlebench.runtime.run_folder import RunFolder

SPLIT_ORDER = ("low", "medium", "high", "all", "dev", "practice", "this run")
METRIC_LABELS = {"any_medal": "Any medal", "gold_medal": "Gold", "silver_medal": "Silver",
                 "bronze_medal": "Bronze", "above_median": "Above median",
                 "valid_submission": "Valid submission", "submission_exists": "Submission made"}

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.warn{background:#fff3cd;padding:.5rem 1rem;border:1px solid #e0c36a}
.status-completed{color:#1a7f37}.status-crashed,.status-killed-for-memory{color:#cf222e}
.status-timed-out{color:#9a6700}figure{display:inline-block;margin:0 1rem 1rem 0}
#bundle-status td,#bundle-status th{text-align:left;vertical-align:top}
#bundle-status td:nth-child(3),#bundle-status td:last-child{overflow-wrap:anywhere}
#bundle-status td:nth-child(2){white-space:nowrap}#bundle-status td:nth-child(3){max-width:18rem}
#bundle-status ul{margin:0;padding-left:1.2rem}
"""


def _svg(fig) -> str:
    import matplotlib.pyplot as plt  # heavy: loaded when a report is drawn, not at start-up

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def medal_plot(report: dict[str, Any]) -> str:
    import matplotlib  # heavy, and the Agg backend must be chosen before pyplot loads

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: matplotlib is slow to import, only plots need it

    names = [n for n in SPLIT_ORDER if n in report["splits"]]
    means = [report["splits"][n]["metrics"]["any_medal"]["mean"] for n in names]
    sems = [report["splits"][n]["metrics"]["any_medal"]["sem"] for n in names]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(names, means, yerr=sems, capsize=4, color="#d4a017")
    ax.set_ylabel("Any medal (%)")
    ax.set_ylim(0, max(100, *(m + s for m, s in zip(means, sems, strict=True))))
    ax.set_title("Medal rate per split (mean ± SEM over seeds)")
    return _svg(fig)


def competition_plot(cid: str, entry: dict[str, Any]) -> str:
    """Seeds' scores against the human leaderboard's distribution and medal lines."""
    import matplotlib  # heavy, and the Agg backend must be chosen before pyplot loads

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: matplotlib is slow to import, only plots need it

    scores = _leaderboard_scores(cid)
    fig, ax = plt.subplots(figsize=(5, 2.4))
    if scores is not None and len(scores):
        ax.hist(scores, bins=40, color="#9ecae1", label="leaderboard teams")
    colors = {"gold": "#d4a017", "silver": "#8c8c8c", "bronze": "#a0522d", "median": "#444"}
    for name, value in (entry.get("thresholds") or {}).items():
        if value is not None:
            ax.axvline(value, color=colors[name], linestyle="--", linewidth=1, label=name)
    for seed, s in entry["seeds"].items():
        if s["score"] is not None:
            ax.axvline(s["score"], color="#cf222e", linewidth=2)
            ax.annotate(f"seed {seed}", (s["score"], ax.get_ylim()[1] * 0.9), fontsize=7,
                        color="#cf222e", rotation=90, va="top")
    ax.set_title(cid, fontsize=9)
    if ax.get_legend_handles_labels()[0]:  # no medal thresholds (e.g. synthetic data): no legend
        ax.legend(fontsize=6, loc="best")
    return _svg(fig)


def _leaderboard_scores(cid: str):
    try:
        df, _ = load_leaderboard(Registry().get_competition(cid))
        return df["score"].dropna().to_numpy()
    except Exception:
        return None


def _link(path: Path, base: Path) -> str:
    return html.escape(os.path.relpath(path, base))


def _bundles_html(bundles: list[dict[str, Any]]) -> list[str]:
    """The bundle verification section: status, signer key fingerprint, failing checks."""
    e = html.escape
    if not bundles:
        return []
    parts = ["<h2>Result bundle</h2><table id='bundle-status'><tr><th>bundle</th><th>status</th>"
             "<th>signer key (sha256)</th><th>checks</th><th>failing checks</th></tr>"]
    for b in bundles:
        ok = b["status"] == "verified"
        failing = "".join(f"<li><b>{e(c['name'])}</b>: {e(c['detail'])}</li>" for c in b["failed"])
        failing = f"<ul>{failing}</ul>" if failing else ""
        scope = "re-graded" if b.get("regraded") else "not re-graded"
        parts.append(f"<tr><td>{e(Path(b['path']).name)}</td><td class='status-"
                     f"{'completed' if ok else 'crashed'}'><b>{'VERIFIED' if ok else 'FAILED'}</b>"
                     f"</td><td><code>{e(str(b.get('signer_fingerprint') or 'unknown'))}</code></td>"
                     f"<td>{b['checks']} ({scope})</td><td>{failing or '-'}</td></tr>")
    parts.append("</table>")
    return parts


def _environment_html(env: dict[str, Any]) -> str:
    """Which environment every run used: profile, variant, hashes, agent layers, GPU stack."""
    e = html.escape
    if env.get("label", "unrecorded") == "unrecorded":
        return "<p id='environment' class='warn'>Environment: not recorded (older runs).</p>"
    layers = "; ".join(", ".join(f"{k}=={v}" for k, v in (layer.get("packages") or {}).items())
                       + (f" (overrides {', '.join(layer['overrides'])})"
                          if layer.get("overrides") else "") for layer in env.get("layers", []))
    gpu = "; ".join(f"driver {g.get('driver')}, CUDA {g.get('cuda_driver_api')}"
                    for g in env.get("gpu_stacks", []))
    return (f"<p id='environment'>Environment: <b>{e(str(env.get('profile')))}</b> "
            f"({e(str(env.get('variant')))}), Python {e(str(env.get('python_version') or env.get('python')))}, hash "
            f"<code>{e(str(env.get('hash')))}</code>, lock sha256 "
            f"<code>{e(str(env.get('lock_sha256')))}</code>"
            + (f" · agent layer: {e(layers)}" if layers else "")
            + (f" · GPU: {e(gpu)}" if gpu else "") + "</p>")


def render_html(report: dict[str, Any], link_base: Path) -> str:
    e = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>mlebench report</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>mlebench report</h1><p>Agents: {e(', '.join(report['agents']))} · seeds: "
             f"{report['seeds']} · created {e(report['created_at'])}</p>",
             _environment_html(report.get("environment") or {})]
    if report.get("variants", ["v1"]) != ["v1"]:
        parts.append(f"<p class='warn'><b>Data variants: {e(', '.join(report['variants']))}.</b> "
                     "v2 removes known leaks; never compare it with v1 results.</p>")
    if report["synthetic_data"]:
        parts.append("<p class='warn'><b>Synthetic data.</b> Some runs used synthetic fixtures: "
                     "their scores are smoke tests, never comparable with Kaggle.</p>")
    parts += _bundles_html(report.get("bundles") or [])
    parts.append("<h2>Splits</h2><table id='split-table'><tr><th>split</th><th>competitions</th>"
                 + "".join(f"<th>{e(v)} (%)</th>" for v in METRIC_LABELS.values())
                 + "<th>missing runs</th></tr>")
    for name in [n for n in SPLIT_ORDER if n in report["splits"]] + \
            [n for n in report["splits"] if n not in SPLIT_ORDER]:
        s = report["splits"][name]
        cells = "".join(f"<td>{s['metrics'][k]['mean']:.1f} ± {s['metrics'][k]['sem']:.1f}</td>"
                        for k in METRIC_LABELS)
        parts.append(f"<tr><td>{e(name)}</td><td>{len(s['competitions'])}</td>{cells}"
                     f"<td>{s['runs_missing']}</td></tr>")
    parts.append("</table>")
    first = report["splits"].get("this run") or next(iter(report["splits"].values()))
    parts.append("<p>pass@k (any medal, %): " + ", ".join(
        f"pass@{k}={v:.1f}" for k, v in first["pass_at_k"].items()) + "</p>")
    parts.append(f"<figure id='medal-plot'>{medal_plot(report)}</figure>")
    parts.append("<h2>Competitions</h2>")
    for cid, entry in sorted(report["competitions"].items()):
        parts.append(f"<figure class='competition-plot'>{competition_plot(cid, entry)}</figure>")
    parts.append("<h2>Runs</h2><table id='runs-table'><tr><th>run</th><th>status</th><th>score</th>"
                 "<th>medal</th><th>valid</th><th>duration (s)</th><th>validation calls</th>"
                 "<th>logs</th></tr>")
    for cid, entry in sorted(report["competitions"].items()):
        for seed in range(report["seeds"]):
            if seed not in entry["seeds"]:
                parts.append(f"<tr><td>{e(cid)} seed {seed}</td><td class='status-crashed'>missing"
                             "</td><td colspan='6'>no run: counted as no medal</td></tr>")
        for seed, s in sorted(entry["seeds"].items()):
            rd = RunFolder(Path(s["run_dir"]))
            status = s["status"] or "missing"
            links = " ".join(f"<a href='{_link(rd / f, link_base)}'>{f}</a>"
                             for f in (RunFolder.STDOUT, RunFolder.STDERR, RunFolder.METADATA,
                                       RunFolder.FINDINGS, RunFolder.JUDGE, RunFolder.PLAGIARISM)
                             if rd.has_file(f))  # never a link
            dur = f"{s['duration_s']:.1f}" if s["duration_s"] is not None else "-"
            flags = s.get("integrity") or {}
            if flags.get("flagged"):
                why = [w for w, key in (("rules", "violations"), ("judge", "judge_violation"),
                                        ("plagiarism", "plagiarism")) if flags.get(key)]
                status += f" · FLAGGED ({', '.join(why)})"
            parts.append(f"<tr><td>{e(cid)} seed {seed}</td><td class='status-{e(status)}'>"
                         f"{e(status)}</td><td>{e(str(s['score']))}</td><td>{e(str(s['medal'] or '-'))}"
                         f"</td><td>{e(str(s['valid']))}</td><td>{dur}</td>"
                         f"<td>{e(str(s['validation_calls']))}</td><td>{links}</td></tr>")
    parts.append("</table>")
    parts += _resources_html(report["resources"])
    parts.append("</body></html>")
    return "\n".join(parts)


def _resources_html(res: dict[str, Any]) -> list[str]:
    """Totals, then the limits and the hardware as tables (one column per distinct setting)."""
    e = html.escape
    statuses = ", ".join(f"{e(str(k))}: {v}" for k, v in sorted(res["statuses"].items(),
                                                               key=lambda kv: str(kv[0])))
    rows = [("runs", str(res["runs"])), ("total time", f"{res['total_hours']:.2f} h"),
            ("mean run duration", f"{res['mean_duration_s']:.1f} s"),
            ("max peak memory", _value("max_peak_memory_bytes", res.get("max_peak_memory_bytes"))),
            ("statuses", statuses or "-")]
    parts = ["<h2>Resources</h2><table id='resources-table'>"
             + "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"]
    for title, sets, table_id in (("Limits", res["limits"], "limits-table"),
                                  ("Hardware", res["hardware"], "hardware-table")):
        sets = [s for s in sets if isinstance(s, dict)]
        if not sets:
            continue
        keys = sorted({k for s in sets for k in s})
        head = "".join(f"<th>{'value' if len(sets) == 1 else f'set {i + 1}'}</th>"
                       for i in range(len(sets)))
        body = "".join(f"<tr><td>{e(k)}</td>"
                       + "".join(f"<td>{e(_value(k, s.get(k)))}</td>" for s in sets) + "</tr>"
                       for k in keys)
        parts.append(f"<h3>{title}</h3><table id='{table_id}'><tr><th>setting</th>{head}</tr>"
                     f"{body}</table>")
    return parts


def _value(key: str, value: Any) -> str:
    """A readable cell: sizes in GiB, lists joined, nothing as '-'."""
    if value is None or value == [] or value == {}:
        return "-"
    if key.endswith("_bytes") and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value / 2**30:.1f} GiB"
    if isinstance(value, list | tuple):
        return ", ".join(_value("", v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(str(k), v)}" for k, v in value.items())
    return str(value)
