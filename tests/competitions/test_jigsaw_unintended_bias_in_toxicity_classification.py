import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import checksums, grade_fn, score

CID = "jigsaw-unintended-bias-in-toxicity-classification"

# Seed-0 fixture, prepared by the reference and by us: identical bytes.
EXPECTED = {
    "private/test.csv": "64d1e69d4013f6bb0189e48cad0e744e",
    "public/sample_submission.csv": "ffa9454c4e6e55f988016cba1a130fca",
    "public/test.csv": "7b6eea51c905e3d910833350f4fc14e3",
    "public/train.csv": "ebaa3d75211ebdd50683bbccfb938928",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    train = read_csv(comp.public_dir / "train.csv")
    test = read_csv(comp.public_dir / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert list(test.columns) == ["id", "comment_text"] and answers.shape == (200, 45)
    assert list(sample.columns) == ["id", "prediction"] and (sample.prediction == 0.0).all()
    assert list(sample.id) == list(test.id) == list(answers.id)
    assert set(train.id).isdisjoint(test.id) and "target" in train.columns


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED


def test_grades(comp, tmp_path):
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    perfect = answers[["id", "toxicity"]].rename(columns={"toxicity": "prediction"})
    assert score(comp, perfect.sample(frac=1, random_state=0), tmp_path)[0] == pytest.approx(1.0)
    assert score(comp, answers[["id", "toxicity"]], tmp_path)[0] == pytest.approx(1.0)  # like the reference
    assert score(comp, sample, tmp_path)[0] == pytest.approx(0.5)
    # Reference quirk: predictions are binarized at 0.5, so 0.49 scores like 0.0, and NaN like 0.
    assert score(comp, sample.assign(prediction=0.49), tmp_path)[0] == pytest.approx(0.5)
    nan = perfect.assign(prediction=np.where(perfect.prediction >= 0.5, 1.0, np.nan))
    assert score(comp, nan, tmp_path)[0] == pytest.approx(1.0)


@pytest.mark.parametrize("mutate", [
    lambda d: d.drop(columns=["prediction"]),
    lambda d: d.drop(columns=["id"]),
    lambda d: d.iloc[:-1],
    lambda d: pd.concat([d.iloc[:-1], d.iloc[:1]]),
    lambda d: d.assign(id=d.id + 1),
    lambda d: d.assign(prediction="high"),
    lambda d: d.assign(toxicity=0.2),  # both prediction and toxicity
])
def test_invalid(comp, tmp_path, mutate):
    raw, reason = score(comp, mutate(read_csv(comp.sample_submission)), tmp_path)
    assert raw is None and reason


def test_hand_checked_bias_auc():
    from mlebench.metrics.bias import bias_weighted_auc

    answers = pd.DataFrame({"id": [1, 2, 3, 4], "toxicity": [1.0, 0.0, 0.9, 0.2],
                            "male": [1.0, 0.8, 0.0, np.nan]})
    submission = pd.DataFrame({"id": [4, 3, 2, 1], "prediction": [0.1, 0.8, 0.7, 0.9]})
    # binary truth [1,0,1,0], male [1,1,0,0], predictions [1,1,1,0]: overall AUC 0.75, subgroup
    # (ids 1,2) 0.5, BPSN (ids 2,3) 0.5, BNSP (ids 1,4) 1.0 -> 0.25 * (0.75+0.5+0.5+1) = 0.6875
    assert bias_weighted_auc(submission, answers, ["male"]) == pytest.approx(0.6875, abs=1e-12)
    assert grade_fn(CID) is not None
