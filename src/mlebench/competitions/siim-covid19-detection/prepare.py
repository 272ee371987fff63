"""Split Kaggle's labelled studies 90/10 (seed 0); the held-out studies and their images form the
test set, graded as one `id,PredictionString` file of study rows then image rows."""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_tree
from mlebench.tables import read_csv

# Study labels by the position of their one-hot column (after `id`) in train_study_level.csv.
STUDY_LABELS = ["negative", "typical", "indeterminate", "atypical"]
DUMMY_BOX = "1 0 0 1 1"  # confidence 1 and the 1x1 box Kaggle uses for box-less predictions


def _copy_studies(raw_train: Path, study_rows: pd.Series, dest: Path) -> None:
    """Each study's folder tree (series/image.dcm), hard-linked when possible, else copied."""
    for study_id in study_rows:
        study = study_id.replace("_study", "")
        link_tree(raw_train / study, dest / study)
    copied = len(list(dest.glob("*"))) if dest.exists() else 0
    assert copied == len(study_rows), f"{dest.name}: copied {copied} studies, expected {len(study_rows)}"


def prepare(raw: Path, public: Path, private: Path) -> None:
    studies = read_csv(raw / "train_study_level.csv")
    train_studies, test_studies = train_test_split(studies, test_size=0.1, random_state=0)
    train_studies = train_studies.sort_values(by="id")
    test_studies = test_studies.sort_values(by="id")
    train_studies.to_csv(public / "train_study_level.csv", index=False)

    images = read_csv(raw / "train_image_level.csv")
    study_of_image = images["StudyInstanceUID"] + "_study"
    train_images = images[study_of_image.isin(train_studies["id"])].sort_values(by="id")
    test_images = images[study_of_image.isin(test_studies["id"])].sort_values(by="id")
    assert len(train_images) + len(test_images) == len(images), "every image belongs to a study"
    train_images.to_csv(public / "train_image_level.csv", index=False)

    _copy_studies(raw / "train", train_studies["id"], public / "train")
    _copy_studies(raw / "train", test_studies["id"], public / "test")

    # Study answers: the label of the first column holding the row's maximum (its one-hot 1).
    label_index = test_studies.iloc[:, 1:].to_numpy().argmax(axis=1)
    study_answers = [f"{STUDY_LABELS[i]} {DUMMY_BOX}" for i in label_index]
    answers = pd.DataFrame({
        "id": [*test_studies["id"], *test_images["id"]],
        "PredictionString": [*study_answers, *test_images["label"]],
    })
    answers.to_csv(private / "test.csv", index=False)

    sample = pd.DataFrame({
        "id": answers["id"],
        "PredictionString": [f"negative {DUMMY_BOX}"] * len(test_studies)
        + [f"none {DUMMY_BOX}"] * len(test_images),
    })
    sample.to_csv(public / "sample_submission.csv", index=False)
