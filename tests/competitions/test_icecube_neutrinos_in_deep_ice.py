import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

pytest.importorskip("fastparquet")  # optional dependency: parquet in the same bytes as the reference

CID = "icecube-neutrinos-in-deep-ice"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/test.csv": "7df7e6cfc8765a048220f21cb58d9892",
    "public/sample_submission.csv": "4f832e6011b231daa591358d7ec60a82",
    "public/sensor_geometry.csv": "7d3c6bc032f1872c84b7a3ca9e94bd72",
    "public/test": "13642cfe3b9158aa61ba9d17c3480ef3",
    "public/test_meta.parquet": "76ac535b364daa1045b3fa1a02fc92ae",
    "public/train": "4210c2fd8bc896f634a5e97e84533c06",
    "public/train_meta.parquet": "4fbf8a1823f86957af696ff56716dfad",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train = pd.read_parquet(pub / "train_meta.parquet", engine="fastparquet")
    test = pd.read_parquet(pub / "test_meta.parquet", engine="fastparquet")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (train.batch_id.nunique(), test.batch_id.nunique()) == (18, 2)
    assert "azimuth" not in test.columns and set(train.event_id).isdisjoint(test.event_id)
    assert list(test.event_id) == list(answers.event_id) == list(sample.event_id)
    assert {p.name for p in (pub / "test").iterdir()} == {f"batch_{b}.parquet" for b in test.batch_id.unique()}
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == pytest.approx(0.0, abs=1e-7)
    # Reference grader's raw score on the sample submission.
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(1.5100080443886919, abs=1e-9)
    a = answers
    assert_invalid(comp, {
        "extra-column": a.assign(x=1),
        "no-zenith": a.drop(columns=["zenith"]),
        "short": a.iloc[:-1],
        "nan": a.assign(azimuth=[np.nan, *a.azimuth.iloc[1:]]),
        "inf": a.assign(zenith=[np.inf, *a.zenith.iloc[1:]]),
        "text": a.assign(azimuth=["x", *a.azimuth.iloc[1:]]),
        "unknown-id": a.assign(event_id=[10**9, *a.event_id.iloc[1:]]),
        "duplicate-id": a.assign(event_id=[a.event_id.iloc[1], *a.event_id.iloc[1:]]),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"event_id": [1, 2], "azimuth": [0.0, 1.0], "zenith": [math.pi / 2, 0.5]})
    submission = pd.DataFrame({"event_id": [2, 1], "azimuth": [1.0, math.pi / 2], "zenith": [0.5, math.pi / 2]})
    # Event 1: x axis vs y axis -> pi/2; event 2 exact -> 0. Mean pi/4.
    assert grade_fn(CID)(submission, answers) == pytest.approx(math.pi / 4, abs=1e-7)


def test_streamed_parquet_equals_one_shot_write(tmp_path, monkeypatch):
    """Several input and output row groups: the streamed train_meta.parquet has the bytes that a
    one-shot `to_parquet` of the whole training table writes (the reference's way)."""
    import importlib
    import zipfile

    from fastparquet import writer
    from sklearn.model_selection import train_test_split

    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare")
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    raw = tmp_path / "raw"
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "download", seed=0)) as zf:
        zf.extractall(raw)
    meta = pd.read_parquet(raw / "train_meta.parquet", engine="fastparquet")
    meta.to_parquet(raw / "train_meta.parquet", engine="fastparquet", index=False, row_group_offsets=45)
    monkeypatch.setattr(writer, "ROW_GROUP_SIZE", 37)
    for d in ("public", "private", "expected"):
        (tmp_path / d).mkdir()
    prepare.prepare(raw, tmp_path / "public", tmp_path / "private")

    train_ids, _ = train_test_split(meta["batch_id"].unique(), test_size=0.1, random_state=0)
    train = meta[meta["batch_id"].isin(train_ids)].reset_index(drop=True)
    train.to_parquet(tmp_path / "expected/train.parquet", index=False, engine="fastparquet")
    written = (tmp_path / "public/train_meta.parquet").read_bytes()
    assert written == (tmp_path / "expected/train.parquet").read_bytes()
    assert len(pd.read_parquet(tmp_path / "public/train_meta.parquet", engine="fastparquet")) == len(train) > 37 * 3
