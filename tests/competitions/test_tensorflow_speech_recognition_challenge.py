import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df

CID = "tensorflow-speech-recognition-challenge"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "9ed55fd97829e31bd6dd88521dec9d2b",
    "public/sample_submission.csv": "a45810523ef6e302c1a42f55b4f0ece3",
}
EXPECTED_TREES = {
    "public/test": "668807af6336f66bb3e981daa68a50da",
    "public/train": "865793124fbd765b31cdcd115ef7ab5c",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train = list((pub / "train" / "audio").rglob("*.wav"))
    assert len(answers) == 17 and len(train) == 150  # 10% of 167 clips (noise included)
    assert list(answers.columns) == list(sample.columns) == ["fname", "label"]
    assert list(sample.fname) == [f"clip_{i:08d}.wav" for i in range(17)]
    assert (sample.label == "silence").all()
    assert sorted(p.name for p in (pub / "test" / "audio").iterdir()) == list(sample.fname)
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_raw_is_untouched(tmp_path):
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare").prepare
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "dl")) as zf:
        zf.extractall(tmp_path / "raw")
    before = sorted(p.name for p in (tmp_path / "raw").iterdir())
    (tmp_path / "out" / "pub").mkdir(parents=True)
    (tmp_path / "out" / "priv").mkdir()
    prepare(tmp_path / "raw", tmp_path / "out" / "pub", tmp_path / "out" / "priv")
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["priv", "pub"]  # scratch gone
    assert len(list((tmp_path / "out" / "pub" / "test" / "audio").iterdir())) == 17

def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0
    invalid = {
        "no-label": answers.drop(columns=["label"]),
        "short": answers.iloc[:-1],
        "duplicate-id": answers.assign(fname=[answers.fname.iloc[1], *answers.fname.iloc[1:]]),
        "unknown-id": answers.assign(fname=["clip_x.wav", *answers.fname.iloc[1:]]),
        "missing-label": answers.assign(label=[None, *answers.label.iloc[1:]]),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_accuracy():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"fname": ["a", "b", "c", "d"], "label": ["yes", "bed", "no", "go"]})
    sub = pd.DataFrame({"fname": ["d", "c", "b", "a"], "label": ["go", "no", "unknown", "no"]})
    # d and c right, b ("bed" answer) and a wrong -> 2/4
    assert grade(sub, answers) == pytest.approx(0.5, abs=1e-12)
