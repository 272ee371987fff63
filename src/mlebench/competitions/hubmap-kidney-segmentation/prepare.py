"""Kaggle's 15 training images become 12 train + 3 test images (`train_test_split`, seed 0); the
test answers are their run-length masks plus each image's width and height (from the dataset
information table, which keeps only the 15 former training images). Images and their annotation
json files are hard-linked; the test images keep their glomerulus json, as in the reference."""

import shutil
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

N_TRAIN, N_TEST = 12, 3


def _image_files(image_id: str) -> list[str]:
    return [f"{image_id}.tiff", f"{image_id}.json", f"{image_id}-anatomical-structure.json"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    full_train = read_csv(raw / "train.csv")
    info = read_csv(raw / "HuBMAP-20-dataset_information.csv")
    if len(full_train) != N_TRAIN + N_TEST:
        raise ValueError(f"Expected {N_TRAIN + N_TEST} training images, found {len(full_train)}.")

    train, test = train_test_split(full_train, train_size=N_TRAIN, test_size=N_TEST, random_state=0)
    info_ids = info["image_file"].str.replace(".tiff", "")
    info = info[info_ids.isin(full_train["id"])]
    sizes = info.assign(id=info_ids)[["id", "width_pixels", "height_pixels"]]
    answers = test.merge(sizes, on="id")

    info.to_csv(public / "HuBMAP-20-dataset_information.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)

    sample = answers[["id"]].assign(predicted="")
    sample.to_csv(public / "sample_submission.csv", index=False)
    gold = answers[["id"]].assign(predicted=answers["encoding"])
    gold.to_csv(private / "gold_submission.csv", index=False)

    pairs = [(raw / "train" / name, public / "train" / name)
             for image_id in train["id"] for name in _image_files(image_id)]
    pairs += [(raw / "train" / name, public / "test" / name)
              for image_id in answers["id"] for name in _image_files(image_id)]
    place_files(pairs)
    (public / "test").mkdir(exist_ok=True)
    shutil.copyfile(public / "sample_submission.csv", public / "test" / "sample_submission.csv")
