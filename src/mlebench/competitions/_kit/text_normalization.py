"""Shared preparer for the two Text Normalization Challenges (English `en`, Russian `ru`).

Kaggle's train file holds one token per row (`sentence_id, token_id, class, before, after`). 10% of
the distinct sentence ids (seed 0) are held out, so no sentence is split between train and test;
sentence ids are then renumbered 0..n-1 by first appearance within each set."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.metrics import accuracy, id_positions, require_columns
from mlebench.metrics._tokens import arrow_text, as_texts, in_arrow, one_array
from mlebench.tables import read_csv

# The preparer's and fixture's libraries (scikit-learn's model_selection, py7zr behind the archive
# helpers: 50 ms and ~6 MB) are imported where they are used: the grading worker imports this
# module for `grade_text_normalization` alone.


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
    from sklearn.model_selection import train_test_split

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
    in the reference, so a token like "NA" that pandas parses as missing still matches).

    Read with the "arrow" reader: ids and tokens stay in Arrow memory, missing cells as Arrow
    nulls, and are compared there (no Python string per token); a file read by pandas (or
    answers without a cache) goes through `astype(str)` as in the reference."""
    require_columns(submission, ["id", "after"])
    if in_arrow(submission["after"]) or in_arrow(answers["after"]):
        import pyarrow.compute as pc  # lazy: only the Arrow path needs it

        rows = id_positions(submission, answers, "id", ["after"])
        truth, predicted = _arrow_texts(answers["after"]), _arrow_texts(submission["after"])
        if truth is not None and predicted is not None:  # else text Arrow cannot hold: below
            if not isinstance(rows, slice):
                predicted = predicted.take(rows)
            # equal UTF-8 bytes are equal strings; the count over the rows is np.average's mean
            return pc.sum(pc.equal(truth, predicted)).as_py() / len(truth)
    # two-column frames over the same id arrays: `assign` would copy every column (1M rows)
    submission = pd.DataFrame({"id": submission["id"], "after": submission["after"].astype(str)},
                              copy=False)
    answers = pd.DataFrame({"id": answers["id"], "after": answers["after"].astype(str)}, copy=False)
    return accuracy(submission, answers, id_column="id", target_column="after")


def _arrow_texts(column: pd.Series):
    """The column's tokens as `astype(str)` would make them, as one Arrow large_string array
    (None for a Python string Arrow cannot hold, a lone surrogate)."""
    import pyarrow as pa  # lazy: only the Arrow path needs it

    if in_arrow(column):
        array = one_array(column.array.__arrow_array__())
        return array.cast(pa.large_string()).fill_null("nan")
    return arrow_text(as_texts(column))


WORDS = {
    "en": ["the", "city", "was", "founded", "in", "river", "and", "its", "population", "is",
           "Brillantaisia", "genus", "of", "plant", "NA", "null", "a", "school"],
    "ru": ["в", "городе", "было", "основано", "и", "река", "его", "население", "составляет",
           "школа", "NA", "null", "по", "году", "области"],
}


SPOKEN_NUMBERS = {
    "en": ["one", "twenty", "nineteen ninety", "three hundred", "seven"],
    "ru": ["один", "двадцать", "тысяча девятьсот", "триста", "семь"],
}


def _token(rng: np.random.Generator, lang: str) -> tuple[str, str, str]:
    kind = rng.random()
    if kind < 0.6:
        word = str(rng.choice(WORDS[lang]))
        return "PLAIN", word, word
    if kind < 0.75:
        mark = str(rng.choice([".", ",", '"', "-", "(", ")"]))
        return "PUNCT", mark, mark
    if kind < 0.85:
        return "CARDINAL", str(rng.integers(1, 2000)), str(rng.choice(SPOKEN_NUMBERS[lang]))
    if kind < 0.92:
        return "DATE", f"{rng.integers(1800, 2020)}", str(rng.choice(SPOKEN_NUMBERS[lang]))
    if kind < 0.96:
        return "LETTERS", "BBC", "b b c"
    return "MEASURE", "12, 5 km", "twelve point five kilometers" if lang == "en" else "двенадцать км"


def _sentences(rng: np.random.Generator, lang: str, n_sentences: int, labelled: bool) -> pd.DataFrame:
    rows = []
    for sid in range(n_sentences):
        for tid in range(int(rng.integers(3, 12))):
            cls, before, after = _token(rng, lang)
            rows.append((sid, tid, cls, before, after))
    df = pd.DataFrame(rows, columns=["sentence_id", "token_id", "class", "before", "after"])
    return df if labelled else df[["sentence_id", "token_id", "before"]]


def _csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode()


def make_text_normalization_fixture(lang: str, competition_id: str, out_dir: Path, seed: int) -> Path:
    from mlebench.competitions._kit.archives import write_zip, zip_bytes

    rng = np.random.default_rng(seed)
    train = _sentences(rng, lang, 80, labelled=True)
    files = {f"{lang}_train.csv": train}
    for suffix, n in (("", 12), ("_2", 15)):
        test = _sentences(rng, lang, n, labelled=False)
        ids = test["sentence_id"].astype(str) + "_" + test["token_id"].astype(str)
        files[f"{lang}_test{suffix}.csv"] = test
        files[f"{lang}_sample_submission{suffix}.csv"] = pd.DataFrame({"id": ids, "after": test["before"]})
    return write_zip(out_dir / f"{competition_id}.zip", {
        f"{name}.zip": zip_bytes({name: _csv(df)}) for name, df in sorted(files.items())
    })
