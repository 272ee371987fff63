import importlib
import json

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "herbarium-2020-fgvc7"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "965b1a1404b0ae2157417b94e25b384b",
    "public/nybg2020/test/metadata.json": "3dbbe8c09d286576d6c85326b867e08a",
    "public/nybg2020/train/metadata.json": "76480085b4df7e0d4e3576fe4e888717",
    "public/sample_submission.csv": "ffae028d77b53a529132688e0033e7d4",
}
EXPECTED_TREES = {
    "public/nybg2020/train/images": "f36929b6b64b3f2d29b52dbc5aa08ae9",
    "public/nybg2020/test/images": "1b4dae0c5bf3e3d5cd185cdb87af6f02",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir / "nybg2020"
    train = json.loads((pub / "train/metadata.json").read_text())
    test = json.loads((pub / "test/metadata.json").read_text())
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert set(test) == {"images", "info", "licenses"}  # no annotations in the public test metadata
    assert set(train) == {"annotations", "categories", "images", "info", "licenses", "regions"}
    assert (len(train["images"]), len(test["images"])) == (132, 45)
    assert [a["image_id"] for a in train["annotations"]] == [i["id"] for i in train["images"]]
    assert [i["id"] for i in test["images"]] == [str(i) for i in range(45)]
    assert list(answers.Id) == list(sample.Id) == list(range(45)) and (sample.Predicted == 0).all()
    # every test category also has training images
    assert set(answers.Predicted) <= {a["category_id"] for a in train["annotations"]}
    assert len(list((pub / "train/images").glob("*/*/*.jpg"))) == 132
    assert sorted(p.name for p in (pub / "test/images/000").iterdir()) == sorted(f"{i}.jpg" for i in range(45))


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    # predictions are converted with int(), so floats are accepted (as in the reference)
    assert raw_score(comp, answers.astype({"Predicted": float}), tmp_path) == 1.0


def test_hand_checked_macro_f1():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": [0, 1, 2, 3], "Predicted": [5, 5, 7, 9]})
    sub = pd.DataFrame({"Id": [3, 2, 1, 0], "Predicted": [9, 5, 5, 5]})
    # class 5: TP 2, FP 1 -> P 2/3, R 1 -> F1 0.8; class 7: F1 0; class 9: F1 1.
    # macro F1 = (0.8 + 0 + 1) / 3 = 0.6
    assert grade(sub, answers) == pytest.approx(0.6, abs=1e-12)


INVALID = {
    "no-predicted": lambda d: d.drop(columns=["Predicted"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=[10_000, *d.Id.iloc[1:]]),
    "nan": lambda d: d.assign(Predicted=[None, *d.Predicted.iloc[1:]]),
    "text": lambda d: d.assign(Predicted=["Aa mathewsii", *d.Predicted.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
