import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "rsna-miccai-brain-tumor-radiogenomic-classification"
SEQUENCES = ["FLAIR", "T1w", "T1wCE", "T2w"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/test.csv": "cbf62d03a3f9ff1c22fcdc1c87335f4a",
    "public/sample_submission.csv": "276962ec2648e3f0c54dd108bd557d99",
    "public/test": "07cdcb456cadd36a4e46da0a2085416b",
    "public/train": "d59a342a8c1da357fa4eba8fec07dce6",
    "public/train_labels.csv": "8355fd6ae519915772e60a9f3d9ead07",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    ids = {"BraTS21ID": str}
    train = read_csv(pub / "train_labels.csv", dtype=ids)
    answers = read_csv(comp.answers, dtype=ids)
    sample = read_csv(comp.sample_submission, dtype=ids)
    # 50 labelled cases: ceil(5.0) = 5 held out.
    assert (len(train), len(answers)) == (45, 5)
    assert list(answers.columns) == ["BraTS21ID", "MGMT_value"] and set(answers.MGMT_value) == {0, 1}
    assert train.BraTS21ID.str.fullmatch(r"\d{5}").all() and answers.BraTS21ID.str.fullmatch(r"\d{5}").all()
    assert set(train.BraTS21ID).isdisjoint(answers.BraTS21ID)
    assert list(sample.BraTS21ID) == list(answers.BraTS21ID) and (sample.MGMT_value == 0.5).all()
    assert {p.name for p in (pub / "train").iterdir()} == set(train.BraTS21ID)
    assert {p.name for p in (pub / "test").iterdir()} == set(answers.BraTS21ID)
    for case in (pub / "test").iterdir():
        assert sorted(p.name for p in case.iterdir()) == SEQUENCES
    # Kaggle's faulty cases stay in, as in the reference.
    assert {"00109", "00123", "00709"} <= set(train.BraTS21ID) | set(answers.BraTS21ID)
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED
    pydicom = pytest.importorskip("pydicom")
    case = sorted((pub / "test").iterdir())[0]
    ds = pydicom.dcmread(next((case / "FLAIR").glob("Image-*.dcm")))
    assert ds.PatientID == case.name and ds.Modality == "MR" and ds.SeriesDescription == "FLAIR"
    assert ds.pixel_array.shape == (8, 8)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers.astype({"MGMT_value": float})
    assert raw_score(comp, perfect, tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.5
    assert raw_score(comp, perfect.assign(MGMT_value=1 - perfect.MGMT_value), tmp_path) == 0.0
    # Ids are compared as numbers (the CSVs are read without dtypes), so unpadded ids are fine too.
    unpadded = perfect.assign(BraTS21ID=perfect.BraTS21ID.astype(str)).iloc[::-1]
    assert raw_score(comp, unpadded, tmp_path) == 1.0
    a = perfect
    assert_invalid(comp, {
        "no-id": a.drop(columns=["BraTS21ID"]),
        "no-target": a.drop(columns=["MGMT_value"]),
        "short": a.iloc[:-1],
        "extra-row": pd.concat([a, a.iloc[:1]]),
        "duplicate-id": a.assign(BraTS21ID=[a.BraTS21ID.iloc[1], *a.BraTS21ID.iloc[1:]]),
        "unknown-id": a.assign(BraTS21ID=[99999, *a.BraTS21ID.iloc[1:]]),
        "nan": a.assign(MGMT_value=[np.nan, *a.MGMT_value.iloc[1:]]),
        "text": a.assign(MGMT_value=["x", *a.MGMT_value.iloc[1:]]),
        "above-one": a.assign(MGMT_value=[1.5, *a.MGMT_value.iloc[1:]]),
        "negative": a.assign(MGMT_value=[-0.1, *a.MGMT_value.iloc[1:]]),
        "empty": a.iloc[:0],
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"BraTS21ID": ["00001", "00002", "00003", "00004"], "MGMT_value": [0, 0, 1, 1]})
    submission = pd.DataFrame({"BraTS21ID": ["00004", "00003", "00002", "00001"],
                               "MGMT_value": [0.8, 0.35, 0.4, 0.1]})
    # Positive/negative pairs ranked correctly: (0.35 > 0.1), (0.8 > 0.1), (0.8 > 0.4), not (0.35 > 0.4): 3/4.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.75, abs=1e-12)
