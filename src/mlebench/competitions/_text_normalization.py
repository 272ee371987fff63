"""Shared preparer for the two Text Normalization Challenges (English `en`, Russian `ru`).

Kaggle's train file holds one token per row (`sentence_id, token_id, class, before, after`). 10% of
the distinct sentence ids (seed 0) are held out, so no sentence is split between train and test;
sentence ids are then renumbered 0..n-1 by first appearance within each set.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.metrics import accuracy, require_columns
from mlebench.tables import read_csv


def _renumber(df: pd.DataFrame) -> pd.DataFrame:
    mapping = {old: new for new, old in enumerate(df["sentence_id"].unique())}
    return df.assign(sentence_id=df["sentence_id"].map(mapping))


def _token_ids(df: pd.DataFrame) -> pd.Series:
    return df["sentence_id"].astype(str) + "_" + df["token_id"].astype(str)


def _write(df: pd.DataFrame, path: Path) -> None:
    # Every non-numeric field quoted, like Kaggle's own files.
    df.to_csv(path, index=False, quotechar='"', quoting=csv.QUOTE_NONNUMERIC)


def _write_zipped(df: pd.DataFrame, folder: Path, name: str) -> None:
    plain = folder / name
    _write(df, plain)
    with zipfile.ZipFile(folder / f"{name}.zip", "w") as zf:  # stored, like the reference
        zf.write(plain, arcname=name)
    plain.unlink()


def prepare_text_normalization(lang: str, raw: Path, public: Path, private: Path) -> None:
    with zipfile.ZipFile(raw / f"{lang}_train.csv.zip") as zf, zf.open(f"{lang}_train.csv") as f:
        full = read_csv(f)

    train_sentences, test_sentences = train_test_split(
        full["sentence_id"].unique(), test_size=0.1, random_state=0
    )
    train = _renumber(full[full["sentence_id"].isin(train_sentences)])
    held_out = _renumber(full[full["sentence_id"].isin(test_sentences)])
    assert len(train) + len(held_out) == len(full)

    test = held_out[["sentence_id", "token_id", "before"]]
    answers = pd.DataFrame({"id": _token_ids(held_out), "after": held_out["after"]})
    # The sample submission copies each token unchanged.
    sample = pd.DataFrame({"id": _token_ids(test), "after": test["before"]})

    _write(answers, private / "answers.csv")
    _write(sample, private / "sample_submission.csv")
    _write_zipped(train, public, f"{lang}_train.csv")
    _write_zipped(test, public, f"{lang}_test_2.csv")
    _write_zipped(sample, public, f"{lang}_sample_submission_2.csv")


def grade_text_normalization(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    """Token accuracy; both sides compared as text (a missing value reads as the text "nan", as
    in the reference, so a token like "NA" that pandas parses as missing still matches)."""
    require_columns(submission, ["id", "after"])
    submission = submission.assign(after=submission["after"].astype(str))
    answers = answers.assign(after=answers["after"].astype(str))
    return accuracy(submission, answers, id_column="id", target_column="after")
