import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "billion-word-imputation"

# Seed-0 fixture, prepared by ours and by the reference implementation (its 30,301,028-line
# constant set to the fixture's 3,000 lines): identical digests (zips compared member-wise).
EXPECTED = {
    "private/sample_submission.csv": "3663eb7a0bc98c2f8c8d32a0623387fb",
    "private/test.csv": "d5491bf61ef1193a65d8370707cee79c",
    "public/test_v2.txt.zip": "6fae4df9aeacc761c335899faa9eb5a3",
    "public/train_v2.txt.zip": "1bd8d366fb5e5bf93440b89e946b7ff0",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    with zipfile.ZipFile(comp.public_dir / "train_v2.txt.zip") as zf:
        assert zf.namelist() == ["train_v2.txt"]
        n_train = len(zf.read("train_v2.txt").decode().splitlines())
    assert n_train + len(answers) == 3000 and len(answers) == 35
    assert list(answers.id) == list(sample.id) == list(range(35))
    for full, cut in zip(answers.sentence, sample.sentence, strict=True):
        f, c = full.split(), cut.split()
        assert len(c) == len(f) - 1 and f[0] == c[0] and f[-1] == c[-1]
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 0.0
    # Reference grader's raw score on the sample submission (the public test file).
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(4.285714285714286, abs=1e-12)
    a = answers
    assert_invalid(comp, {
        "no-sentence": a.drop(columns=["sentence"]),
        "no-id": a.drop(columns=["id"]),
        "short": a.iloc[:-1],
        "unknown-id": a.assign(id=[999, *a.id.iloc[1:]]),
        "duplicate-id": a.assign(id=[1, *a.id.iloc[1:]]),
        "empty-sentence": a.assign(sentence=[None, *a.sentence.iloc[1:]]),
        "numbers": a.assign(sentence=7),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"id": [0, 1], "sentence": ["the cat sat .", "a b c"]})
    submission = pd.DataFrame({"id": [1, 0], "sentence": ["a c", "the cat ."]})
    # "the cat sat ." -> "the cat ." deletes "sat " (4); "a b c" -> "a c" deletes "b " (2): 3.0.
    assert grade_fn(CID)(submission, answers) == pytest.approx(3.0, abs=1e-12)
