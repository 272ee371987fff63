import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_df, prepared_tree_digests, raw_score

CID = "stanford-covid-vaccine"
TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]
SCORED = ["reactivity", "deg_Mg_pH10", "deg_Mg_50C"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "88f539cba632af694b9e6ff66a44d40c",
    "public/sample_submission.csv": "d8d91e89c61d3a16389bc75b3eeceda6",
    "public/test.json": "b1dd93c41820cdcdc0585c4d75ba6f7d",
    "public/train.json": "3b08def59de4c7915de328d533d9feb6",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train = pd.read_json(pub / "train.json", lines=True)
    test = pd.read_json(pub / "test.json", lines=True)
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test)) == (45, 5)  # int(0.1 * 50) held out
    assert set(train.id).isdisjoint(test.id)
    assert list(train["index"]) == list(range(45)) and list(test["index"]) == list(range(5))
    assert list(test.columns) == ["index", "id", "sequence", "structure", "predicted_loop_type",
                                  "seq_length", "seq_scored"]
    assert not list(pub.glob("bpps*"))  # not copied, as in the reference
    assert len(answers) == 5 * 107 and answers.keep.sum() == 5 * 68
    assert list(answers.columns) == ["id_seqpos", *TARGETS, "keep"]
    assert (answers.loc[~answers.keep, TARGETS] == 0).all().all()
    assert list(sample.columns) == ["id_seqpos", *TARGETS] and (sample[TARGETS] == 0).all().all()
    assert list(sample.id_seqpos) == list(answers.id_seqpos)
    assert set(answers.id_seqpos.str.rsplit("_", n=1).str[0]) == set(test.id)
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["id_seqpos", *TARGETS]]
    assert grade_df(comp, perfect.sample(frac=1, random_state=0), tmp_path).score == 0.0
    # Unscored positions and the two unscored columns may hold anything.
    junk = perfect.assign(deg_pH10=np.nan, deg_50C="x",
                          reactivity=np.where(answers.keep, perfect.reactivity, 1e6))
    assert grade_df(comp, junk, tmp_path).score == 0.0
    # All-zero predictions: the mean over the scored columns of their root mean square.
    scored = answers[answers.keep]
    expected = np.mean([np.sqrt(np.mean(scored[c] ** 2)) for c in SCORED])
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(expected, abs=1e-12)


def test_hand_checked_mcrmse():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id_seqpos": ["id_a_0", "id_a_1", "id_a_2"],
                            "reactivity": [1.0, 2.0, 0.0], "deg_Mg_pH10": [0.0, 0.0, 0.0],
                            "deg_pH10": 0.0, "deg_Mg_50C": [1.0, 1.0, 0.0], "deg_50C": 0.0,
                            "keep": [True, True, False]})
    submission = pd.DataFrame({"id_seqpos": ["id_a_2", "id_a_1", "id_a_0"],
                               "reactivity": [9.0, 4.0, 1.0], "deg_Mg_pH10": [9.0, 0.0, 3.0],
                               "deg_pH10": 5.0, "deg_Mg_50C": [9.0, 1.0, 1.0], "deg_50C": 5.0})
    # Scored rows id_a_0 and id_a_1: reactivity errors (0, 2) -> sqrt(2); deg_Mg_pH10 errors
    # (3, 0) -> sqrt(4.5); deg_Mg_50C errors (0, 0) -> 0. Mean (1.41421 + 2.12132 + 0) / 3 = 1.17851.
    assert grade(submission, answers) == pytest.approx((np.sqrt(2) + np.sqrt(4.5)) / 3, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["id_seqpos", *TARGETS]]
    ids, first_scored = perfect.id_seqpos, perfect.reactivity
    assert_invalid(comp, {
        "no-scored-column": perfect.drop(columns=["deg_Mg_50C"]),
        "no-unscored-column": perfect.drop(columns=["deg_pH10"]),
        "no-id": perfect.drop(columns=["id_seqpos"]),
        "short": perfect.iloc[:-1],
        "extra-row": pd.concat([perfect, perfect.iloc[:1]]),
        "duplicate-id": perfect.assign(id_seqpos=[ids.iloc[1], *ids.iloc[1:]]),
        "unknown-id": perfect.assign(id_seqpos=["id_000000000_0", *ids.iloc[1:]]),
        "nan-scored": perfect.assign(reactivity=[None, *first_scored.iloc[1:]]),
        "text-scored": perfect.assign(reactivity=["x", *first_scored.iloc[1:]]),
        "inf-scored": perfect.assign(reactivity=[np.inf, *first_scored.iloc[1:]]),
        "empty": perfect.iloc[:0],
    }, tmp_path)
