"""Hold out 25% of Kaggle's labelled paddy photos (seed 0) as the test set (Kaggle's own split was
10,407 train / 3,469 test). Train photos stay in `train_images/<label>/`; test photos go flat into
`test_images/`."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = read_csv(raw / "train.csv")
    kaggle_sample = read_csv(raw / "sample_submission.csv")
    train, test = train_test_split(labelled, train_size=0.75, random_state=0)
    assert set(train["image_id"]).isdisjoint(test["image_id"]), "train and test ids overlap"

    sample = test[["image_id", "label"]].copy()
    sample["label"] = ""
    assert set(sample.columns) == set(kaggle_sample.columns)

    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    test.to_csv(private / "test.csv", index=False)

    for row in train.itertuples():
        link_or_copy(raw / "train_images" / row.label / row.image_id,
                     public / "train_images" / row.label / row.image_id)
    for row in test.itertuples():
        link_or_copy(raw / "train_images" / row.label / row.image_id,
                     public / "test_images" / row.image_id)
    assert len(list(public.glob("train_images/*/*.jpg"))) == len(train)
    assert len(list(public.glob("test_images/*.jpg"))) == len(test)
