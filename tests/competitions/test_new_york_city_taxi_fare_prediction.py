import hashlib
import importlib
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    raw_score,
)

CID = "new-york-city-taxi-fare-prediction"
PREP = importlib.import_module(f"mlebench.competitions.{CID}.prepare")
FIXTURE = importlib.import_module(f"mlebench.competitions.{CID}.fixture")

# Seed-0 fixture (12,000 train rows), prepared by ours and by the reference implementation:
# identical md5s.
EXPECTED = {
    "private/test.csv": "b80ad81ac0a16133f4a764c658d912f5",
    "public/GCP-Coupons-Instructions.rtf": "ccae78861c37e9b378a493a2987db553",
    "public/labels.csv": "84e1ee69b468178f96dc343d791f517d",
    "public/sample_submission.csv": "64115c54efc5ba7861f2eff7df221797",
    "public/test.csv": "2f151b9b1b94aec0a6a859c19945c525",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _md5s(root):
    return {p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _run_prepare(raw, out):
    (out / "public").mkdir(parents=True)
    (out / "private").mkdir(parents=True)
    PREP.prepare(raw, out / "public", out / "private")
    return _md5s(out)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "labels.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (12_000 - 9914, 9914, 9914)
    assert "fare_amount" not in test.columns and train.shape[1] == answers.shape[1] == 8
    assert set(train.key).isdisjoint(answers.key)
    assert list(sample.key) == list(answers.key) == list(test.key)
    assert (sample.fare_amount == 11.35).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


@pytest.mark.digest
def test_many_chunks_and_buckets_give_the_same_files(tmp_path, monkeypatch):
    # Small chunks and buckets exercise the streaming paths the 12,000-row fixture would not.
    with zipfile.ZipFile(FIXTURE.make_fixture(tmp_path / "download", seed=0)) as zf:
        zf.extractall(tmp_path / "raw")
    monkeypatch.setattr(PREP, "CHUNK_ROWS", 700)
    monkeypatch.setattr(PREP, "BUCKET_BYTES", 40_000)
    assert _run_prepare(tmp_path / "raw", tmp_path / "out") == EXPECTED


def test_chunk_dtype_mismatch_is_redone_with_the_whole_file_dtype(tmp_path, monkeypatch):
    # One missing passenger_count makes that column float for a whole-file read, but only in one
    # chunk of a chunked read: the preparer must notice and format every chunk as floats.
    rng = np.random.default_rng(3)
    df = FIXTURE.taxi_rows(rng, 10_100)
    df["passenger_count"] = df["passenger_count"].astype(object)
    df.loc[10_050, "passenger_count"] = ""
    raw = tmp_path / "raw"
    raw.mkdir()
    df.to_csv(raw / "train.csv", index=False)
    (raw / "GCP-Coupons-Instructions.rtf").write_text(FIXTURE.RTF)
    monkeypatch.setattr(PREP, "CHUNK_ROWS", 1000)
    ours = _run_prepare(raw, tmp_path / "ours")

    # Oracle: the plain in-memory split.
    full = read_csv(raw / "train.csv")
    train, test = train_test_split(full, test_size=9914, random_state=0)
    oracle = tmp_path / "oracle"
    (oracle / "public").mkdir(parents=True)
    (oracle / "private").mkdir(parents=True)
    train.to_csv(oracle / "public/labels.csv", index=False)
    test.to_csv(oracle / "private/test.csv", index=False)
    test.drop(columns=["fare_amount"]).to_csv(oracle / "public/test.csv", index=False)
    test[["key"]].assign(fare_amount=11.35).to_csv(oracle / "public/sample_submission.csv", index=False)
    shutil.copy(raw / "GCP-Coupons-Instructions.rtf", oracle / "public/GCP-Coupons-Instructions.rtf")
    assert ours == _md5s(oracle)
    assert "1.0" in (tmp_path / "ours/public/labels.csv").read_text().splitlines()[1].split(",")[-1]


def test_too_few_rows(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    FIXTURE.taxi_rows(np.random.default_rng(0), 100).to_csv(raw / "train.csv", index=False)
    with pytest.raises(ValueError, match="9915"):
        _run_prepare(raw, tmp_path / "out")


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["key", "fare_amount"]].sample(frac=1, random_state=1)
    assert grade_df(comp, perfect, tmp_path).score == 0.0
    assert 3 < raw_score(comp, read_csv(comp.sample_submission), tmp_path) < 15


def test_hand_checked_rmse():
    answers = pd.DataFrame({"key": ["a", "b", "c"], "fare_amount": [1.0, 2.0, 3.0]})
    submission = pd.DataFrame({"key": ["c", "a", "b"], "fare_amount": [5.0, 1.0, 2.0]})
    # errors (0, 0, 2): sqrt(4 / 3) = 1.154700538.
    assert grade_fn(CID)(submission, answers) == pytest.approx((4 / 3) ** 0.5, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["key", "fare_amount"]]
    assert_all_invalid(comp, answers, common_invalid("key", "fare_amount", "2099-01-01 00:00:00.1"), tmp_path)
