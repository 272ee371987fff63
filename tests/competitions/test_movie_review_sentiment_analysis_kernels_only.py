import io
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, common_invalid, grade_df, grade_fn, prepared_digests

CID = "movie-review-sentiment-analysis-kernels-only"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s (zips
# compared by member names and contents).
EXPECTED = {
    "private/answers.csv": "a2e1906b7b41b58a0e11b5da6997c52d",
    "public/sampleSubmission.csv": "ac38fcaf0d8a1b648557f316d5247a67",
    "public/test.tsv.zip": "43c0252a411cdc9e0f23c53e97df5307",
    "public/train.tsv.zip": "5352d0b1ab48f1262a4b4fc4dddcbf3b",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _tsv(path, name):
    with zipfile.ZipFile(path) as zf:
        return pd.read_csv(io.BytesIO(zf.read(name)), sep="\t")


def test_split(comp):
    pub = comp.public_dir
    train, test = _tsv(pub / "train.tsv.zip", "train.tsv"), _tsv(pub / "test.tsv.zip", "test.tsv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (210, 90, 90)
    assert list(test.columns) == ["PhraseId", "SentenceId", "Phrase"]
    assert list(answers.columns) == ["PhraseId", "SentenceId", "Phrase", "Sentiment"]
    assert set(train.PhraseId).isdisjoint(test.PhraseId)
    assert list(sample.PhraseId) == list(answers.PhraseId) and (sample.Sentiment == 2).all()
    assert not (pub / "train.tsv").exists() and not (pub / "test.tsv").exists()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)[["PhraseId", "Sentiment"]]
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    sample = read_csv(comp.sample_submission)
    expected = round(float((answers.Sentiment == 2).mean()), 5)
    assert grade_df(comp, sample, tmp_path).score == expected


def test_hand_checked_accuracy():
    answers = pd.DataFrame({"PhraseId": [1, 2, 3, 4], "Sentiment": [0, 2, 4, 3]})
    submission = pd.DataFrame({"PhraseId": [4, 3, 2, 1], "Sentiment": [3, 4, 2, 1]})
    # 2, 3 and 4 are right, 1 is wrong -> 3/4.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.75, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["PhraseId", "Sentiment"]]
    mutations = common_invalid("PhraseId", "Sentiment", 999999)
    mutations.pop("text")  # a text label is a valid (wrong) prediction, as in the reference
    assert_all_invalid(comp, answers, mutations, tmp_path)
