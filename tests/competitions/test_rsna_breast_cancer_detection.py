import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "rsna-breast-cancer-detection"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests
# (folders: md5 over the sorted `path md5` lines of their files).
EXPECTED = {
    "private/answers.csv": "249b6b74720b7dcbcbe6612af59ebf19",
    "public/sample_submission.csv": "e5ff5e292925c3f676cbd9b6a8c3e88f",
    "public/test.csv": "0c67ec7b3cd9951f2d479d36a89e6991",
    "public/test_images": "849d268dfdb1a626863ff47433faba10",
    "public/train.csv": "59631219edd79acfe3d44a7ca42d3a00",
    "public/train_images": "734d2a1869df9359bc32a1f1acb660d0",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert train.patient_id.nunique() == 54 and test.patient_id.nunique() == 6
    assert set(train.patient_id).isdisjoint(test.patient_id)
    assert "cancer" not in test.columns and list(test.columns)[-1] == "prediction_id"
    assert list(answers.columns) == list(sample.columns) == ["prediction_id", "cancer"]
    assert list(answers.prediction_id) == sorted(set(test.prediction_id)) == list(sample.prediction_id)
    assert len(answers) < len(test) and answers.cancer.sum() > 0
    assert sample.cancer.nunique() == 1 and sample.cancer.iloc[0] == pytest.approx(train.cancer.mean())
    images = {p.relative_to(pub).as_posix() for p in pub.rglob("*.dcm")}
    assert images == {f"train_images/{r.patient_id}/{r.image_id}.dcm" for r in train.itertuples()} | {
        f"test_images/{r.patient_id}/{r.image_id}.dcm" for r in test.itertuples()}
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_dicom_files_are_readable(comp):
    pydicom = pytest.importorskip("pydicom")
    path = next((comp.public_dir / "test_images").rglob("*.dcm"))
    ds = pydicom.dcmread(path)
    assert ds.PatientID == path.parent.name and ds.SOPInstanceUID.endswith(f".{path.stem}")
    assert ds.pixel_array.shape == (16, 12) and ds.Modality == "MG"


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == pytest.approx(1.0)
    # Reference grader's raw score on the sample submission of the seed-0 fixture.
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(0.1761006289308176, abs=1e-9)
    # Out-of-range values and infinities are clipped to [0, 1]; booleans count as 0/1.
    assert raw_score(comp, answers.assign(cancer=answers.cancer * 5.0 - 2), tmp_path) == pytest.approx(1.0)
    assert raw_score(comp, answers.assign(cancer=answers.cancer.astype(bool)), tmp_path) == pytest.approx(1.0)
    assert raw_score(comp, answers.assign(cancer=0.0), tmp_path) == 0.0
    a = answers
    assert_invalid(comp, {
        "no-cancer": a.drop(columns=["cancer"]),
        "no-id": a.drop(columns=["prediction_id"]),
        "short": a.iloc[:-1],
        "extra-row": pd.concat([a, a.iloc[:1]]),
        "duplicate-id": a.assign(prediction_id=[a.prediction_id.iloc[1], *a.prediction_id.iloc[1:]]),
        "unknown-id": a.assign(prediction_id=["1_L", *a.prediction_id.iloc[1:]]),
        "nan": a.assign(cancer=[np.nan, *a.cancer.iloc[1:]]),
        "text": a.assign(cancer=["x", *a.cancer.iloc[1:]]),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"prediction_id": ["1_L", "1_R", "2_L"], "cancer": [1, 0, 1]})
    submission = pd.DataFrame({"prediction_id": ["2_L", "1_R", "1_L"], "cancer": [0.2, 0.4, 0.8]})
    # tp = 0.8 + 0.2 = 1.0, fp = 0.4: precision 1/1.4, recall 1/2 -> F1 = 2pr/(p+r) = 10/17.
    assert grade_fn(CID)(submission, answers) == pytest.approx(10 / 17, abs=1e-12)
