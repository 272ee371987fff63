"""Shared checks for the competitions' tests: digests of prepared files and trees (md5, archive
members, folders), grading a DataFrame through the CSV path, invalid-submission sweeps, and the
text-normalization checks shared by its two competitions."""

from __future__ import annotations

import hashlib
import importlib
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import py7zr
import pytest

from mlebench.grade import grade_csv
from mlebench.grading.api import evaluate
from mlebench.tables import read_csv


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def archive_digest(path: Path) -> str:
    """md5 over the (name, content) of each member of a .zip or .7z, independent of timestamps."""
    with tempfile.TemporaryDirectory() as tmp:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                zf.extractall(tmp)
        else:
            with py7zr.SevenZipFile(path) as archive:
                archive.extractall(tmp)
        return tree_digest(Path(tmp))


def tree_digest(root: Path, pattern: str = "**/*") -> str:
    """md5 over sorted `relative/path md5` lines of every file matching `pattern` under `root`."""
    lines = sorted(f"{p.relative_to(root).as_posix()} {md5(p)}" for p in root.glob(pattern) if p.is_file())
    return hashlib.md5("\n".join(lines).encode()).hexdigest()


def grade_df(competition, df: pd.DataFrame, tmp_path: Path):
    path = tmp_path / "submission.csv"
    df.to_csv(path, index=False)
    return grade_csv(path, competition)


def raw_score(competition, df: pd.DataFrame, tmp_path: Path) -> float | None:
    """The unrounded score of `df` (None when invalid)."""
    path = tmp_path / "submission.csv"
    df.to_csv(path, index=False)
    return evaluate(path, competition).raw_score


def assert_reference_digests(root: Path, files: dict[str, str], trees: dict[str, str]) -> None:
    """The prepared files (md5) and folders (`tree_digest`) under `root` are the ones recorded
    from the reference's preparation of the same fixture."""
    assert {k: md5(root / k) for k in files} == files
    assert {k: tree_digest(root / k) for k in trees} == trees


def prepared_md5s(competition, names) -> dict[str, str]:
    return {name: md5(competition.prepared_dir / name) for name in names}


def assert_all_invalid(competition, base: pd.DataFrame, mutations: dict[str, Callable], tmp_path: Path) -> None:
    for name, mutate in mutations.items():
        report = grade_df(competition, mutate(base.copy()), tmp_path)
        assert report.valid_submission is False, name
        assert report.invalid_reason, name


def shape_invalid(id_col: str, target: str) -> dict[str, Callable]:
    """Mutations every grader must refuse: missing columns, wrong row count, bad ids, no rows."""
    return {
        "no-target": lambda d: d.drop(columns=[target]),
        "no-id": lambda d: d.drop(columns=[id_col]),
        "short": lambda d: d.iloc[:-1],
        "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
        "duplicate-id": lambda d: d.assign(**{id_col: [d[id_col].iloc[1], *d[id_col].iloc[1:]]}),
        "unknown-id": lambda d: d.assign(**{id_col: ["zzz-unknown", *d[id_col].astype(str).iloc[1:]]}),
        "empty": lambda d: d.iloc[:0],
    }


def prepared_digests(competition, names) -> dict[str, str]:
    """md5 of each prepared file (zips by member names and contents, independent of timestamps)."""
    root = competition.prepared_dir
    return {n: archive_digest(root / n) if n.endswith(".zip") else md5(root / n) for n in names}


def common_invalid(id_col: str, target: str, unknown_id) -> dict:
    """Mutations every grader here rejects: missing columns, wrong row counts, bad ids, NaN, text."""
    return {
        "no-target": lambda d: d.drop(columns=[target]),
        "no-id": lambda d: d.drop(columns=[id_col]),
        "short": lambda d: d.iloc[:-1],
        "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
        "duplicate-id": lambda d: d.assign(**{id_col: [d[id_col].iloc[1], *d[id_col].iloc[1:]]}),
        "unknown-id": lambda d: d.assign(**{id_col: [unknown_id, *d[id_col].iloc[1:]]}),
        "nan": lambda d: d.assign(**{target: [None, *d[target].iloc[1:]]}),
        "text": lambda d: d.assign(**{target: ["x", *d[target].iloc[1:]]}),
        "empty": lambda d: d.iloc[:0],
    }


def probability_invalid(target: str) -> dict:
    return {
        "above-one": lambda d: d.assign(**{target: [1.5, *d[target].iloc[1:]]}),
        "negative": lambda d: d.assign(**{target: [-0.1, *d[target].iloc[1:]]}),
    }


def grade_fn(competition_id: str):
    return importlib.import_module(f"mlebench.competitions.{competition_id}.grade").grade


def score(competition, df: pd.DataFrame, tmp_path: Path):
    """(raw score, invalid reason) of `df` graded through the CSV path."""
    path = tmp_path / "submission.csv"
    df.to_csv(path, index=False)
    result = evaluate(path, competition)
    return result.raw_score, result.invalid_reason


def checksums(root: Path, names) -> dict[str, str]:
    return {k: archive_digest(root / k) if k.endswith(".7z") else md5(root / k) for k in names}


def prepared_tree_digests(competition) -> dict[str, str]:
    """`{private|public/<entry>: digest}` for every top-level prepared entry: md5 for files,
    member-wise digest for .zip files (timestamps ignored), `tree_digest` for folders."""
    root = competition.prepared_dir
    out = {}
    for side in ("private", "public"):
        for p in sorted((root / side).iterdir()):
            if side == "public" and p.name == "description.md":  # added by our pipeline
                continue
            out[f"{side}/{p.name}"] = (
                tree_digest(p) if p.is_dir() else archive_digest(p) if p.suffix == ".zip" else md5(p)
            )
    return out


def assert_invalid(competition, submissions: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    for name, df in submissions.items():
        report = grade_df(competition, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


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
