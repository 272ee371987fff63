"""Aggregation against hand-computed means, SEMs and pass@k on fixed inputs (with a missing run)."""

import math

import pytest

from mlebench.aggregation import mean_sem, pass_at_k
from mlebench.reporting.report import build_report, markdown_table


def test_mean_sem_and_pass_at_k_formulas():
    s = mean_sem([50.0, 0.0, 100.0])
    assert s.mean == 50.0 and s.sem == pytest.approx(50 / math.sqrt(3))
    assert mean_sem([40.0]).sem == 0.0
    assert pass_at_k(3, 2, 1) == pytest.approx(2 / 3)
    assert pass_at_k(3, 1, 2) == pytest.approx(2 / 3)  # 1 - C(2,2)/C(3,2)
    assert pass_at_k(3, 0, 3) == 0.0 and pass_at_k(3, 1, 3) == 1.0


def test_split_aggregation_by_hand(group):
    r = build_report([group])
    run = r["splits"]["this run"]
    # any medal per seed: seed0 1/2, seed1 0/2 (B missing), seed2 2/2 -> 50, 0, 100
    assert run["per_seed_any_medal"] == [50.0, 0.0, 100.0]
    assert run["metrics"]["any_medal"]["mean"] == pytest.approx(50.0)
    assert run["metrics"]["any_medal"]["sem"] == pytest.approx(50 / math.sqrt(3))
    assert run["metrics"]["valid_submission"]["mean"] == pytest.approx((50 + 50 + 100) / 3)
    assert run["metrics"]["gold_medal"]["mean"] == pytest.approx(50 / 3)
    assert run["runs_missing"] == 1 and run["runs_present"] == 5
    # pass@k: A has 2/3 medals, B 1/3 -> pass@1 = (2/3 + 1/3)/2, pass@2 = (1 + 2/3)/2
    assert run["pass_at_k"][1] == pytest.approx(50.0)
    assert run["pass_at_k"][2] == pytest.approx(100 * (1 + 2 / 3) / 2)
    assert run["pass_at_k"][3] == pytest.approx(100.0)
    low = r["splits"]["low"]  # 22 competitions; only B ran: seed2 medal -> 1/22
    assert low["metrics"]["any_medal"]["mean"] == pytest.approx(100 / 22 / 3)
    assert low["runs_missing"] == 22 * 3 - 2
    assert "dev" in r["splits"] and "medium" not in r["splits"]
    comp = r["competitions"]["spaceship-titanic"]
    assert comp["best"] == 0.95 and comp["medals"] == {"gold": 1, "silver": 0, "bronze": 1}
    assert set(r["categories"]) == {"Tabular", "Image Classification"}


def test_markdown_table(group):
    md = markdown_table(build_report([group]))
    assert "| Agent | Environment | Low (%) |" in md and "| fake | unrecorded |" in md
    assert "1.5 ± 1.5" in md  # low: mean 100/66 = 1.52, sem the same (one nonzero seed of 3)
    assert "Missing runs" in md


def test_flagged_runs_are_marked_never_dropped(group):
    import json

    rd = group / "spaceship-titanic_seed0"
    (rd / "integrity_findings.json").write_text(json.dumps({"findings": [
        {"rule": "no-test-labels", "severity": "violation", "message": "read private answers"}]}))
    report = build_report([group])
    seed = report["competitions"]["spaceship-titanic"]["seeds"][0]
    assert seed["integrity"]["flagged"] and seed["medal"] == "gold"  # kept, marked
    assert report["splits"]["this run"]["metrics"]["any_medal"]["mean"] == pytest.approx(50.0)
    assert "Flagged by integrity checks" in markdown_table(report)
    assert "spaceship-titanic seed 0" in markdown_table(report)


def _set_env(group, run: str, env: dict) -> None:
    import json

    path = group / run / "metadata.json"
    meta = json.loads(path.read_text())
    meta["environment"] = env
    path.write_text(json.dumps(meta))


def test_runs_from_different_environments_are_never_one_row(group, tmp_path):
    import json
    import shutil

    from mlebench.errors import MLEBenchError

    lite = {"profile": "lite", "variant": "cpu", "hash": "e1ab" + "0" * 60, "lock_sha256": "1" * 64,
            "python": "3.11.7", "platform": "x86_64-manylinux_2_28", "layer": None,
            "gpu_stack": {"driver": "550.54", "cuda_driver_api": "12.4", "gpus": ["H100"]}}
    runs = [p.name for p in group.iterdir()]
    for run in runs:
        _set_env(group, run, lite)
    report = build_report([group])
    assert report["environment"]["label"] == "lite/cpu e1ab00000000"
    assert report["environment"]["gpu_stacks"] == [lite["gpu_stack"]]
    assert "| fake | lite/cpu e1ab00000000 |" in markdown_table(report)
    # A second group in the reference environment: one report would mix them; refused.
    other = tmp_path / "other"
    shutil.copytree(group, other)
    for run in runs:
        _set_env(other, run, {**lite, "profile": "reference", "hash": "007b" + "0" * 60})
    with pytest.raises(MLEBenchError, match=r"different environments: lite/cpu e1ab00000000 .*"
                       r"reference/cpu 007b00000000"):
        build_report([group, other])
    # One run without a recorded environment is a different environment too.
    meta = json.loads((other / runs[0] / "metadata.json").read_text())
    del meta["environment"]
    (other / runs[0] / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(MLEBenchError, match="unrecorded"):
        build_report([other])


def test_split_memberships_are_the_touched_splits_plus_this_run():
    from mlebench.aggregation import split_memberships
    from mlebench.errors import MLEBenchError

    def get_split(name):
        if name == "dev":
            raise MLEBenchError("no such split")
        return {"low": ["a", "b"], "medium": ["c"]}.get(name, ["a", "c"])

    splits = split_memberships(["c", "a", "a"], get_split)
    assert list(splits) == ["low", "medium", "high", "all", "practice", "this run"]
    assert splits["low"] == ["a", "b"] and splits["this run"] == ["a", "c"]
    assert list(split_memberships(["z"], get_split)) == ["this run"]
