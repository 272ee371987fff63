"""The run-folder contract: which folders are runs, what metadata.json says (tolerantly), and
that nothing of a run folder is read through a link."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import mlebench
from mlebench.aggregation import load_runs
from mlebench.errors import MLEBenchError
from mlebench.runtime.run_folder import RunFolder, RunMetadata, run_folders

META = {"run_id": "a_seed0", "competition_id": "a", "seed": 0, "status": "completed",
        "duration_s": 12.5, "agent": {"name": "dummy"}, "validation": {"calls": 3},
        "mounts": [{"source": "/x", "target": "/home/data", "read_only": True}]}


def _run(group: Path, name: str, meta: dict | None = META, report: dict | None = None) -> Path:
    rd = group / name
    rd.mkdir(parents=True)
    if meta is not None:
        (rd / RunFolder.METADATA).write_text(json.dumps(meta))
    if report is not None:
        (rd / RunFolder.GRADING_REPORT).write_text(json.dumps(report))
    return rd


def test_metadata_is_typed_and_tolerant_of_old_and_odd_folders() -> None:
    meta = RunMetadata.parse({**META, "future_field": [1, 2]})
    assert (meta.competition_id, meta.seed, meta.duration_s) == ("a", 0, 12.5)
    assert meta.agent_name == "dummy" and meta.validation_calls == 3 and meta.finished
    assert meta.model_extra == {"future_field": [1, 2]} and meta.invalid_fields == ()
    old = RunMetadata.parse({"competition_id": "a", "seed": 1})  # an older harness's folder
    assert old.environment is None and old.duration_s is None and old.agent_name == "?"
    assert not old.finished and old.validation_calls is None
    # A field of the wrong type is dropped and named; the rest of the run still counts.
    odd = RunMetadata.parse({**META, "seed": "0", "mounts": "everything", "status": 7})
    assert odd.seed is None and odd.mounts is None and odd.status is None
    assert odd.invalid_fields == ("mounts", "seed", "status") and odd.competition_id == "a"
    assert RunMetadata.parse({"seed": True}).seed is None  # not silently coerced to 1


def test_run_folders_lists_real_run_folders_only(tmp_path: Path) -> None:
    group = tmp_path / "group"
    _run(group, "a_seed0")
    _run(group, "a_seed1", meta=None).joinpath("submission").mkdir()
    elsewhere = _run(tmp_path / "elsewhere", "a_seed2")
    (group / "a_seed2").symlink_to(elsewhere)  # a linked run folder is never listed
    linked_meta = _run(group, "a_seed3", meta=None)
    (linked_meta / RunFolder.METADATA).symlink_to(elsewhere / RunFolder.METADATA)
    (group / "notes.txt").write_text("not a run")
    assert [r.name for r in run_folders(group)] == ["a_seed0"]
    assert [r.name for r in run_folders(group, unrecorded=True)] == ["a_seed0", "a_seed1"]
    assert run_folders(tmp_path / "missing") == []


def test_reads_go_through_the_intake(tmp_path: Path) -> None:
    secret = tmp_path / "host-secret.json"
    secret.write_text(json.dumps({**META, "competition_id": "from-the-host"}))
    rd = _run(tmp_path / "group", "a_seed0", meta=None)
    (rd / RunFolder.METADATA).symlink_to(secret)
    run = RunFolder(rd)
    assert run.metadata() is None and run.json(RunFolder.METADATA) is None
    with pytest.raises(MLEBenchError, match=r"^Cannot read .*metadata\.json: .*link"):
        run.require_metadata()
    (rd / RunFolder.METADATA).unlink()
    (rd / RunFolder.METADATA).write_text("[1, 2]")
    with pytest.raises(MLEBenchError, match="not a JSON object"):
        run.require_metadata()


def test_a_run_is_finished_with_a_final_status_and_a_real_grading_report(tmp_path: Path) -> None:
    group = tmp_path / "group"
    done = RunFolder(_run(group, "done", report={"score": 1.0}))
    running = RunFolder(_run(group, "running", {**META, "status": "running"}, {"score": 1.0}))
    ungraded = RunFolder(_run(group, "ungraded"))
    linked = RunFolder(_run(group, "linked"))
    linked.grading_report_path.symlink_to(done.grading_report_path)
    assert done.is_finished() and done.grading_report() == {"score": 1.0}
    assert not running.is_finished() and not ungraded.is_finished()
    assert not linked.is_finished() and linked.grading_report() is None


def test_aggregation_reads_runs_through_the_contract(tmp_path: Path) -> None:
    group = tmp_path / "group"
    _run(group, "a_seed0", report={"gold_medal": True})
    _run(group, "a_seed1", {**META, "seed": "one"})  # no usable seed: not a run of any seed
    _run(group, "b_seed0", {"competition_id": "b", "seed": 0})  # older: few fields
    runs = load_runs([group])
    assert [(r.competition_id, r.seed) for r in runs] == [("a", 0), ("b", 0)]
    assert runs[0].report == {"gold_medal": True} and runs[0].metadata.duration_s == 12.5
    assert runs[1].report is None and runs[1].status is None


def test_no_module_spells_the_run_folder_file_names_but_the_contract() -> None:
    """metadata.json and grading_report.json are named in run_folder.py only (competitions'
    own data files are another matter)."""
    src = Path(mlebench.__file__).parent
    offenders = []
    for path in src.rglob("*.py"):
        rel = path.relative_to(src).as_posix()
        if rel.startswith("competitions/") or rel == "runtime/run_folder.py":
            continue
        text = path.read_text()
        if re.search(r"""["'](metadata|grading_report)\.json["']""", text):
            offenders.append(rel)
    assert offenders == [], f"use RunFolder's names instead in {offenders}"
    assert os.fspath(RunFolder(Path("g/r")) / RunFolder.METADATA) == "g/r/metadata.json"
