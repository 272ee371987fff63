import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df, raw_score

CID = "seti-breakthrough-listen"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/test.csv": "70350052a6d84cedfec85ddf585ade82",
    "public/sample_submission.csv": "b7bb7402c17c5a131379ef283468c7db",
    "public/train_labels.csv": "bc6405aefa6a8144e4a07f9cb9c67e2e",
}
EXPECTED_TREES = {
    "public/old_leaky_data": "6e46b8a93e54681e9f8d5c4081e0a56f",
    "public/test": "70341012509b2311f45257dd1b8fb965",
    "public/train": "70e044b31762ef6395222865b62cfbba",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub, root = comp.public_dir, comp.prepared_dir
    train, answers = read_csv(pub / "train_labels.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(answers)) == (180, 20)  # 10% of 200
    assert list(train.columns) == list(answers.columns) == list(sample.columns) == ["id", "target"]
    assert set(train.id).isdisjoint(answers.id)
    assert list(sample.id) == list(answers.id) and (sample.target == 0.5).all()
    assert {p.stem for p in (pub / "train").rglob("*.npy")} == set(train.id)
    assert {p.relative_to(pub / "test").as_posix() for p in (pub / "test").rglob("*.npy")} == {
        f"{i[0]}/{i}.npy" for i in answers.id}
    assert np.load(next((pub / "test").rglob("*.npy"))).dtype == np.float16
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5
    assert raw_score(comp, answers.assign(target=1 - answers.target), tmp_path) == 0.0
    invalid = {
        "no-target": answers.drop(columns=["target"]),
        "short": answers.iloc[:-1],
        "duplicate-id": answers.assign(id=[answers.id.iloc[1], *answers.id.iloc[1:]]),
        "unknown-id": answers.assign(id=["f" * 15, *answers.id.iloc[1:]]),
        "nan": answers.assign(target=[None, *answers.target.iloc[1:]]),
        "above-one": answers.assign(target=[1.5, *answers.target.iloc[1:]]),
        "text": answers.assign(target=["x", *answers.target.iloc[1:]]),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": ["a", "b", "c", "d"], "target": [0, 0, 1, 1]})
    sub = pd.DataFrame({"id": ["d", "c", "b", "a"], "target": [0.8, 0.35, 0.4, 0.1]})
    # pairs (pos, neg): (c .35 > a .1), (c .35 < b .4), (d > a), (d > b) -> 3/4
    assert grade(sub, answers) == pytest.approx(0.75, abs=1e-12)
