"""Split Kaggle's train.csv 90/10 (seed 0); the 10% is the test set. Public test.csv drops
`answer_text` and `answer_start`; the private answers are (`id`, `PredictionString` = the answer
text); the sample submission says "dummy text" for every id."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train, test = train_test_split(full, test_size=0.1, random_state=0)

    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=["answer_start", "answer_text"]).to_csv(public / "test.csv", index=False)
    answers = test[["id", "answer_text"]].rename(columns={"answer_text": "PredictionString"})
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(PredictionString="dummy text").to_csv(public / "sample_submission.csv", index=False)
