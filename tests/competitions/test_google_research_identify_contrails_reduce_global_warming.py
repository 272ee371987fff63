import importlib
import io
import json
import math
import zipfile

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, raw_score

CID = "google-research-identify-contrails-reduce-global-warming"
BANDS = {f"band_{b:02d}.npy" for b in range(8, 17)}

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "3cee1cb92cb6a333510ce8f3aef68d3b",
    "public/sample_submission.csv": "bf2cee729c9a358a4b4276a42f8c81a9",
    "public/train_metadata.json": "6759c325fbffdb0e5e40650af59767bf",
    "public/validation_metadata.json": "4becffedf24fd0cf71965f33e9c6b8f5",
}
EXPECTED_TREES = {
    "public/train": "e29293c4d307d71432e57247449c8f19",
    "public/test": "5020fc293bcfde12fd0b66775aea25b8",
    "public/validation": "952a5519ba6dec8586fa0b3599b2844b",
}


@pytest.fixture(scope="module")
def comp(tmp_path_factory):
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    competition = Registry(tmp_path_factory.mktemp("data")).get_competition(CID)
    prepare_competition(competition, synthetic=True, seed=0, force=True)
    return competition


def _gold(comp) -> pd.DataFrame:
    return read_csv(comp.answers)[["record_id", "encoded_pixels"]]


def test_split(comp):
    pub = comp.public_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train_meta = json.loads((pub / "train_metadata.json").read_text())
    validation_meta = json.loads((pub / "validation_metadata.json").read_text())
    # 30 training records -> 24 train + 6 test (as many as the validation records).
    assert (len(train_meta), len(answers), len(validation_meta)) == (24, 6, 6)
    assert list(answers.columns) == ["record_id", "encoded_pixels", "height", "width"]
    assert list(sample.columns) == list(answers.columns)
    assert list(sample.record_id) == list(answers.record_id)
    assert set(sample.encoded_pixels) <= {"1 3 10 5", "-"}
    assert (answers.height == 16).all() and (answers.width == 16).all()
    train_ids = {m["record_id"] for m in train_meta}
    test_ids = {str(i) for i in answers.record_id}
    assert train_ids.isdisjoint(test_ids)
    assert {p.name for p in (pub / "train").iterdir()} == train_ids
    assert {p.name for p in (pub / "test").iterdir()} == test_ids
    for record in (pub / "test").iterdir():  # bands only: no masks in the test set
        assert {p.name for p in record.iterdir()} == BANDS
    for record in (pub / "train").iterdir():
        assert {p.name for p in record.iterdir()} == BANDS | {
            "human_individual_masks.npy", "human_pixel_masks.npy"}
    assert {p.name for p in (pub / "validation").iterdir()} == {m["record_id"] for m in validation_meta}


