import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import checksums, grade_fn, score

CID = "facebook-recruiting-iii-keyword-extraction"

# Seed-0 fixture, prepared by the reference and by us: identical bytes.
EXPECTED = {
    "private/test.csv": "37963361d7b75393aef18bf784afbcdd",
    "public/sample_submission.csv": "92a4ccdb9ddde937bd639830514a03ce",
    "public/test.csv": "2394b8fa64d89630c57b73bb34a24aae",
    "public/train.csv": "ed121256a9e7a4adbe405363c0c5b5c1",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    train = read_csv(comp.public_dir / "train.csv")
    test = read_csv(comp.public_dir / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (270, 30)
    assert list(test.columns) == ["Id", "Title", "Body"] and "Tags" in answers.columns
    assert set(train.Id).isdisjoint(test.Id) and list(sample.Id) == list(test.Id) == list(answers.Id)
    assert (sample.Tags == "javascript c# python php java").all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    perfect = answers[["Id", "Tags"]].sample(frac=1, random_state=0)
    assert score(comp, perfect, tmp_path)[0] == 1.0
    assert 0.0 <= score(comp, sample, tmp_path)[0] < 1.0
    extra = answers[["Id", "Tags"]].assign(Tags=answers.Tags + " not-a-real-tag")
    assert score(comp, extra, tmp_path)[0] == 1.0  # unknown tags are ignored, like the reference
    assert score(comp, answers[["Id"]].assign(Tags=""), tmp_path)[0] == 0.0


@pytest.mark.parametrize("mutate", [
    lambda d: d.drop(columns=["Tags"]),
    lambda d: d.drop(columns=["Id"]),
    lambda d: d.iloc[:-1],
    lambda d: pd.concat([d.iloc[:-1], d.iloc[:1]]),
    lambda d: d.assign(Id=d.Id + 10**9),
    lambda d: d.assign(Tags=3),
])
def test_invalid(comp, tmp_path, mutate):
    raw, reason = score(comp, mutate(read_csv(comp.answers)[["Id", "Tags"]]), tmp_path)
    assert raw is None and reason


def test_hand_checked_micro_f1():
    answers = pd.DataFrame({"Id": [1, 2], "Tags": ["a b", "c"]})
    submission = pd.DataFrame({"Id": [2, 1], "Tags": ["c b", "a d"]})
    # labels {a, b, c} ("d" ignored): TP 2 (a, c), FP 1 (b in 2), FN 1 (b in 1) -> 4 / 6
    assert grade_fn(CID)(submission, answers) == pytest.approx(2 / 3, abs=1e-12)
