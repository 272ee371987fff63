"""Per whale id (in order of first appearance, "new_whale" included): with two or more images, one
drawn image goes to train and another to test (`DataFrame.sample(2, random_state=0)`); a single
image goes to test with probability 0.1 (numpy `default_rng(0)`, one draw per such whale). The
remaining images are split 90/10 (`train_test_split`, `random_state=0`). Test images whose whale
never appears in train are relabelled "new_whale". Images are hard-linked."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

TEST_SIZE = 0.1
SAMPLE_IDS = "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    split = pd.Series("undecided", index=labels.index, dtype=object)
    rng = np.random.default_rng(0)
    for _, group in labels.groupby("Id", sort=False):
        if len(group) >= 2:
            pick = group.sample(2, random_state=0).index
            split[pick[0]], split[pick[1]] = "train", "test"
        else:
            split[group.index[0]] = rng.choice(["train", "test"], replace=False, p=[1 - TEST_SIZE, TEST_SIZE])
    rest_train, rest_test = train_test_split(labels[split == "undecided"], test_size=TEST_SIZE, random_state=0)
    split[rest_train.index] = "train"
    split[rest_test.index] = "test"

    train = labels[split == "train"].copy()
    answers = labels[split == "test"].copy()
    answers.loc[~answers["Id"].isin(set(train["Id"])), "Id"] = "new_whale"
    sample = answers.assign(Id=SAMPLE_IDS)

    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    (public / "test").mkdir(exist_ok=True)
    (public / "train").mkdir(exist_ok=True)
    place_files([(raw / "train" / i, public / "train" / i) for i in train["Image"]]
                + [(raw / "train" / i, public / "test" / i) for i in answers["Image"]])

    assert "new_whale" in set(answers["Id"])
    assert len(train) + len(answers) == len(labels)
