"""Hold out the last days of Kaggle's transactions as the test period.

Every transaction dated on or after (last date - 7 days) is held out: that is 8 calendar days,
as in the reference. The answers list, per customer who bought something in that period, the
bought article ids in file order. Kaggle's 31M-row transactions file is streamed in chunks (one pass
for the last date, one to split), so memory stays bounded; the output equals a one-shot split.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from mlebench.data.files import link_tree
from mlebench.tables import read_csv

CHUNK_ROWS = 1_000_000
TRAIN_COLUMNS = ["t_dat", "customer_id", "article_id", "price", "sales_channel_id"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    transactions = raw / "transactions_train.csv"
    last_day = max(
        pd.to_datetime(chunk["t_dat"]).max()
        for chunk in read_csv(transactions, usecols=["t_dat"], chunksize=CHUNK_ROWS)
    )
    cutoff = last_day - pd.Timedelta(days=7)

    held_out = []
    with open(public / "transactions_train.csv", "w", newline="") as train_out:
        for i, chunk in enumerate(read_csv(transactions, chunksize=CHUNK_ROWS)):
            assert chunk.columns.tolist() == TRAIN_COLUMNS, f"unexpected columns {chunk.columns.tolist()}"
            recent = (pd.to_datetime(chunk["t_dat"]) >= cutoff).to_numpy()
            chunk[~recent].to_csv(train_out, index=False, header=i == 0)
            held_out.append(chunk.loc[recent, ["customer_id", "article_id"]])

    test = pd.concat(held_out)
    answers = (
        test.groupby("customer_id")["article_id"]
        .apply(lambda ids: " ".join(ids.astype(str)))
        .reset_index()
        .rename(columns={"article_id": "prediction"})
    )
    assert answers["customer_id"].is_unique
    answers.to_csv(private / "answers.csv", index=False)

    # The sample submission lists every customer (not only the test-period buyers, which would
    # leak who bought); the grader scores the buyers only.
    for name in ("sample_submission.csv", "articles.csv", "customers.csv"):
        shutil.copyfile(raw / name, public / name)
    link_tree(raw / "images", public / "images")
