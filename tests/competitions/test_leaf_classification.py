import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "leaf-classification"
SPECIES = importlib.import_module(f"mlebench.competitions.{CID}.species").SPECIES

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "44a90fe51ed7360c368b6b915760c4e1",
    "public/sample_submission.csv": "2e9d9b7e2fb40d84b6b6847bec7e552c",
    "public/test.csv": "88e15841e0be54b8c17bdc3e492f0267",
    "public/train.csv": "1c1a7fe7fea5b800be39512f8f0e7544",
}
EXPECTED_TREES = {"public/images": "4807e6cbc37f1e7ec579a652ae5b6d79"}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (178, 20, 20)
    assert list(train.columns[:3]) == ["id", "species", "margin1"] and train.shape[1] == 194
    assert "species" not in test.columns and test.shape[1] == 193
    assert list(answers.columns) == list(sample.columns) == ["id", *SPECIES]
    assert set(train.id).isdisjoint(test.id)
    assert list(test.id) == list(answers.id) == list(sample.id)
    assert np.allclose(sample[SPECIES], 1 / 99) and (answers[SPECIES].sum(axis=1) == 1).all()
    # only the new train + test ids (Kaggle's own unlabelled test leaves are not used)
    assert {int(p.stem) for p in (pub / "images").glob("*.jpg")} == set(train.id) | set(test.id)
    assert (comp.private_dir / "images").is_dir()  # empty, as the reference leaves it


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path)
    assert perfect == pytest.approx(0, abs=1e-12)
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(np.log(99))


def test_hand_checked_log_loss():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": [1, 2], **{s: [0, 0] for s in SPECIES}})
    answers.loc[0, "Acer_Mono"] = 1
    answers.loc[1, "Zelkova_Serrata"] = 1
    sub = pd.DataFrame({"id": [1, 2], **{s: [0.0, 0.0] for s in SPECIES}})
    sub.loc[0, ["Acer_Mono", "Acer_Rubrum"]] = [0.25, 0.75]
    sub.loc[1, ["Zelkova_Serrata", "Acer_Rubrum"]] = [0.5, 0.5]
    # -(ln 0.25 + ln 0.5) / 2 = 1.5 ln 2
    assert grade(sub, answers) == pytest.approx(1.5 * np.log(2), abs=1e-12)


INVALID = {
    "missing-species": lambda d: d.drop(columns=["Acer_Mono"]),
    "extra-column": lambda d: d.assign(extra=0),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=[99999, *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(Acer_Mono=[None, *d.Acer_Mono.iloc[1:]]),
    "rows-do-not-sum-to-one": lambda d: d.assign(Acer_Mono=d.Acer_Mono + 0.5),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
