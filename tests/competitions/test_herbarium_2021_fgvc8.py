import importlib
import json

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df

CID = "herbarium-2021-fgvc8"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "9088c86fc63ce55271773856f282b70b",
    "public/sample_submission.csv": "50f64b809b5ab3c76b0b43dfaf1350da",
    "public/test/metadata.json": "a6e657d623ae63f486771ba9a386d2dc",
    "public/train/metadata.json": "699a01c31871ee706493288adee023b3",
}
EXPECTED_TREES = {
    "public/test": "20ee7d32b186c58987f2432c664e4d9c",
    "public/train": "0c0a29b84e0d759d6f6b340891f7cffc",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train = json.loads((pub / "train" / "metadata.json").read_text())
    test = json.loads((pub / "test" / "metadata.json").read_text())
    # 63 specimens in 12 categories; 16 held out
    assert (len(answers), len(train["images"])) == (16, 47)
    assert set(test) == {"images", "info", "licenses"}
    assert [t["id"] for t in test["images"]] == [str(i) for i in answers.Id]
    assert list(sample.Id) == list(answers.Id) and (sample.Predicted == 0).all()
    train_ids = {i["id"] for i in train["images"]}
    assert len(train_ids) == 47 and all(isinstance(i, int) for i in train_ids)
    assert len(list((pub / "test" / "images").rglob("*.jpg"))) == 16
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0
    invalid = {
        "no-id": answers.drop(columns=["Id"]),
        "extra-row": pd.concat([answers, answers.iloc[:1]]),
        "unknown-id": answers.assign(Id=[10**6, *answers.Id.iloc[1:]]),
        "nan": answers.assign(Predicted=[None, *answers.Predicted.iloc[1:]]),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_macro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": [0, 1, 2], "Predicted": [1, 1, 2]})
    sub = pd.DataFrame({"Id": [0, 1, 2], "Predicted": [1, 2, 3]})
    # class 1: P 1, R 1/2 -> 2/3; class 2: P 0 -> 0; class 3 (predicted only): 0 -> mean 2/9
    assert grade(sub, answers) == pytest.approx(2 / 9, abs=1e-12)
