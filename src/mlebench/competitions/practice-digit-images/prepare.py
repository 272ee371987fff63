"""Hold out 20% of the download's labelled images (stratified on `label`, seed 0) as the private
test set: their PNGs move to `public/test/`, their labels to `private/test.csv`. The download's
unlabelled test images are not used."""

import shutil
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    full_train = read_csv(raw / "train.csv", dtype={"id": str})
    train, test = train_test_split(
        full_train, test_size=0.2, random_state=0, stratify=full_train["label"]
    )
    train = train.sort_values("id")
    test = test.sort_values("id")

    for frame, folder in ((train, public / "train"), (test, public / "test")):
        folder.mkdir(parents=True, exist_ok=True)
        for image_id in frame["id"]:
            shutil.copyfile(raw / "train" / f"{image_id}.png", folder / f"{image_id}.png")

    train.to_csv(public / "train.csv", index=False)
    test[["id"]].assign(label=0).to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
