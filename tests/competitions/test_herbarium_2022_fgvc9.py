import importlib
import json

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df, raw_score

CID = "herbarium-2022-fgvc9"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "5171323dced8d8fdbdd0d2b78a1df2f2",
    "public/sample_submission.csv": "6608853317632d620910a7fc7845dd4c",
    "public/test_metadata.json": "229f8149db9d747d0038d35586fd4523",
    "public/train_metadata.json": "7abda94e260f27530b5b670b05bb868c",
}
EXPECTED_TREES = {
    "public/test_images": "5b8978e2c0d2282f144b62795efce9d8",
    "public/train_images": "73ea0431e2a5440b9dde9351ee7d5f31",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train = json.loads((pub / "train_metadata.json").read_text())
    test = json.loads((pub / "test_metadata.json").read_text())
    assert list(answers.columns) == list(sample.columns) == ["Id", "Predicted"]
    assert list(answers.Id) == list(sample.Id) == list(range(len(answers)))
    assert (sample.Predicted == 42).all()
    assert [t["image_id"] for t in test] == [str(i) for i in answers.Id]
    assert all(set(t) == {"image_id", "file_name", "license"} for t in test)
    # every category is in both splits
    assert {a["category_id"] for a in train["annotations"]} == set(answers.Predicted)
    assert len(list((pub / "train_images").rglob("*.jpg"))) == len(train["images"])
    assert len(list((pub / "test_images").rglob("*.jpg"))) == len(answers)
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0
    # int() truncation, as the reference does
    assert raw_score(comp, answers.assign(Predicted=answers.Predicted + 0.7), tmp_path) == 1.0
    invalid = {
        "no-prediction": answers.drop(columns=["Predicted"]),
        "short": answers.iloc[:-1],
        "duplicate-id": answers.assign(Id=[answers.Id.iloc[1], *answers.Id.iloc[1:]]),
        "unknown-id": answers.assign(Id=[10**6, *answers.Id.iloc[1:]]),
        "nan": answers.assign(Predicted=[None, *answers.Predicted.iloc[1:]]),
        "text": answers.assign(Predicted=["oak", *answers.Predicted.iloc[1:]]),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_macro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": [0, 1, 2, 3], "Predicted": [5, 5, 9, 9]})
    sub = pd.DataFrame({"Id": [3, 2, 1, 0], "Predicted": [9, 5, 5, 5]})
    # class 5: precision 2/3, recall 1 -> F1 0.8; class 9: precision 1, recall 1/2 -> 2/3
    assert grade(sub, answers) == pytest.approx((0.8 + 2 / 3) / 2, abs=1e-12)
