"""The leak registry and the v2 data variant."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from mlebench.data.leaks import (
    LEAKS_FILE,
    label_leaking_competitions,
    leaks_for,
    load_leaks,
    v2_fixes,
    v2_prepare,
    v2_supported,
)
from mlebench.errors import UnknownCompetitionError
from mlebench.registry import Registry

REQUIRED = {
    "multi-modal-gesture-recognition": "test-mat-video-labels",
    "smartphone-decimeter-2022": "test-span-log-nmea",
    "hubmap-kidney-segmentation": "test-annotation-json",
    "random-acts-of-pizza": "giver-username-if-known",
    "dog-breed-identification": "stanford-dogs",
    "tensorflow-speech-recognition-challenge": "speech-commands-public",
}


def test_required_leaks_present() -> None:
    leaks = load_leaks()
    for cid, leak_id in REQUIRED.items():
        entry = {lk.id: lk for lk in leaks[cid]}[leak_id]
        assert entry.leaks_labels, cid
    assert set(REQUIRED) <= set(label_leaking_competitions())


def test_every_id_is_a_registry_id_and_entries_complete() -> None:
    known = set(Registry().list_competition_ids())
    leaks = load_leaks()
    assert set(leaks) <= known, set(leaks) - known
    for cid, entries in leaks.items():
        assert entries, cid
        for lk in entries:
            assert lk.source and all(s.strip() for s in lk.source), (cid, lk.id)
            assert lk.effect.strip() and lk.affected and lk.v2_fix.strip(), (cid, lk.id)
            for s in lk.source:
                assert s.startswith(("https://", "reference ", "task card notes")), s


def test_handlers_match_registry_entries() -> None:
    leaks = load_leaks()
    for cid in v2_supported():
        assert any(lk.v2_status == "implemented" for lk in leaks[cid]), cid
        # Each fix in competitions/<id>/v2.py names a leak of that competition.
        assert set(v2_fixes(cid)) <= {lk.id for lk in leaks[cid]}, cid
    assert v2_fixes("spaceship-titanic") == {}


def test_leaks_for() -> None:
    assert [lk.id for lk in leaks_for("random-acts-of-pizza")] == ["giver-username-if-known"]
    assert leaks_for("spaceship-titanic") == []
    with pytest.raises(UnknownCompetitionError):
        leaks_for("no-such-competition")


def test_invalid_registry_rejected(tmp_path: Path) -> None:
    from pydantic import ValidationError

    bad = tmp_path / "leaks.yaml"
    bad.write_text("spaceship-titanic:\n  - id: x\n    kind: test-label-leak\n    summary: s\n"
                   "    source: []\n    effect: e\n    affected: [f]\n    v2_fix: f\n"
                   "    v2_status: planned\n    reproduced: false\n")
    with pytest.raises(ValidationError):
        load_leaks(bad)
    assert LEAKS_FILE.is_file()


def _md5s(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_v2_pizza_on_synthetic_fixture(tmp_path: Path) -> None:
    comp = Registry(tmp_path / "data").get_competition("random-acts-of-pizza")
    from mlebench.data import prepare_competition

    prepare_competition(comp, synthetic=True, seed=0, force=True)
    v1 = _md5s(comp.prepared_dir)
    v1_test = json.loads((comp.public_dir / "test.json").read_text())
    assert any(r["giver_username_if_known"] != "N/A" for r in v1_test)  # the leak is there in v1

    copy = tmp_path / "v2" / "prepared"
    shutil.copytree(comp.prepared_dir, copy)
    result = v2_prepare(comp, copy / "public")
    assert result.changed and result.unfixed == []
    changed = {(c.action, c.path, c.detail) for c in result.changes}
    assert ("removed-field", "public/test.json", "giver_username_if_known") in changed
    assert ("removed-field", "public/train.json", "giver_username_if_known") in changed
    assert ("removed-field", "public/train.json", "requester_user_flair") in changed
    assert _md5s(comp.prepared_dir) == v1  # v1 untouched

    test = json.loads((copy / "public" / "test.json").read_text())
    train = json.loads((copy / "public" / "train.json").read_text())
    assert [r["request_id"] for r in test] == [r["request_id"] for r in v1_test]
    assert all("giver_username_if_known" not in r for r in test)
    assert all("giver_username_if_known" not in r and "requester_user_flair" not in r
               for r in train)
    assert all("requester_received_pizza" in r for r in train)  # the label stays in train
    for name in ("test", "train"):
        with zipfile.ZipFile(copy / "public" / f"{name}.zip") as zf:
            assert zf.namelist() == [f"{name}.json"]
            assert zf.read(f"{name}.json") == (copy / "public" / f"{name}.json").read_bytes()
    # Private answers and the sample submission are unchanged; re-applying changes nothing.
    after = _md5s(copy)
    assert after["private/test.csv"] == v1["private/test.csv"]
    assert after["public/sampleSubmission.csv"] == v1["public/sampleSubmission.csv"]
    assert not v2_prepare(comp.id, copy / "public").changed


def test_v2_file_removals(tmp_path: Path) -> None:
    public = tmp_path / "public"
    drive = public / "test" / "2021-01-01-US-A" / "Pixel4"
    drive.mkdir(parents=True)
    (drive / "span_log.nmea").write_text("$GPGGA,...\n")
    (drive / "device_gnss.csv").write_text("a\n")
    res = v2_prepare("smartphone-decimeter-2022", public)
    assert [c.path for c in res.changes] == ["public/test/2021-01-01-US-A/Pixel4/span_log.nmea"]
    assert (drive / "device_gnss.csv").exists() and not (drive / "span_log.nmea").exists()

    hub = tmp_path / "hub" / "public"
    (hub / "test").mkdir(parents=True)
    for name in ("aaa.json", "aaa-anatomical-structure.json", "aaa.tiff"):
        (hub / "test" / name).write_text("{}")
    res = v2_prepare("hubmap-kidney-segmentation", hub)
    assert [c.path for c in res.changes] == ["public/test/aaa.json"]
    assert sorted(p.name for p in (hub / "test").iterdir()) == [
        "aaa-anatomical-structure.json", "aaa.tiff"]


def test_v2_speech_labels_and_unfixed(tmp_path: Path) -> None:
    public, private = tmp_path / "public", tmp_path / "private"
    public.mkdir()
    private.mkdir()
    (private / "test.csv").write_text(
        "fname,label\nclip_00000000.wav,yes\nclip_00000001.wav,bed\n"
        "clip_00000002.wav,_background_noise_\nclip_00000003.wav,go\n")
    res = v2_prepare("tensorflow-speech-recognition-challenge", public)
    assert (private / "test.csv").read_text().splitlines()[1:] == [
        "clip_00000000.wav,yes", "clip_00000001.wav,unknown", "clip_00000002.wav,silence",
        "clip_00000003.wav,go"]
    assert [c.detail for c in res.changes] == ["2 labels mapped to the 12 task classes"]
    assert set(res.unfixed) == {"speech-commands-public", "speakers-not-disjoint"}
    assert v2_prepare("multi-modal-gesture-recognition", public).unfixed == [
        "test-mat-video-labels"]
    assert not v2_prepare("spaceship-titanic", public).changed
