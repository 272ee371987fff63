import math
import struct

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "rsna-2022-cervical-spine-fracture-detection"
TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/answers.csv": "c978539a5638d4bd428a4518f84dc7e5",
    "public/sample_submission.csv": "55d66d954a9c27e591253ee785f89e5e",
    "public/segmentations": "f48912dd8d5f85dde1d1c56f3cf0f815",
    "public/test.csv": "c607886c914e2750b24b18d185dc6c1e",
    "public/test_images": "9bd950d493c0987a48c9de9916b3288f",
    "public/train.csv": "8fb60f6385c74c63cba666c2aa574e82",
    "public/train_bounding_boxes.csv": "ef0c8b6f41b109562aef1012896226b3",
    "public/train_images": "f99d91a7d1eff1bf3b4c45c95f285fb3",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "train.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    boxes, sample = read_csv(pub / "train_bounding_boxes.csv"), read_csv(comp.sample_submission)
    # 60 studies: 10% (6) stay in train, 54 are held out, 8 rows (targets) each.
    assert list(train.columns) == ["StudyInstanceUID", *TARGETS] and len(train) == 6
    assert list(answers.columns) == ["StudyInstanceUID", "prediction_type", "fractured", "row_id"]
    assert answers.StudyInstanceUID.nunique() == 54 and len(answers) == 54 * 8
    assert list(test.columns) == ["StudyInstanceUID", "prediction_type", "row_id"]
    assert list(test.row_id) == list(answers.row_id) == list(sample.row_id) and (sample.fractured == 0.5).all()
    assert set(train.StudyInstanceUID).isdisjoint(answers.StudyInstanceUID)
    # round(25 * 0.1) = 2 studies keep their boxes, round(15 * 0.1) = 2 their masks, 1 of them both.
    assert boxes.StudyInstanceUID.nunique() == 2 and set(boxes.StudyInstanceUID) <= set(train.StudyInstanceUID)
    masks = {p.name[:-4] for p in (pub / "segmentations").iterdir()}
    assert len(masks) == 2 and masks <= set(train.StudyInstanceUID) and len(masks & set(boxes.StudyInstanceUID)) == 1
    assert {p.name for p in (pub / "train_images").iterdir()} == set(train.StudyInstanceUID)
    assert {p.name for p in (pub / "test_images").iterdir()} == set(answers.StudyInstanceUID)
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED
    # The fixture's files parse: NIfTI-1 masks (header checked by hand) and CT slices.
    nii = sorted((pub / "segmentations").iterdir())[0].read_bytes()
    assert struct.unpack_from("<i", nii)[0] == 348 and nii[344:348] == b"n+1\x00"
    dims = struct.unpack_from("<8h", nii, 40)
    assert dims[0] == 3 and len(nii) == 352 + dims[1] * dims[2] * dims[3]  # uint8 voxels
    pydicom = pytest.importorskip("pydicom")
    study = sorted((pub / "test_images").iterdir())[0]
    ds = pydicom.dcmread(study / "1.dcm")
    assert ds.StudyInstanceUID == study.name and ds.Modality == "CT" and ds.pixel_array.shape == (16, 16)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["row_id", "fractured"]]
    assert raw_score(comp, perfect, tmp_path) == pytest.approx(0, abs=1e-12)
    # All 0.5: every cell costs ln 2, whatever the weights. The reference gives the same.
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(math.log(2), abs=1e-12)
    shuffled = perfect.assign(fractured=1 - perfect.fractured).sample(frac=1, random_state=0)
    # Every prediction wrong (clipped to 1e-15 or 1 - 1e-15): the reference grader's raw score.
    assert raw_score(comp, shuffled, tmp_path) == pytest.approx(34.53910355172291, abs=1e-9)
    a = perfect.astype({"fractured": float})
    assert_invalid(comp, {
        "no-row-id": a.drop(columns=["row_id"]),
        "no-fractured": a.drop(columns=["fractured"]),
        "short": a.iloc[:-1],
        "extra-row": pd.concat([a, a.iloc[:1]]),
        "duplicate-id": a.assign(row_id=[a.row_id.iloc[1], *a.row_id.iloc[1:]]),
        "unknown-target": a.assign(row_id=a.row_id.str.replace("_C7", "_C8")),
        "study-level-rows": a.groupby(a.row_id.str.split("_").str[0]).head(1),
        "nan": a.assign(fractured=[np.nan, *a.fractured.iloc[1:]]),
        "text": a.assign(fractured=["x", *a.fractured.iloc[1:]]),
        "above-one": a.assign(fractured=[1.5, *a.fractured.iloc[1:]]),
        "negative": a.assign(fractured=[-0.1, *a.fractured.iloc[1:]]),
        "empty": a.iloc[:0],
    }, tmp_path)


def test_hand_checked():
    truth = {"A": [1, 1, 0, 0, 0, 0, 0, 0], "B": [0] * 8}
    answers = pd.DataFrame([(f"{s}_{t}", v) for s, vals in truth.items() for t, v in zip(TARGETS, vals, strict=True)],
                           columns=["row_id", "fractured"])
    submission = answers.assign(fractured=0.5).sample(frac=1, random_state=1)
    submission.loc[submission.row_id == "A_patient_overall", "fractured"] = 0.8
    submission.loc[submission.row_id == "B_patient_overall", "fractured"] = 0.2
    # A: patient_overall -ln 0.8 = 0.223144 (weight 14), C1 ln 2 (weight 2), C2..C7 ln 2 (weight 1):
    #    (14 * 0.223144 + 8 * 0.693147) / 22 = 0.394054.
    # B: patient_overall -ln 0.8 (weight 7), C1..C7 ln 2 (weight 1): (7 * 0.223144 + 7 * 0.693147) / 14
    #    = 0.458145. Mean: 0.426100.
    expected = ((14 * -math.log(0.8) + 8 * math.log(2)) / 22 + (7 * -math.log(0.8) + 7 * math.log(2)) / 14) / 2
    assert grade_fn(CID)(submission, answers) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.426100, abs=1e-6)
