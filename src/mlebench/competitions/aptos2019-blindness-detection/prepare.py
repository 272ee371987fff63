"""Hold out 10% of Kaggle's labelled retina photos (seed 0) as the test set; the photos are placed in
`train_images/` and `test_images/` accordingly."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    train, test = train_test_split(labelled, test_size=0.1, random_state=0)
    assert set(train["id_code"]).isdisjoint(test["id_code"]), "train and test ids overlap"

    for folder, frame in (("train_images", train), ("test_images", test)):
        (public / folder).mkdir(exist_ok=True)
        for id_code in frame["id_code"]:
            link_or_copy(raw / "train_images" / f"{id_code}.png", public / folder / f"{id_code}.png")
        n_files = len(list((public / folder).glob("*.png")))
        assert n_files == len(frame), f"{folder} has {n_files} images, expected {len(frame)}"

    sample = test.copy()
    sample["diagnosis"] = 0
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["diagnosis"]).to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
