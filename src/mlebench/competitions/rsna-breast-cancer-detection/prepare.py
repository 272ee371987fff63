"""Hold out 10% of Kaggle's training patients (seed 42) as the test set.

Public: train.csv (the remaining patients' image rows, all columns), test.csv (the held-out image
rows without labels, plus `prediction_id` = `<patient_id>_<laterality>`), sample_submission.csv
(one row per prediction_id, predicting the training cancer rate), and the DICOM files under
train_images/<patient_id>/ and test_images/<patient_id>/. Private: answers.csv (one row per
prediction_id with the `cancer` label of the breast).
"""

from __future__ import annotations

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv

TEST_COLUMNS = ["site_id", "patient_id", "image_id", "laterality", "view", "age", "implant", "machine_id"]
SUBMISSION_COLUMNS = ["prediction_id", "cancer"]


def _copy_images(rows, raw_images: Path, out_dir: Path, patients) -> None:
    out_dir.mkdir(exist_ok=True)
    images_by_patient = rows.groupby("patient_id", sort=False)["image_id"].agg(list)
    for patient in patients:
        folder = out_dir / str(patient)
        folder.mkdir(exist_ok=True)
        for image_id in images_by_patient.get(patient, []):
            link_or_copy(raw_images / str(patient) / f"{image_id}.dcm", folder / f"{image_id}.dcm")


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    patients = full["patient_id"].unique()
    train_patients, test_patients = train_test_split(patients, test_size=0.1, random_state=42)

    in_test = full["patient_id"].isin(set(test_patients))
    train = full[~in_test].copy()
    train.to_csv(public / "train.csv", index=False)

    test = full.loc[in_test, TEST_COLUMNS].copy()
    test["prediction_id"] = test["patient_id"].astype(str) + "_" + test["laterality"]
    test.to_csv(public / "test.csv", index=False)

    # One row per breast (images of a breast share its label), ordered by prediction_id.
    labels = full.loc[in_test, "cancer"]
    answers = (
        labels.groupby(test["prediction_id"]).first().rename_axis("prediction_id").reset_index()
    )[SUBMISSION_COLUMNS]
    answers.to_csv(private / "answers.csv", index=False)

    sample = answers.copy()
    sample["cancer"] = train["cancer"].mean()
    sample.to_csv(public / "sample_submission.csv", index=False)

    if len(answers) == len(test):
        raise ValueError("Expected several images per breast: test.csv and answers.csv have equal lengths.")
    _copy_images(train, raw / "train_images", public / "train_images", train_patients)
    _copy_images(test, raw / "train_images", public / "test_images", test_patients)
    n_train = sum(1 for _ in (public / "train_images").rglob("*.dcm"))
    n_test = sum(1 for _ in (public / "test_images").rglob("*.dcm"))
    if (n_train, n_test) != (len(train), len(test)):
        raise ValueError(f"Copied {n_train}/{n_test} DICOM files for {len(train)}/{len(test)} image rows.")
