"""A 3-seed dummy run group over the practice competitions produces report.json, the Markdown
table and report.html."""

import json

import pytest

from mlebench.cli import main
from tests._sandbox import requires_sandbox

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")


@requires_sandbox
def test_three_seed_practice_group_report(data_dir, tmp_path, capsys):
    assert main(["prepare", "--split", "practice", "--data-dir", str(data_dir)]) == 0
    group = tmp_path / "group"
    assert main(["run", "--agent", "dummy", "--split", "practice", "--seeds", "3",
                 "--time-limit", "60s", "--workers", "2", "--run-dir", str(group),
                 "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    out_dir = tmp_path / "report"
    assert main(["report", str(group), "--output", str(out_dir)]) == 0
    printed = capsys.readouterr().out
    assert "| Agent |" in printed and "dummy" in printed
    report = json.loads((out_dir / "report.json").read_text())
    practice = report["splits"]["practice"]
    assert practice["runs_present"] == 9 and practice["runs_missing"] == 0
    # The dummy submits sample submissions: valid everywhere, never a medal.
    assert practice["metrics"]["valid_submission"]["mean"] == 100.0
    assert practice["metrics"]["any_medal"]["mean"] == 0.0
    assert set(practice["pass_at_k"]) == {"1", "2", "3"}
    assert (out_dir / "report.md").read_text().startswith("| Agent |")
    html = (out_dir / "report.html").read_text()
    assert "split-table" in html and html.count("<svg") >= 4
    assert "<script src=" not in html and "<link" not in html  # self-contained
