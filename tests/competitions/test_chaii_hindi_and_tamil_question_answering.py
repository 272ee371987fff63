import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import checksums, grade_fn, score

CID = "chaii-hindi-and-tamil-question-answering"

# Seed-0 fixture, prepared by the reference and by us: identical bytes.
EXPECTED = {
    "private/test.csv": "2fedaf4960658566b69495b7ab072b25",
    "public/sample_submission.csv": "0652fcbd904123d23dacec999e15135b",
    "public/test.csv": "9b43c40c86f2cf0e6a2bec65de62b1a1",
    "public/train.csv": "12270066dd31c851d314edf69a1d27d6",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    train = read_csv(comp.public_dir / "train.csv")
    test = read_csv(comp.public_dir / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (180, 20)
    assert list(test.columns) == ["id", "context", "question", "language"]
    assert list(answers.columns) == ["id", "PredictionString"]
    assert set(train.id).isdisjoint(test.id) and list(sample.id) == list(test.id) == list(answers.id)
    assert (sample.PredictionString == "dummy text").all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert score(comp, answers.sample(frac=1, random_state=0), tmp_path)[0] == 1.0
    assert score(comp, sample, tmp_path)[0] == 0.0
    upper = answers.assign(PredictionString=answers.PredictionString.str.upper())
    assert score(comp, upper, tmp_path)[0] == 1.0  # lower-cased before comparing
    blank = answers.assign(PredictionString="")
    assert score(comp, blank, tmp_path)[0] == 0.0


@pytest.mark.parametrize("mutate", [
    lambda d: d.drop(columns=["PredictionString"]),
    lambda d: d.drop(columns=["id"]),
    lambda d: d.iloc[:-1],
    lambda d: pd.concat([d.iloc[:-1], d.iloc[:1]]),
    lambda d: d.assign(id=["zzz"] + list(d.id[1:])),
    lambda d: d.assign(PredictionString=1.5),
])
def test_invalid(comp, tmp_path, mutate):
    raw, reason = score(comp, mutate(read_csv(comp.answers)), tmp_path)
    assert raw is None and reason


def test_hand_checked_jaccard():
    answers = pd.DataFrame({"id": ["q1", "q2", "q3"], "PredictionString": ["a b c", "x", "y"]})
    submission = pd.DataFrame({"id": ["q3", "q2", "q1"], "PredictionString": [None, "X", "B C d"]})
    # q1: {b, c} of {a, b, c, d} = 0.5; q2: 1; q3: 0 / 1 = 0 -> mean 0.5
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.5, abs=1e-12)
