"""Machine-readable output is always valid JSON, and hostile submissions never hang or flood the
CLI: long notes at COLUMNS=20, piped, on a terminal, a 5 MB cell, rich markup in agent data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mlebench.cli import main
from tests.cli_helpers import cli_env, looks_real, run_on_terminal, run_piped

CID = "spaceship-titanic"
HUGE = 5_000_000  # characters in one cell (rich needed minutes to lay out 50 MB of it)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """spaceship-titanic prepared, then marked as real data: offline, its grading report carries
    a long note (no leaderboard) as on every real competition without the network."""
    data = tmp_path_factory.mktemp("cli-output") / "data"
    assert main(["prepare", "-c", CID, "--synthetic", "--data-dir", str(data)]) == 0
    looks_real(data, CID)
    return data


@pytest.fixture
def sample(prepared: Path) -> Path:
    return prepared / CID / "prepared/public/sample_submission.csv"


def _submission(sample: Path, path: Path, row: int, column: str, value: str) -> Path:
    df = pd.read_csv(sample, dtype=str)
    df.loc[row, column] = value
    df.to_csv(path, index=False)
    return path


def test_grade_sample_json_with_a_long_note_parses_piped_and_on_a_terminal(prepared, sample):
    env = cli_env(prepared, COLUMNS="20")
    piped = run_piped(["grade-sample", str(sample), CID, "--json"], env)
    report = json.loads(piped.stdout)
    note = report["notes"][0]
    assert len(note) > 200 and "not available offline" in note  # longer than the terminal
    assert report["gold_medal"] is None and report["valid_submission"] and piped.returncode == 0
    code, shown = run_on_terminal(["grade-sample", str(sample), CID, "--json"], env)
    assert code == 0 and json.loads(shown) == {**report, "created_at": json.loads(shown)["created_at"]}


@pytest.mark.parametrize("argv", [
    ["list", "--json"], ["agents", "--json"], ["validate", "{sample}", CID, "--json"],
])
def test_every_json_verb_prints_only_json_on_a_narrow_terminal(prepared, sample, argv):
    argv = [a.replace("{sample}", str(sample)) for a in argv]
    code, shown = run_on_terminal(argv, cli_env(prepared, COLUMNS="20"))
    assert code == 0
    json.loads(shown)


def test_grade_json_and_report_json_in_process(prepared, sample, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text(json.dumps({"competition_id": CID, "submission_path": str(sample)}) + "\n")
    code = main(["grade", "--submission", str(jsonl), "--output", str(tmp_path / "out"), "--json",
                 "--data-dir", str(prepared)])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["total_runs"] == 1 and Path(summary["report_path"]).is_file()
    assert len(summary["competition_reports"][0]["notes"][0]) > 200

    from tests.reporting.conftest import make_group

    group = make_group(tmp_path / "runs")
    assert main(["report", str(group), "--output", str(tmp_path / "report"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["agents"] == ["fake"] and Path(report["files"]["markdown"]).is_file()


def test_a_huge_cell_is_quoted_as_a_bounded_excerpt_everywhere(prepared, sample, tmp_path, capsys):
    bad_value = _submission(sample, tmp_path / "value.csv", 3, "Transported", "y" * HUGE)
    bad_id = _submission(sample, tmp_path / "id.csv", 3, "PassengerId", "x" * HUGE)
    shown = run_piped(["grade-sample", str(bad_value), CID, "--json"], cli_env(prepared))
    reason = json.loads(shown.stdout)["invalid_reason"]
    assert shown.returncode == 1 and len(reason) < 400
    assert re.search(r"… \(5,000,00\d characters\)", reason)  # (a repr adds quotes)
    data = ["--data-dir", str(prepared)]
    for path in (bad_value, bad_id):
        assert main(["grade-sample", str(path), CID, "--json", *data]) == 1
        assert len(json.loads(capsys.readouterr().out)["invalid_reason"]) < 400
        assert main(["grade-sample", str(path), CID, *data]) == 1  # the table
        table = capsys.readouterr().out
        assert len(table) < 10_000 and "characters)" in table
        assert main(["validate", str(path), CID, *data]) == 1
        check = capsys.readouterr().out
        assert len(check) < 1_000 and "invalid" in check
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text(json.dumps({"competition_id": CID, "submission_path": str(bad_id)}) + "\n"
                     + json.dumps({"competition_id": "z" * HUGE, "submission_path": "a.csv"}) + "\n")
    assert main(["grade", "--submission", str(jsonl), "--output", str(tmp_path / "out"), *data]) == 1
    printed = capsys.readouterr()
    assert len(printed.out + printed.err) < 10_000 and "Unknown competition id 'zzz" in printed.err
    saved = next((tmp_path / "out").glob("*_grading_report.json"))
    assert saved.stat().st_size < 20_000  # not 5 MB of the submission


def test_rich_markup_in_agent_data_is_printed_as_text(prepared, sample, tmp_path, capsys):
    path = _submission(sample, tmp_path / "markup.csv", 0, "PassengerId", "[/red][bold]x")
    code = main(["grade-sample", str(path), CID, "--data-dir", str(prepared)])
    out = capsys.readouterr().out
    assert code == 1 and "[/red][bold]x" in out
    code = main(["validate", str(path), CID, "--data-dir", str(prepared)])
    assert code == 1 and "[/red][bold]x" in capsys.readouterr().out
    code = main(["grade-sample", str(sample), "[/nope]", "--data-dir", str(prepared)])
    err = capsys.readouterr().err
    assert code == 2 and "Unknown competition id '[/nope]'" in err


def test_run_json_and_its_exit_code(prepared, tmp_path, capsys, lite_env):
    """A run whose agent submits nothing is a result (exit 1, like an invalid submission)."""
    if not shutil.which("python3"):
        pytest.skip("no python3 on PATH")
    agent = tmp_path / "idle" / "agent.yaml"
    agent.parent.mkdir()
    agent.write_text('name: idle\ncommand: ["python3", "-c", "print(1)"]\nenv_profile: lite\n')
    base = ["-c", CID, "--time-limit", "60s", "--unsafe-no-sandbox", "--json",
            "--data-dir", str(prepared)]
    assert main(["run", "--agent", "dummy", "--run-dir", str(tmp_path / "a"), *base]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [r["status"] for r in runs] == ["completed"] and runs[0]["grading"]["valid_submission"]
    assert main(["run", "--agent", str(agent), "--run-dir", str(tmp_path / "b"), *base]) == 1
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert runs[0]["status"] == "completed" and runs[0]["grading"]["valid_submission"] is False
