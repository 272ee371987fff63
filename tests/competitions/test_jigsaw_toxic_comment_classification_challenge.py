import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, common_invalid, grade_df, grade_fn, prepared_digests

CID = "jigsaw-toxic-comment-classification-challenge"
CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "b82a7e2776326bfb602221cd6352a1db",
    "public/sample_submission.csv": "500cdcb024d4a5b229dc727d39276427",
    "public/test.csv": "5a5392a17c7e65b4bc0004869c640de6",
    "public/train.csv": "79518ffaf2ac0111bbdc712d4b5829b3",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (250, 150, 150)
    assert list(test.columns) == ["id", "comment_text"] and list(answers.columns) == ["id", *CLASSES]
    assert set(train.id).isdisjoint(test.id)
    assert (answers[CLASSES] == -1).all(axis=1).sum() > 0  # unscored rows, as on Kaggle
    assert list(sample.id) == list(test.id) and (sample[CLASSES] == 0.5).all().all()
    assert test.comment_text.str.contains("\n").any()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    # Scores outside [0, 1] and NaN in unscored (-1) rows are accepted, as in the reference.
    unscored = (answers[CLASSES] == -1).all(axis=1)
    odd = answers.astype({c: float for c in CLASSES})
    odd.loc[unscored, "toxic"] = np.nan
    odd.loc[~unscored, "insult"] *= 7
    assert grade_df(comp, odd, tmp_path).score == 1.0


def test_hand_checked_mean_auc():
    answers = pd.DataFrame({"id": ["a", "b", "c", "z"], **{c: [0, 1, 1, -1] for c in CLASSES}})
    answers["toxic"] = [1, 0, 1, -1]
    submission = pd.DataFrame({"id": ["z", "c", "b", "a"], **{c: [0.0, 0.9, 0.8, 0.1] for c in CLASSES}})
    # Row z is unscored. Five labels rank both positives (b, c) above a: AUC 1. `toxic` has
    # positives a=0.1, c=0.9 and negative b=0.8: 1 of 2 pairs ordered -> 0.5. Mean 5.5/6.
    assert grade_fn(CID)(submission, answers) == pytest.approx(5.5 / 6, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    scored = answers[(answers[CLASSES] >= 0).all(axis=1)]
    first = answers.index.get_loc(scored.index[0])  # put NaN/text in a scored row

    def at_first(value):
        def mutate(d):
            d = d.astype({"toxic": object}).copy()
            d.iloc[first, d.columns.get_loc("toxic")] = value
            return d
        return mutate

    mutations = {**common_invalid("id", "toxic", "ffffffffffffffff"), "nan": at_first(None),
                 "text": at_first("x"), "extra-column": lambda d: d.assign(extra=0.5)}
    assert_all_invalid(comp, answers, mutations, tmp_path)
