import hashlib
import importlib
import io
import shutil
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

from ._checks import (
    assert_all_invalid,
    common_invalid,
    grade_df,
    grade_fn,
    prepared_digests,
    raw_score,
)

CID = "new-york-city-taxi-fare-prediction"
PREP = importlib.import_module(f"mlebench.competitions.{CID}.prepare")
FIXTURE = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
PASS = importlib.import_module("mlebench.data.csv_passthrough")

# Seed-0 fixture (12,000 train rows), prepared by ours and by the reference implementation:
# identical md5s.
EXPECTED = {
    "private/test.csv": "b80ad81ac0a16133f4a764c658d912f5",
    "public/GCP-Coupons-Instructions.rtf": "ccae78861c37e9b378a493a2987db553",
    "public/labels.csv": "84e1ee69b468178f96dc343d791f517d",
    "public/sample_submission.csv": "64115c54efc5ba7861f2eff7df221797",
    "public/test.csv": "2f151b9b1b94aec0a6a859c19945c525",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _md5s(root):
    return {p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _run_prepare(raw, out):
    (out / "public").mkdir(parents=True)
    (out / "private").mkdir(parents=True)
    PREP.prepare(raw, out / "public", out / "private")
    return _md5s(out)


def test_split(comp):
    pub = comp.public_dir
    train, test, answers = read_csv(pub / "labels.csv"), read_csv(pub / "test.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (12_000 - 9914, 9914, 9914)
    assert "fare_amount" not in test.columns and train.shape[1] == answers.shape[1] == 8
    assert set(train.key).isdisjoint(answers.key)
    assert list(sample.key) == list(answers.key) == list(test.key)
    assert (sample.fare_amount == 11.35).all()


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    assert prepared_digests(comp, EXPECTED) == EXPECTED


@pytest.mark.digest
def test_many_chunks_and_buckets_give_the_same_files(tmp_path, monkeypatch):
    # Small chunks and buckets exercise the streaming paths the 12,000-row fixture would not.
    with zipfile.ZipFile(FIXTURE.make_fixture(tmp_path / "download", seed=0)) as zf:
        zf.extractall(tmp_path / "raw")
    monkeypatch.setattr(PREP, "CHUNK_ROWS", 700)
    monkeypatch.setattr(PREP, "BUCKET_BYTES", 40_000)
    assert _run_prepare(tmp_path / "raw", tmp_path / "out") == EXPECTED


def _oracle(raw, out):
    """The plain in-memory split, as the reference does it."""
    full = read_csv(raw / "train.csv")
    train, test = train_test_split(full, test_size=9914, random_state=0)
    (out / "public").mkdir(parents=True)
    (out / "private").mkdir(parents=True)
    train.to_csv(out / "public/labels.csv", index=False)
    test.to_csv(out / "private/test.csv", index=False)
    test.drop(columns=["fare_amount"]).to_csv(out / "public/test.csv", index=False)
    test[["key"]].assign(fare_amount=11.35).to_csv(out / "public/sample_submission.csv", index=False)
    shutil.copy(raw / "GCP-Coupons-Instructions.rtf", out / "public/GCP-Coupons-Instructions.rtf")
    return _md5s(out)


def _raw_with(tmp_path, df):
    raw = tmp_path / "raw"
    raw.mkdir()
    df.to_csv(raw / "train.csv", index=False)
    (raw / "GCP-Coupons-Instructions.rtf").write_text(FIXTURE.RTF)
    return raw


def test_chunk_dtype_mismatch_is_redone_with_the_whole_file_dtype(tmp_path, monkeypatch):
    # One missing passenger_count makes that column float for a whole-file read, but only in one
    # chunk (block) of a streamed read: the preparer must notice and format every row as floats.
    rng = np.random.default_rng(3)
    df = FIXTURE.taxi_rows(rng, 10_100)
    df["passenger_count"] = df["passenger_count"].astype(object)
    df.loc[10_050, "passenger_count"] = ""
    raw = _raw_with(tmp_path, df)
    monkeypatch.setattr(PREP, "CHUNK_ROWS", 1000)
    monkeypatch.setattr(PASS, "BLOCK_BYTES", 50_000)
    ours = _run_prepare(raw, tmp_path / "ours")
    assert ours == _oracle(raw, tmp_path / "oracle")
    assert "1.0" in (tmp_path / "ours/public/labels.csv").read_text().splitlines()[1].split(",")[-1]


@pytest.mark.parametrize("oddity", ["NA key", "quoted", "exponent", "odd decimals"])
def test_unusual_text_gives_the_reference_bytes(tmp_path, monkeypatch, oddity):
    # Text the byte-level pass does not model makes the preparer parse with pandas instead
    # (NA, quotes, exponents); decimals pandas rewrites ("40.7200", ".5") are rewritten in place.
    df = FIXTURE.taxi_rows(np.random.default_rng(4), 10_100)
    if oddity == "NA key":
        df.loc[77, "key"] = "NA"
    elif oddity == "quoted":
        df.loc[5, "pickup_datetime"] = "2011-01-01, 10:00:00 UTC"
    else:
        col = df["pickup_latitude"].map(repr).astype(object)
        col[:: 37] = "4.07e1" if oddity == "exponent" else "40.7200"
        col[5::41] = ".5"
        col[6::43] = "0.000012"
        col[7::47] = "-12.50"
        df["pickup_latitude"] = col
    raw = _raw_with(tmp_path, df)
    monkeypatch.setattr(PASS, "BLOCK_BYTES", 100_000)
    assert _run_prepare(raw, tmp_path / "ours") == _oracle(raw, tmp_path / "oracle")


NUMBERS = ["0", "-3", "52", "123456789012345", "4.5", "-73.975123", "0.0", "-0.0", "5.0",
           "0.0001", "0.001234", "99999999999999.9", ""]
REWRITTEN = ["40.7200", ".5", "5.", "-.25", "0.00001", "-0.000012", "00.5", "1234567890123456.5",
             "0.12345678901234567", "3.14159265358979323846"]
WEIRD = ["1e5", "-0", "007", "+3", "1.2.3", "--1", "NA", "nan", "inf", "True", "-", ".", "1-2"]


@pytest.mark.parametrize("seed", range(6))
def test_passthrough_writes_what_pandas_round_trip_writes(seed):
    # A block of lines either comes back exactly as pandas' read (round-trip floats) + to_csv
    # writes it, or is refused (the preparer then parses it with pandas).
    rng = np.random.default_rng(seed)
    pools = [NUMBERS, NUMBERS + REWRITTEN, NUMBERS + REWRITTEN + WEIRD][seed % 3]
    n = 400
    cols = {
        "key": [f"2011-01-0{seed} 10:00:{i:02d}.{i}" for i in range(n)],
        "x": rng.choice(pools, n),
        "y": rng.choice(["0", "7", "-12", "4"], n),
        "z": rng.choice(pools, n),
    }
    text = "key,x,y,z\n" + "".join(",".join(row) + "\n" for row in zip(*cols.values(), strict=True))
    expected = pd.read_csv(io.StringIO(text), float_precision="round_trip").to_csv(
        index=False, header=False).encode().split(b"\n")[:-1]
    block = text.split("\n", 1)[1].encode()
    try:
        lines, _, _, kinds = PASS.split_block(block, [None] * 4)
    except PASS.Unstreamable:
        assert pools is not NUMBERS and seed % 3 == 2, "ordinary numbers must not be refused"
        return
    assert lines == expected
    assert kinds[0] == "text" and kinds[2] == "int"


def test_too_few_rows(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    FIXTURE.taxi_rows(np.random.default_rng(0), 100).to_csv(raw / "train.csv", index=False)
    with pytest.raises(ValueError, match="9915"):
        _run_prepare(raw, tmp_path / "out")


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["key", "fare_amount"]].sample(frac=1, random_state=1)
    assert grade_df(comp, perfect, tmp_path).score == 0.0
    assert 3 < raw_score(comp, read_csv(comp.sample_submission), tmp_path) < 15


def test_hand_checked_rmse():
    answers = pd.DataFrame({"key": ["a", "b", "c"], "fare_amount": [1.0, 2.0, 3.0]})
    submission = pd.DataFrame({"key": ["c", "a", "b"], "fare_amount": [5.0, 1.0, 2.0]})
    # errors (0, 0, 2): sqrt(4 / 3) = 1.154700538.
    assert grade_fn(CID)(submission, answers) == pytest.approx((4 / 3) ** 0.5, abs=1e-12)


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)[["key", "fare_amount"]]
    assert_all_invalid(comp, answers, common_invalid("key", "fare_amount", "2099-01-01 00:00:00.1"), tmp_path)
