"""Split Kaggle's train.csv 90/10 (seed 0); the 10% becomes the test set (features public, species
private one-hot over the 99 classes). public/images holds the images of the new train and test ids
only (Kaggle's own test images are left out)."""

import zipfile
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.tables import one_hot
from mlebench.data.files import place_files
from mlebench.tables import read_csv

from .species import SPECIES


def prepare(raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / "train.csv.zip") as zf, zf.open("train.csv") as f:
        labelled = read_csv(f)
    train, test = train_test_split(labelled, test_size=0.1, random_state=0)
    answers = one_hot(test[["id", "species"]], "id", "species", SPECIES)

    images = public / "images"
    images.mkdir(exist_ok=True)
    (private / "images").mkdir(exist_ok=True)  # created empty, as by the reference
    wanted = [f"{i}.jpg" for i in [*train["id"], *test["id"]]]
    if (raw / "images").is_dir():  # an already-extracted download
        place_files([(raw / "images" / name, images / name) for name in wanted])
    else:
        with zipfile.ZipFile(raw / "images.zip") as zf:
            for name in wanted:
                (images / name).write_bytes(zf.read(f"images/{name}"))

    sample = answers.copy()
    sample[SPECIES] = 1 / len(SPECIES)

    train.to_csv(public / "train.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    test.drop(columns=["species"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
