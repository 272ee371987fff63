"""`mlebench run` end to end: sandboxed runs, host grading, resumable run groups."""

import json
import os
import shutil
import textwrap

import pytest

from mlebench.cli import main

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

CID = "spaceship-titanic"


@pytest.fixture
def prepared(prepare_synthetic, data_dir):
    prepare_synthetic(CID)
    return data_dir


def run_cli(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr()


def test_dummy_three_seeds_then_resume(capsys, prepared, tmp_path, backend):
    group = tmp_path / "group"
    argv = ["run", "--agent", "dummy", "--competition", CID, "--seeds", "3", "--time-limit", "60s",
            "--run-dir", str(group), "--data-dir", str(prepared), "--workers", "2", *backend]
    code, cap = run_cli(capsys, *argv)
    assert code == 0, cap.err
    runs = sorted(p for p in group.iterdir() if p.is_dir())
    assert [p.name for p in runs] == [f"{CID}_seed{i}" for i in range(3)]
    for rd in runs:
        meta = json.loads((rd / "metadata.json").read_text())
        assert meta["status"] == "completed" and meta["exit_code"] == 0
        for key in ("agent", "limits", "network_policy", "hardware", "packages", "data",
                    "started_at", "ended_at", "enforcement", "mounts", "validation"):
            assert key in meta
        assert meta["hardware"]["cpu_model"] and meta["hardware"]["memory_bytes"] > 0
        assert meta["validation"]["calls"] == 1 and meta["validation"]["valid"] == 1
        report = json.loads((rd / "grading_report.json").read_text())
        assert report["valid_submission"] and report["graded_at"] >= meta["ended_at"]
        assert not any("private" in m["source"] for m in meta["mounts"])
        assert (rd / "submission" / "submission.csv").is_file()
        calls = (rd / "validation_calls.jsonl").read_text().splitlines()
        assert json.loads(calls[0])["valid"] is True
    first = (runs[0] / "metadata.json").read_text()
    # Resume: finished runs are kept; an interrupted one (no final metadata) runs again.
    (runs[1] / "metadata.json").unlink()
    code, cap = run_cli(capsys, *argv)
    assert code == 0
    assert (runs[0] / "metadata.json").read_text() == first
    assert json.loads((runs[1] / "metadata.json").read_text())["status"] == "completed"
    assert json.loads((runs[1] / "metadata.json").read_text())["attempt"] == 1


def test_user_agent_spec_args_and_secrets(capsys, prepared, tmp_path, monkeypatch, backend):
    agent_dir = tmp_path / "myagent"
    agent_dir.mkdir()
    (agent_dir / "main.py").write_text(textwrap.dedent("""
        import os, sys, shutil, glob
        print("ARGS", sys.argv[1:])
        print("KEY_LEN", len(os.environ.get("MY_KEY", "")))
        shutil.copy(glob.glob("/home/data/sample_submission.csv")[0], "/home/submission/submission.csv")
    """))
    (agent_dir / "agent.yaml").write_text(textwrap.dedent("""
        name: mine
        command: ["python3", "/home/agent/main.py"]
        files: .
        env: {MY_KEY: "${SECRET_FOR_TEST}"}
        args: {steps: 3}
    """))
    monkeypatch.setenv("SECRET_FOR_TEST", "sk-very-secret-value")
    group = tmp_path / "g"
    code, cap = run_cli(capsys, "run", "--agent", str(agent_dir / "agent.yaml"), "-c", CID,
                        "--time-limit", "60s", "--run-dir", str(group), "--data-dir", str(prepared),
                        "--agent-arg", "steps=5", "--agent-arg", "mode=fast", "--env", "lite",
                        *backend)
    assert code == 0, cap.err
    rd = group / f"{CID}_seed0"
    out = (rd / "agent.stdout.log").read_text()
    assert "--steps=5" in out and "--mode=fast" in out
    assert "KEY_LEN 20" in out
    for path in group.rglob("*"):
        if path.is_file():
            assert b"sk-very-secret-value" not in path.read_bytes(), path


def test_unprepared_competition_is_refused(capsys, data_dir, tmp_path):
    code, cap = run_cli(capsys, "run", "--agent", "dummy", "-c", CID, "--run-dir",
                        str(tmp_path / "g"), "--data-dir", str(data_dir))
    assert code == 2 and "Not prepared" in cap.err


def test_unknown_agent(capsys, prepared, tmp_path):
    code, cap = run_cli(capsys, "run", "--agent", "nope", "-c", CID, "--data-dir", str(prepared))
    assert code == 2 and "Unknown agent" in cap.err


def test_unsafe_no_sandbox_is_recorded(capsys, prepared, tmp_path):
    if not shutil.which("python3"):
        pytest.skip("no python3 on PATH")
    group = tmp_path / "g"
    code, cap = run_cli(capsys, "run", "--agent", "dummy", "-c", CID, "--time-limit", "60s",
                        "--run-dir", str(group), "--data-dir", str(prepared), "--unsafe-no-sandbox")
    meta = json.loads((group / f"{CID}_seed0" / "metadata.json").read_text())
    assert "UNSAFE" in meta["sandbox"]
    assert os.environ.get("MLEBENCH_OFFLINE") == "1"


def test_grade_works_on_a_run_group(capsys, prepared, tmp_path, backend):
    group = tmp_path / "g"
    assert main(["run", "--agent", "dummy", "-c", CID, "--seeds", "2", "--time-limit", "60s",
                 "--run-dir", str(group), "--data-dir", str(prepared), *backend]) == 0
    report = group / f"{CID}_seed1" / "grading_report.json"
    before = json.loads(report.read_text())
    code, cap = run_cli(capsys, "grade", "--run-group", str(group), "--data-dir", str(prepared))
    assert code == 0 and "2 graded" in cap.out
    after = json.loads(report.read_text())
    assert after["score"] == before["score"] and after["graded_at"] > before["graded_at"]
    summary = json.loads(next((group / "_grading").glob("*_grading_report.json")).read_text())
    assert summary["total_runs"] == 2 and summary["total_valid_submissions"] == 2
    # The summary is the runs' own new reports (each graded once, its intake record kept).
    assert [r["graded_at"] for r in summary["competition_reports"]] == [
        json.loads((group / f"{CID}_seed{s}" / "grading_report.json").read_text())["graded_at"]
        for s in (0, 1)]
    assert all(r["submission_intake"]["status"] == "regular" for r in summary["competition_reports"])
