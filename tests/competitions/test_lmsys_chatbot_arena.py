import importlib
import math

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, grade_df, prepared_md5s, shape_invalid

CID = "lmsys-chatbot-arena"
OUTCOMES = ["winner_model_a", "winner_model_b", "winner_tie"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "dae9b115e3998c271dea20725e4373c7",
    "public/sample_submission.csv": "a447b34f3e6d83b3d259b7ebfcc9ed30",
    "public/test.csv": "d40a0abf012eb3686d3c6954c25fcf99",
    "public/train.csv": "b6e98279895392af0ba77db32e1933a4",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (270, 30)
    assert list(test.columns) == ["id", "prompt", "response_a", "response_b"]
    assert list(answers.columns) == list(train.columns)
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and list(sample.columns) == ["id", *OUTCOMES]
    assert prepared_md5s(comp, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = grade_df(comp, answers[["id", *OUTCOMES]].sample(frac=1, random_state=1), tmp_path)
    assert perfect.score == 0.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == round(math.log(3), 5)


def test_hand_checked_log_loss():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": [1, 2, 3], "winner_model_a": [1, 0, 0], "winner_model_b": [0, 1, 0],
                            "winner_tie": [0, 0, 1]})
    submission = pd.DataFrame({"id": [3, 1, 2], "winner_model_a": [0.25, 0.5, 0.25],
                               "winner_model_b": [0.25, 0.25, 0.5], "winner_tie": [0.5, 0.25, 0.25]})
    # Every row gives its true outcome probability 1/2: loss -ln(1/2) = ln 2.
    assert grade(submission, answers) == pytest.approx(math.log(2), abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["id", *OUTCOMES]]
    mutations = shape_invalid("id", "winner_tie")
    mutations["nan"] = lambda d: d.assign(winner_model_a=[None, *d.winner_model_a.iloc[1:]])
    mutations["above-one"] = lambda d: d.assign(winner_model_a=d.winner_model_a * 2)
    mutations["negative"] = lambda d: d.assign(winner_model_a=d.winner_model_a - 0.1)
    mutations["rows-not-summing-to-one"] = lambda d: d.assign(**{c: d[c] * 0.9 for c in OUTCOMES})
    mutations["text"] = lambda d: d.assign(winner_tie=["x", *d.winner_tie.iloc[1:]])
    assert_all_invalid(comp, answers, mutations, tmp_path)
