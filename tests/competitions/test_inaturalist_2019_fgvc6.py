import hashlib
import importlib
import json
import tarfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, md5, raw_score

CID = "inaturalist-2019-fgvc6"

# Seed-0 fixture prepared by ours and by the reference implementation: identical md5s (tarballs
# compared by member names and bytes: the reference's tar headers depend on the copies' mtimes).
EXPECTED = {
    "private/answers.csv": "a447dfe78e3552e60e0a53928feea2df",
    "public/kaggle_sample_submission.csv": "1f67ca085c72565a9f6cd94fac935598",
    "public/test2019.json": "b82de99ba49ee515d4fbaae68841c7ae",
    "public/train2019.json": "3cd7d141046896d51f623db11f0972fd",
    "public/val2019.json": "c318c6b24bb69467022577f9f2bd04f3",
}
EXPECTED_TARS = {
    "public/test2019.tar.gz": "b4de0dbd1e1fb52f92dc2779c416e6b8",
    "public/train_val2019.tar.gz": "09775c8184e1070853195500e4a7af19",
}


def tar_members(path) -> dict[str, str]:
    with tarfile.open(path) as tf:
        return {m.name: hashlib.md5(tf.extractfile(m).read()).hexdigest() for m in tf.getmembers() if m.isfile()}


def tar_digest(path) -> str:
    lines = sorted(f"{name} {digest}" for name, digest in tar_members(path).items())
    return hashlib.md5("\n".join(lines).encode()).hexdigest()


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train = json.loads((pub / "train2019.json").read_text())
    test = json.loads((pub / "test2019.json").read_text())
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train["images"]), len(test["images"]), len(answers)) == (90, 20, 20)
    assert set(test) == {"images", "info", "licenses"}  # no labels in the public test metadata
    train_ids = {im["id"] for im in train["images"]}
    assert train_ids.isdisjoint(answers.id) and [im["id"] for im in test["images"]] == list(answers.id)
    assert list(sample.columns) == ["id", "predicted"] and list(sample.id) == list(answers.id)
    assert sample.predicted.nunique() == 1  # the reference's fresh Random(42) per row
    # every category with a single image stays in train; each category keeps >= 1 train image
    assert set(answers.predicted) <= {a["category_id"] for a in train["annotations"]}
    with tarfile.open(pub / "test2019.tar.gz") as tf:  # plain tar despite the suffix
        assert sorted(tf.getnames()) == sorted(im["file_name"].removeprefix("test2019/") for im in test["images"])
    assert sorted(tar_members(pub / "train_val2019.tar.gz")) == sorted(
        im["file_name"].removeprefix("train_val2019/") for im in train["images"])


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert {k: md5(root / k) for k in EXPECTED} == EXPECTED
    assert {k: tar_digest(root / k) for k in EXPECTED_TARS} == EXPECTED_TARS


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 0.0
    sample = read_csv(comp.sample_submission)
    expected = 1 - (sample.predicted.to_numpy() == answers.predicted.to_numpy()).mean()
    assert raw_score(comp, sample, tmp_path) == pytest.approx(expected, abs=1e-12)
    ranked = answers.assign(predicted=[f"{p} 1 2 3 4" for p in answers.predicted])
    assert raw_score(comp, ranked, tmp_path) == 0.0


def test_hand_checked():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"id": [5, 6, 7], "predicted": [3, 7, 1]})
    sub = pd.DataFrame({"id": [7, 5, 6], "predicted": ["1", "3 5 9", "2 7"]})
    # first guesses: 5 -> 3 right, 6 -> 2 wrong, 7 -> 1 right: error 1 - 2/3
    assert grade(sub, answers) == pytest.approx(1 / 3, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["predicted"]),
    "no-id": lambda d: d.drop(columns=["id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(id=[d.id.iloc[1], *d.id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(id=[-1, *d.id.iloc[1:]]),
    "nan": lambda d: d.assign(predicted=[None, *d.predicted.iloc[1:]]),
    "text": lambda d: d.assign(predicted=["cat", *d.predicted.iloc[1:]]),
    "float": lambda d: d.assign(predicted=d.predicted + 0.5),
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
