"""Hold out 10% of Kaggle's labelled X-rays (seed 0) as the test set; annotations of the held-out
studies are dropped from the public train_annotations.csv. The sample submission has only the nine
columns of `CLASSES` (the reference's omission, reproduced)."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv

from .classes import CLASSES


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    train, test = train_test_split(labelled, test_size=0.1, random_state=0)
    annotations = read_csv(raw / "train_annotations.csv")
    train_annotations = annotations[annotations["StudyInstanceUID"].isin(train["StudyInstanceUID"])]

    for folder, frame in (("train", train), ("test", test)):
        (public / folder).mkdir(exist_ok=True)
        for uid in frame["StudyInstanceUID"]:
            link_or_copy(raw / "train" / f"{uid}.jpg", public / folder / f"{uid}.jpg")
        assert len(list((public / folder).glob("*.jpg"))) == len(frame)

    sample = test[["StudyInstanceUID", *CLASSES]].copy()
    sample[CLASSES] = 0
    train.to_csv(public / "train.csv", index=False)
    train_annotations.to_csv(public / "train_annotations.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
