import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import archive_digest, assert_all_invalid, grade_df, md5, raw_score

CID = "the-icml-2013-whale-challenge-right-whale-redux"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s (for the
# re-zipped clip folders, of their members' names and contents: zip timestamps vary per run).
EXPECTED = {
    "private/test.csv": "69a4cbdb01690d1b1148e81b556a0392",
    "public/sampleSubmission.csv": "c5620fe3acf362dc9e3251f0976379d6",
}
EXPECTED_ARCHIVES = {
    "public/test2.zip": "4a093091d47b59733bc121760cfabb72",
    "public/train2.zip": "87956d4bd69a7ef30dc50751f0eb110d",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _clips(path):
    with zipfile.ZipFile(path) as zf:
        return [n.split("/", 1)[1] for n in zf.namelist() if n.endswith(".aif")]


def test_split(comp):
    pub = comp.public_dir
    assert {p.name for p in pub.iterdir()} - {"description.md"} == {"sampleSubmission.csv", "test2.zip", "train2.zip"}
    train, test = _clips(pub / "train2.zip"), _clips(pub / "test2.zip")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    # Fixture: 4 days x 30 clips; the first two days train, the last two test.
    assert (len(train), len(test)) == (60, 60)
    assert {c[:8] for c in train} == {"20090328", "20090329"}
    assert {c[:8] for c in test} == {"20090330", "20090331"}
    assert sorted(answers["clip"]) == sorted(test) and list(answers.columns) == ["clip", "probability"]
    assert all(c.endswith(f"_Test{i}.aif") for i, c in enumerate(answers["clip"]))
    assert all("_TRAIN" in c and c[-6:] in ("_0.aif", "_1.aif") for c in train)
    assert list(sample["clip"]) == list(answers["clip"]) and (sample.probability == 0).all()
    assert set(answers.probability) == {0, 1}


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: archive_digest(root / k) for k in EXPECTED_ARCHIVES} == EXPECTED_ARCHIVES


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert grade_df(comp, answers.assign(probability=1 - answers.probability), tmp_path).score == 0.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.5


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"clip": ["a.aif", "b.aif", "c.aif", "d.aif"], "probability": [0, 0, 1, 1]})
    submission = pd.DataFrame({"clip": ["d.aif", "c.aif", "b.aif", "a.aif"], "probability": [0.8, 0.35, 0.4, 0.1]})
    # Positive/negative pairs: (c .35 > a .1), (c .35 < b .4), (d > a), (d > b): 3 of 4 -> 0.75.
    assert grade(submission, answers) == pytest.approx(0.75, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["probability"]),
    "no-id": lambda d: d.drop(columns=["clip"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(clip=[d["clip"].iloc[1], *d["clip"].iloc[1:]]),
    "unknown-id": lambda d: d.assign(clip=["nope.aif", *d["clip"].iloc[1:]]),
    "nan": lambda d: d.assign(probability=[None, *d.probability.iloc[1:]]),
    "above-one": lambda d: d.assign(probability=d.probability + 0.5),
    "negative": lambda d: d.assign(probability=d.probability - 0.5),
    "text": lambda d: d.assign(probability=["x", *d.probability.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
