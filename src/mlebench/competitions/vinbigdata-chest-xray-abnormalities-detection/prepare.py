"""Hold out 10% of Kaggle's labelled images (seed 0) as the test set; its answers keep one box per
(image, class), the first one listed, as a stand-in for the consensus labels of Kaggle's test."""

import logging
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

logger = logging.getLogger(__name__)

# Kaggle's train has 15,000 images; the reference asserts this 13,500 / 1,500 split.
EXPECTED_TRAIN_IMAGES, EXPECTED_TEST_IMAGES = 13_500, 1_500
NO_FINDING = 14
BOX = ["x_min", "y_min", "x_max", "y_max"]


def _first_box_per_class(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (image_id, class_id), sorted by both; each other column takes its first
    non-missing value in file order (pandas' groupby `first`)."""
    return rows.groupby(by=["image_id", "class_id"]).first().reset_index()


def _gold_strings(answers: pd.DataFrame) -> pd.DataFrame:
    """`class 1.0 x_min y_min x_max y_max` per answer row, joined per image (sorted by image)."""
    parts = [
        f"{c} 1.0 {x0} {y0} {x1} {y1}"
        for c, x0, y0, x1, y1 in zip(
            answers["class_id"].tolist(), *(answers[b].tolist() for b in BOX), strict=True
        )
    ]
    frame = pd.DataFrame({"image_id": answers["image_id"], "PredictionString": parts})
    return frame.groupby("image_id")["PredictionString"].agg(" ".join).reset_index()


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    image_ids = labels["image_id"].unique()
    train_ids, test_ids = train_test_split(image_ids, test_size=0.1, random_state=0)

    train = labels[labels["image_id"].isin(train_ids)]
    held_out = labels[labels["image_id"].isin(test_ids)]
    if (len(train_ids), len(test_ids)) != (EXPECTED_TRAIN_IMAGES, EXPECTED_TEST_IMAGES):
        # The reference asserts the real sizes; a small (e.g. synthetic) download only warns.
        logger.warning(
            "Split has %d train / %d test images; Kaggle's full data gives %d / %d.",
            len(train_ids), len(test_ids), EXPECTED_TRAIN_IMAGES, EXPECTED_TEST_IMAGES,
        )
    assert len(train) + len(held_out) == len(labels)
    sample = pd.DataFrame({"image_id": test_ids, "PredictionString": "14 1 0 0 1 1"})

    answers = _first_box_per_class(held_out).fillna(0)
    answers.loc[answers["class_id"] == NO_FINDING, ["x_max", "y_max"]] = 1.0
    gold = _gold_strings(answers)
    assert len(gold) == len(sample) == answers["image_id"].nunique()

    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    gold.to_csv(private / "gold_submission.csv", index=False)

    for folder, ids in (("train", train_ids), ("test", test_ids)):
        (public / folder).mkdir(exist_ok=True)
        # hard links when possible (the DICOMs are ~200 GB), else copies; same bytes either way
        place_files((raw / "train" / f"{i}.dicom", public / folder / f"{i}.dicom") for i in ids)
        copied = len(list((public / folder).glob("*.dicom")))
        assert copied == len(ids), f"{folder}: {copied} DICOM files, expected {len(ids)}"
