"""Hold out 10% of Kaggle's train.csv (seed 0) as the test set.

`question_type_spelling` is almost always 0. When the held-out rows have a single value in that
column (its Spearman correlation would be undefined), the first held-out row trades places with
the first training row that has a non-zero value there (the reference implementation does the
same). The sample submission ramps every target column from 0 to 1 down the rows.
"""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

from .classes import CLASSES

SPELLING = "question_type_spelling"


def prepare(raw: Path, public: Path, private: Path) -> None:
    qa = read_csv(raw / "train.csv")
    train, test = train_test_split(qa, test_size=0.1, random_state=0)

    if test[SPELLING].nunique() == 1:
        donor = train[train[SPELLING] != 0].index[0]
        held_out_first = test.iloc[0].copy()
        test.iloc[0] = train.loc[donor].copy()
        train.loc[donor] = held_out_first

    public_test = test.drop(CLASSES, axis=1)
    answers = test[["qa_id", *CLASSES]]
    sample = answers.copy()
    sample[CLASSES] = np.tile(np.linspace(0, 1, len(sample))[:, None], (1, len(CLASSES)))

    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    public_test.to_csv(public / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert public_test.shape[1] == 11 and train.shape[1] == 41
    assert all(answers[c].nunique() > 1 for c in CLASSES), "a target column is constant in the test set"
    assert len(train) + len(answers) == len(qa)
