import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv
from mlebench.upstream import AssetUnavailableError

from ._checks import grade_df, md5, raw_score

CID = "freesound-audio-tagging-2019"

# Seed-0 fixture, prepared by ours and by the reference implementation (its Zenodo download
# replaced by the fixture's copy): identical md5s.
EXPECTED = {
    "private/test.csv": "393e17a9d90297c066ae0c0e0cac700e",
    "public/sample_submission.csv": "d24e086cb7f3ad76f87fcbf07be85ad1",
    "public/test.zip": "e0d1451cd8e1ad04f63f8f317f25bb7d",
    "public/train_curated.csv": "9f2319c82378b73bb40b1ec4474b712a",
    "public/train_curated.zip": "498b08ae5f24ed6ac2828bab525cfdeb",
    "public/train_noisy.csv": "3ec09d29cef291f674d760bf6eb397b2",
    "public/train_noisy.zip": "2ef86dcdfffa7af97550cadbe32cd0b3",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_prepared_files(comp):
    root = comp.prepared_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert answers.shape == (30, 81) and list(answers.columns) == list(sample.columns)
    assert answers.columns[0] == "fname" and set(answers.iloc[:, 1:].stack()) <= {0, 1}
    assert (answers.iloc[:, 1:].sum(axis=1) >= 1).all()
    assert sorted(sample.fname) == sorted(answers.fname)
    assert not any("FSDKaggle2019" in p.name for p in comp.public_dir.iterdir())
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED


def test_missing_metadata_is_explained(tmp_path):
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare").prepare
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "dl")) as zf:
        zf.extractall(tmp_path / "raw")
    (tmp_path / "raw" / "FSDKaggle2019.meta.zip").unlink()
    (tmp_path / "pub").mkdir()
    (tmp_path / "priv").mkdir()
    with pytest.raises(AssetUnavailableError, match="Zenodo"):
        prepare(tmp_path / "raw", tmp_path / "pub", tmp_path / "priv")


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    classes = list(answers.columns[1:])
    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == pytest.approx(
        0.02886, abs=1e-5
    )
    assert (
        raw_score(comp, answers.assign(**{c: answers[c] * 5 - 2 for c in classes}), tmp_path) == 1.0
    )
    invalid = {
        "reordered-classes": answers[["fname", *classes[::-1]]],
        "missing-class": answers.drop(columns=[classes[3]]),
        "short": answers.iloc[:-1],
        "duplicate-id": answers.assign(fname=[answers.fname[1], *answers.fname[1:]]),
        "unknown-id": answers.assign(fname=["zz.wav", *answers.fname[1:]]),
        "nan": answers.assign(**{classes[0]: [None, *answers[classes[0]][1:]]}),
        "text": answers.assign(**{classes[0]: ["x", *answers[classes[0]][1:]]}),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_lwlrap():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    classes = importlib.import_module(f"mlebench.competitions.{CID}.classes").CLASSES
    answers = pd.DataFrame({"fname": ["a"], **{c: [0] for c in classes}})
    answers[classes[0]] = 1
    answers[classes[1]] = 1
    sub = answers.assign(**{c: 0.0 for c in classes})
    sub[classes[0]], sub[classes[2]], sub[classes[1]] = 0.9, 0.8, 0.7
    # class 0 rank 1 -> 1; class 1 rank 3 with 2 true in the top 3 -> 2/3; mean 5/6
    assert grade(sub, answers) == pytest.approx(5 / 6, abs=1e-12)
