"""The built-in agents through `mlebench run` on the offline practice competitions: the dummy
submits the sample, the baseline makes valid submissions that beat it."""

import json

import pytest

from mlebench.cli import main
from mlebench.grade import grade_csv
from mlebench.registry import Registry
from tests._sandbox import requires_sandbox

PRACTICE = Registry().get_split("practice")



pytestmark = [requires_sandbox, pytest.mark.usefixtures("lite_env")]


@pytest.fixture
def practice_data(data_dir, capsys):
    assert main(["prepare", "--split", "practice", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    return data_dir


def test_agents_list(capsys):
    assert main(["agents"]) == 0
    out = capsys.readouterr().out
    assert "dummy" in out and "baseline" in out and "aide" in out


def test_baseline_beats_sample_on_every_practice_competition(practice_data, tmp_path, capsys):
    group = tmp_path / "baseline"
    code = main(["run", "--agent", "baseline", "--split", "practice", "--time-limit", "300s",
                 "--run-dir", str(group), "--data-dir", str(practice_data)])
    capsys.readouterr()
    assert code == 0
    reg = Registry(practice_data)
    for cid in PRACTICE:
        rd = group / f"{cid}_seed0"
        report = json.loads((rd / "grading_report.json").read_text())
        comp = reg.get_competition(cid)
        sample = grade_csv(comp.sample_submission, comp)
        assert report["valid_submission"], (rd / "agent.stdout.log").read_text()
        better = (report["score"] < sample.score) if comp.lower_is_better else (report["score"] > sample.score)
        assert better, f"{cid}: baseline {report['score']} vs sample {sample.score}"
        assert json.loads((rd / "metadata.json").read_text())["validation"]["calls"] >= 1
