"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set. The answers keep every column of
the held-out rows; the public test keeps only the conversation (no model names, no winner); the
sample submission predicts 1/3 for each outcome."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

OUTCOMES = ["winner_model_a", "winner_model_b", "winner_tie"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    battles = read_csv(raw / "train.csv")
    train, answers = train_test_split(battles, test_size=0.1, random_state=0)
    test = answers[["id", "prompt", "response_a", "response_b"]].copy()

    sample = answers[["id"]].copy()
    for col in OUTCOMES:
        sample[col] = 0.3333333333333333

    assert len(train) + len(test) == len(battles)
    assert set(train["id"]).isdisjoint(test["id"])
    assert list(train.columns) == list(battles.columns)

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
