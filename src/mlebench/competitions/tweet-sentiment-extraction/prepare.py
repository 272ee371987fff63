"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set; the sample submission has an empty
`selected_text` for every test tweet."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    tweets = read_csv(raw / "train.csv")
    train, test = train_test_split(tweets, test_size=0.1, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=["selected_text"]).to_csv(public / "test.csv", index=False)
    assert len(train) + len(test) == len(tweets)

    sample = test[["textID", "selected_text"]].copy()
    sample["selected_text"] = ""
    sample.to_csv(public / "sample_submission.csv", index=False)