def test_answers_are_the_pixel_masks(comp, tmp_path):
    from mlebench.metrics import rle_decode

    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    answers = read_csv(comp.answers)
    with zipfile.ZipFile(fixture.make_fixture(tmp_path, seed=0)) as zf:
        for record_id, rle in zip(answers.record_id, answers.encoded_pixels, strict=True):
            raw = zf.read(f"train/{record_id}/human_pixel_masks.npy")
            mask = np.load(io.BytesIO(raw))[:, :, 0] == 1
            # column-major run-length encoding, "-" for an empty mask
            assert np.array_equal(rle_decode("" if rle == "-" else rle, 16, 16), mask)
    assert (answers.encoded_pixels == "-").any() and (answers.encoded_pixels != "-").any()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    gold = _gold(comp)
    assert raw_score(comp, gold.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.0
    assert raw_score(comp, gold.assign(encoded_pixels="-"), tmp_path) == 0.0
    full = gold.assign(encoded_pixels="1 256")
    # values given by the reference grader on the same seed-0 files
    assert raw_score(comp, full, tmp_path) == pytest.approx(0.03956604977664327, abs=1e-12)


def test_hand_checked_global_dice():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # 2 x 2 images: pixels 1 2 down column 0, 3 4 down column 1.
    answers = pd.DataFrame({"record_id": [11, 22, 33], "encoded_pixels": ["1 2", "-", "4 1"],
                            "height": 2, "width": 2})
    sub = pd.DataFrame({"record_id": [33, 11, 22], "encoded_pixels": ["-", "2 2", "1 1"]})
    # pooled: predicted {11: 2, 3; 22: 1}, true {11: 1, 2; 33: 4} -> overlap 1 (11: pixel 2),
    # 2 * 1 / (3 + 3) = 1/3 (a global Dice, not the mean of per-image scores).
    assert grade(sub, answers) == pytest.approx(1 / 3, abs=1e-12)
    # nothing predicted and nothing true anywhere: NaN, as in the reference
    empty = answers.assign(encoded_pixels="-")
    assert math.isnan(grade(empty[["record_id", "encoded_pixels"]], empty))


INVALID = {
    "no-encoded_pixels": lambda d: d.drop(columns=["encoded_pixels"]),
    "no-record_id": lambda d: d.drop(columns=["record_id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(record_id=[d.record_id.iloc[1], *d.record_id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(record_id=[1234567890123456789, *d.record_id.iloc[1:]]),
    "empty-cell": lambda d: d.assign(encoded_pixels=[None, *d.encoded_pixels.iloc[1:]]),
    "not-integers": lambda d: d.assign(encoded_pixels=["1 x", *d.encoded_pixels.iloc[1:]]),
    "unsorted-runs": lambda d: d.assign(encoded_pixels=["9 2 1 3", *d.encoded_pixels.iloc[1:]]),
    "overlapping-runs": lambda d: d.assign(encoded_pixels=["1 5 3 2", *d.encoded_pixels.iloc[1:]]),
    "zero-start": lambda d: d.assign(encoded_pixels=["0 2", *d.encoded_pixels.iloc[1:]]),
    "odd-count": lambda d: d.assign(encoded_pixels=["1 2 5 3 9", *d.encoded_pixels.iloc[1:]]),
}


def test_invalid(comp, tmp_path):
    gold = _gold(comp)
    assert_all_invalid(comp, gold, INVALID, tmp_path)


def test_fast_run_decoding_matches_the_loop_decoder():
    """`segmentation_pixels` reads runs with array operations; it must accept, reject and count
    exactly like the loop decoder `rle_decode` (which follows the reference) on random strings."""
    from mlebench.errors import InvalidSubmissionError
    from mlebench.metrics.rle import rle_decode, rle_decode_fast, rle_encode, rle_runs
    from mlebench.metrics.segmentation_pixels import run_counts

    def outcome(decode, rle, h, w):
        try:
            return decode(rle, h, w)
        except InvalidSubmissionError:
            return None

    rng = np.random.default_rng(0)
    decoded = []
    for _ in range(3000):
        h, w = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        k = int(rng.integers(0, 8))
        if rng.random() < 0.5:
            tokens = [str(x) for x in rng.integers(-1, h * w + 4, k)]
        else:  # mostly valid: ascending starts
            starts, lengths = np.sort(rng.integers(1, h * w + 3, 4)), rng.integers(1, 4, 4)
            tokens = [str(x) for pair in zip(starts, lengths, strict=True) for x in pair][:k]
        rle = " ".join(tokens)
        slow, fast = outcome(rle_decode, rle, h, w), outcome(rle_decode_fast, rle, h, w)
        assert (slow is None) == (fast is None), rle
        if slow is not None:
            assert np.array_equal(slow, fast), rle
            decoded.append((rle, h, w, slow))
    for rle_a, h, w, a in decoded:
        b = rng.random((h, w)) < 0.4
        counts = run_counts(rle_runs(rle_a, h * w), rle_runs(rle_encode(b), h * w))
        assert counts == (int((a & b).sum()), int(a.sum()), int(b.sum())), rle_a


@pytest.mark.parametrize(("rle", "marked"), [
    ("3 99999999999999999999", 18),  # a run past the end is cut there
    ("99999999999999999999 1", 0),  # a start past the end marks nothing
    ("1 2 18446744073709551616", 2),  # odd count, broadcast length 2
    ("9223372036854775809 18446744073709551616", 0),
    ("3 9223372036854775808", None),  # int64 start + uint64 length -> floats: invalid
    ("1 2 9223372036854775809 1", None),
])
def test_huge_numbers_as_in_the_reference(rle, marked):
    # outcomes of the reference's decoder on a 4 x 5 image (numpy decides by the numbers' dtypes)
    from mlebench.errors import InvalidSubmissionError
    from mlebench.metrics.rle import rle_decode_fast

    if marked is None:
        with pytest.raises(InvalidSubmissionError):
            rle_decode_fast(rle, 4, 5)
    else:
        assert int(rle_decode_fast(rle, 4, 5).sum()) == marked
