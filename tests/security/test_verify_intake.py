"""`verify` without --data-dir: every graded submission in a bundle was a regular file taken in
through the intake. A bundle from a harness that graded whatever the agent left (a symlink to the
answers included) does not pass."""

from __future__ import annotations

import json

from mlebench.bundles import keygen, make_bundle, verify_bundle
from tests._sandbox import requires_sandbox

pytestmark = requires_sandbox

ATTACK = '''
import os
os.symlink("/home/data/../private/test.csv", "/home/submission/submission.csv")
'''
HONEST = '''
import shutil
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
'''


def _checks(run, tmp_path, name: str) -> dict:
    private, _ = keygen(tmp_path / f"keys-{name}")
    from mlebench.registry import Registry

    registry = Registry(run.meta_data_dir)
    bundle = make_bundle(run.dir.parent, private, tmp_path / f"{name}.tar.gz", registry)
    return {c.name: c for c in verify_bundle(bundle)}


def test_a_refused_submission_is_verified_as_never_graded(hostile_run, tmp_path):
    run = hostile_run(ATTACK)
    check = _checks(run, tmp_path, "attack")[f"{run.dir.name}: submission intake"]
    assert check.ok and "refused" in check.detail and "not graded" in check.detail


def test_a_regular_submission_is_verified_by_its_hash(hostile_run, tmp_path):
    run = hostile_run(HONEST)
    checks = _checks(run, tmp_path, "honest")
    check = checks[f"{run.dir.name}: submission intake"]
    assert check.ok and "regular file" in check.detail
    assert all(c.ok for c in checks.values()), [c for c in checks.values() if not c.ok]


def test_a_report_without_an_intake_record_fails(hostile_run, tmp_path):
    """What a harness that graded links would have produced: no record of the intake."""
    run = hostile_run(HONEST)
    path = run.dir / "grading_report.json"
    report = json.loads(path.read_text())
    del report["submission_intake"]
    path.write_text(json.dumps(report))
    check = _checks(run, tmp_path, "old")[f"{run.dir.name}: submission intake"]
    assert not check.ok and "does not record" in check.detail


def test_a_report_naming_other_bytes_than_the_bundled_submission_fails(hostile_run, tmp_path):
    run = hostile_run(HONEST)
    path = run.dir / "grading_report.json"
    report = json.loads(path.read_text())
    report["submission_intake"]["sha256"] = "0" * 64
    path.write_text(json.dumps(report))
    check = _checks(run, tmp_path, "forged")[f"{run.dir.name}: submission intake"]
    assert not check.ok and "not the one taken in" in check.detail
