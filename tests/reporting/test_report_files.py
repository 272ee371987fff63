"""report.md names its headline metric and lists every competition and seed; report.html shows
resources as tables."""

from __future__ import annotations

import json

from mlebench.reporting.report import write_report


def test_report_md_names_the_metric_and_has_per_competition_rows(group, tmp_path):
    md = write_report([group], tmp_path / "out")["markdown"].read_text()
    assert "**Any Medal (%)**" in md and "mean ± SEM over 3 seed(s)" in md
    rows = [line for line in md.splitlines() if line.startswith(("| spaceship", "| aerial"))]
    assert len(rows) == 6  # 2 competitions x 3 seeds, the missing run included
    # score, medal, then the distance to gold/silver/bronze/median (0.95/0.92/0.9/0.8)
    assert "| spaceship-titanic | 1 | 0.7 | - | -0.25 | -0.22 | -0.2 | -0.1 |" in rows
    assert "| spaceship-titanic | 0 | 0.95 | gold | +0 | +0.03 | +0.05 | +0.15 |" in rows
    assert "| aerial-cactus-identification | 1 | - | missing run (no medal) |" in md
    assert "| aerial-cactus-identification | 0 | - | invalid |" in md


def test_lower_is_better_distances_count_reaching_as_positive(group, tmp_path):
    rd = group / "spaceship-titanic_seed1"
    report = json.loads((rd / "grading_report.json").read_text())
    report.update(is_lower_better=True, score=0.85)  # gold at 0.95: reached, by 0.1
    (rd / "grading_report.json").write_text(json.dumps(report))
    for seed in (0, 2):
        path = group / f"spaceship-titanic_seed{seed}" / "grading_report.json"
        path.write_text(json.dumps({**json.loads(path.read_text()), "is_lower_better": True}))
    md = write_report([group], tmp_path / "out")["markdown"].read_text()
    assert "| spaceship-titanic | 1 | 0.85 | - | +0.1 | +0.07 | +0.05 | -0.05 |" in md


def test_report_html_resources_are_tables_not_python_reprs(group, tmp_path):
    page = write_report([group], tmp_path / "out")["html"].read_text()
    resources = page[page.index("<h2>Resources"):]
    assert "id='resources-table'" in resources and "id='limits-table'" in resources
    assert "<td>time_limit_s</td><td>60</td>" in resources
    assert "<td>cpu_model</td><td>x</td>" in resources and "completed: 5" in resources
    assert "{'" not in resources and "{&#x27;" not in resources and "[{" not in resources
