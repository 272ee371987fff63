"""Shared tests for the two Text Normalization Challenges ."""

from __future__ import annotations

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._image_helpers import grade_df, raw_score
from ._invalid_checks import assert_all_invalid, common_invalid, grade_fn, prepared_digests


def check_split(comp, lang: str) -> None:
    import io
    import zipfile

    def from_zip(name):
        with zipfile.ZipFile(comp.public_dir / f"{name}.zip") as zf:
            assert zf.namelist() == [name]
            return read_csv(io.BytesIO(zf.read(name)))

    train, test = from_zip(f"{lang}_train.csv"), from_zip(f"{lang}_test_2.csv")
    public_sample = from_zip(f"{lang}_sample_submission_2.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert sorted(p.name for p in comp.public_dir.iterdir() if p.suffix == ".zip") == sorted(
        f"{lang}_{n}.csv.zip" for n in ("train", "test_2", "sample_submission_2"))
    assert list(train.columns) == ["sentence_id", "token_id", "class", "before", "after"]
    assert list(test.columns) == ["sentence_id", "token_id", "before"]
    assert list(answers.columns) == list(sample.columns) == ["id", "after"]
    # 80 fixture sentences: 72 train, 8 test, renumbered from 0 by appearance.
    assert train.sentence_id.unique().tolist() == list(range(72))
    assert test.sentence_id.unique().tolist() == list(range(8))
    ids = (test.sentence_id.astype(str) + "_" + test.token_id.astype(str)).tolist()
    assert answers.id.tolist() == sample.id.tolist() == public_sample.id.tolist() == ids
    pd.testing.assert_series_equal(sample.after, test.before, check_names=False)
    # Fields are quoted as in Kaggle's files.
    assert (comp.private_dir / "answers.csv").read_text().splitlines()[0] == '"id","after"'


def check_grades(comp, tmp_path) -> None:
    answers = read_csv(comp.answers)
    assert answers.after.isna().any()  # "NA"/"null" tokens are read as missing, and still match
    perfect = answers.sample(frac=1, random_state=1)
    assert grade_df(comp, perfect, tmp_path).score == 1.0
    sample_score = raw_score(comp, read_csv(comp.sample_submission), tmp_path)
    assert 0.5 < sample_score < 1.0


def check_hand_checked(cid: str) -> None:
    answers = pd.DataFrame({"id": ["0_0", "0_1", "1_0", "1_1"], "after": ["one", "two", None, "b c"]})
    submission = pd.DataFrame({"id": ["1_1", "1_0", "0_1", "0_0"], "after": ["bc", None, "two", "1"]})
    # 0_0 wrong, 0_1 right, 1_0 right (missing == missing, both "nan" as text), 1_1 wrong: 2/4.
    assert grade_fn(cid)(submission, answers) == pytest.approx(0.5, abs=1e-12)


def check_invalid(comp, tmp_path) -> None:
    answers = read_csv(comp.answers)
    mutations = {k: v for k, v in common_invalid("id", "after", "999_999").items()
                 if k not in ("nan", "text")}  # any text (or nothing) is a valid prediction
    assert_all_invalid(comp, answers, mutations, tmp_path)


def check_digests(comp, expected) -> None:
    assert prepared_digests(comp, expected) == expected
