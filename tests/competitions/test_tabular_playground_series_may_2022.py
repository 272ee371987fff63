import pandas as pd
import pytest

from mlebench.data import prepare_competition
from mlebench.errors import InvalidSubmissionError
from mlebench.registry import Registry
from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    probability_invalid,
)

CID = "tabular-playground-series-may-2022"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/gold_submission.csv": "80d7de54c83a5736f7343406d168814b",
    "private/test.csv": "e4e266a9c65d0be92738c6694d46fd4a",
    "public/sample_submission.csv": "8e6b90d0e7c7d5af875f70dd033d91ad",
    "public/test.csv": "1065d71ef37ecdbe2e6b76673e8ffe1b",
    "public/train.csv": "1292876921f7c46b55c982cd17aa5fb6",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    # The preparer holds out exactly 100,000 rows, so the fixture is big: prepare it once.
    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


@pytest.fixture(scope="module")
def answers(comp):
    return read_csv(comp.answers)


def test_split(comp, answers):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (240, 100_000, 100_000)
    assert list(train.id) == list(range(240))
    assert list(answers.id) == list(test.id) == list(range(240, 100_240))
    assert "target" not in test.columns and list(answers.columns) == list(train.columns)
    assert list(sample.id) == list(test.id) and (sample.target == 0.5).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


def test_grades(comp, answers, tmp_path):
    gold = read_csv(comp.private_dir / "gold_submission.csv")
    assert grade_df(comp, gold.iloc[::-1], tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.5


def test_hand_checked_auc():
    answers = pd.DataFrame({"id": [5, 6, 7, 8], "target": [1, 0, 1, 0]})
    submission = pd.DataFrame({"id": [8, 7, 6, 5], "target": [0.5, 0.5, 0.2, 0.9]})
    # Positives 5=0.9, 7=0.5; negatives 6=0.2, 8=0.5. Pairs: (5,6) (5,8) (7,6) ordered, (7,8)
    # tied counts half -> 3.5/4 = 0.875.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.875, abs=1e-12)


def test_invalid(comp, answers, tmp_path):
    gold = answers[["id", "target"]].head(3000)
    # A cut-down frame is enough for the column/value checks; the row checks use the full one.
    grade = grade_fn(CID)
    for _name, mutate in {**common_invalid("id", "target", -1), **probability_invalid("target")}.items():
        with pytest.raises(InvalidSubmissionError):
            grade(mutate(gold), answers.head(3000))
    assert_all_invalid(comp, answers[["id", "target"]],
                       {k: v for k, v in common_invalid("id", "target", -1).items()
                        if k in ("short", "duplicate-id", "nan")}, tmp_path)


@pytest.mark.parametrize("oddity", ["rewritten decimals", "late float", "exponent"])
def test_unparsed_split_writes_what_the_pandas_split_writes(tmp_path, monkeypatch, oddity):
    # The preparer takes each row's text as pandas' round trip writes it instead of parsing;
    # oracle: the reference's algorithm (read_csv, train_test_split, to_csv) on the same file.
    import hashlib
    import importlib

    import numpy as np

    prep = importlib.import_module(f"mlebench.competitions.{CID}.prepare")
    passthrough = importlib.import_module("mlebench.data.csv_passthrough")
    rng = np.random.default_rng(1)
    n = 100_300
    df = pd.DataFrame({"id": np.arange(n), "f_00": np.round(rng.normal(0, 1, n), 6),
                       "f_07": rng.poisson(2, n), "f_27": rng.choice(["ABBA", "BAAB"], n),
                       "target": rng.integers(0, 2, n)})
    df = df.astype({"f_00": object, "f_07": object})
    if oddity == "rewritten decimals":
        df.loc[::97, "f_00"] = "0.500"
        df.loc[3::89, "f_00"] = "7"
    elif oddity == "late float":
        df.loc[n - 5, "f_07"] = "2.5"  # the whole column is float for pandas: 2 -> "2.0"
    else:
        df.loc[11, "f_00"] = "1e-7"
    raw = tmp_path / "raw"
    raw.mkdir()
    df.to_csv(raw / "train.csv", index=False)
    monkeypatch.setattr(passthrough, "BLOCK_BYTES", 200_000)

    def run(fn, out):
        (out / "public").mkdir(parents=True)
        (out / "private").mkdir(parents=True)
        fn(raw, out / "public", out / "private")
        return {p.relative_to(out).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*.csv"))}

    ours = run(prep.prepare, tmp_path / "ours")
    assert len(ours) == 5 and ours == run(prep._pandas_split, tmp_path / "oracle")
    if oddity == "late float":
        assert (tmp_path / "ours/public/train.csv").read_text().splitlines()[1].split(",")[2].endswith(".0")
