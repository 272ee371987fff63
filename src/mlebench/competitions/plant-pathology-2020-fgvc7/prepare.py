"""Split Kaggle's train.csv 90/10 (seed 0) and renumber the images: the new train rows become
Train_0.. and the held-out rows Test_0.. (each in split order); images are hard-linked under their
new names into public/images (Kaggle's own test images are not used)."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    assert set(labelled.columns) == {"image_id", *CLASSES}, list(labelled.columns)
    train, answers = train_test_split(labelled, test_size=0.1, random_state=0)

    new_name = {old: f"Train_{i}" for i, old in enumerate(train["image_id"].unique())}
    new_name.update({old: f"Test_{i}" for i, old in enumerate(answers["image_id"].unique())})
    train = train.assign(image_id=train["image_id"].map(new_name))
    answers = answers.assign(image_id=answers["image_id"].map(new_name))

    assert labelled["image_id"].str.startswith("Train_").all()
    (public / "images").mkdir(exist_ok=True)
    place_files([(raw / "images" / f"{old}.jpg", public / "images" / f"{new_name.get(old, old)}.jpg")
                 for old in labelled["image_id"]])

    answers.to_csv(private / "test.csv", index=False)
    answers[["image_id"]].assign(**{c: 0.25 for c in CLASSES}).to_csv(
        public / "sample_submission.csv", index=False)
    answers[["image_id"]].to_csv(public / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
