import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "multi-modal-gesture-recognition"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests
# (the tarballs are copied unchanged by both; their _data.mat files are real MAT files).
EXPECTED = {
    "private/test.csv": "9f37448c866b8e10b0ea2ed90512f755",
    "public/devel01-40.7z": "63ab62bdc83c2ab1f5f43e6fe4380adc",
    "public/randomPredictions.csv": "e73060dbf1b555f35158865df2eca22b",
    "public/sample_code_mmrgc.zip": "f81b9644e7e6b5fd2eba753b644cfa52",
    "public/test.csv": "6e80226027a754849a48c2ae979f6956",
    "public/test.tar.gz": "0f5bc6cdaef93b3a8c877dcb8555a0df",
    "public/training.csv": "50c3a4698c2662d23fcd1e80afcd1f7e",
    "public/training1.tar.gz": "91c8563bbf9f38b778c64a9036a1b96d",
    "public/training2.tar.gz": "2fbccc170f9099c5229c0ba169e3eccc",
    "public/training3.tar.gz": "14446a0297373f687c7050909bc15559",
    "public/valid_all_files_combined.7z": "8d09d1ad675b3317f385c8f8d11a3ccc",
    "public/validation1.tar.gz": "f667c3cdbe2239f7a8aa262f3000ff9c",
    "public/validation2.tar.gz": "4fd543082b04c25ed0bdd7c13322f89f",
    "public/validation3.tar.gz": "ef90e0256f586433f7d03d72bae530fd",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _str_csv(path):
    return pd.read_csv(path, dtype=str)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test, answers = _str_csv(pub / "training.csv"), _str_csv(pub / "test.csv"), _str_csv(comp.answers)
    sample = _str_csv(comp.sample_submission)
    assert (len(train), len(test)) == (36, 12)
    assert list(test.Id) == list(answers.Id) == list(sample.Id) == [f"{n:04d}" for n in range(37, 49)]
    assert set(train.Id).isdisjoint(answers.Id) and list(test.columns) == ["Id"]
    for seq in sample.Sequence:
        assert sorted(map(int, seq.split())) == list(range(1, 21))
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = _str_csv(comp.answers)
    assert raw_score(comp, answers.sample(frac=1, random_state=0), tmp_path) == 0.0
    # Reference grader on the seed-0 sample submission (random orderings of all 20 labels).
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(1.8018018018018018, abs=1e-12)
    assert_invalid(comp, _invalid(answers), tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"Id": [2, 1], "Sequence": ["4 5", "1 2 3"]})
    submission = pd.DataFrame({"Id": [1, 2], "Sequence": ["1 3", "4 5 6"]})
    # Sample 1: "2" deleted (1 edit); sample 2: "6" inserted (1 edit); 5 true gestures -> 2/5.
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.4, abs=1e-12)


def _invalid(a: pd.DataFrame) -> dict:
    return {
        "short": a.iloc[:-1],
        "no-sequence": a.drop(columns=["Sequence"]),
        "no-id": a.drop(columns=["Id"]),
        "text": a.assign(Sequence=["a b", *a.Sequence.iloc[1:]]),
        "empty-sequence": a.assign(Sequence=[None, *a.Sequence.iloc[1:]]),
        "unknown-id": a.assign(Id=["9999", *a.Id.iloc[1:]]),
        "duplicate-id": a.assign(Id=[a.Id.iloc[1], *a.Id.iloc[1:]]),
    }
