import json
import math

import numpy as np
import pandas as pd
import py7zr
import pytest

from mlebench.tables import read_csv

from ._checks import checksums, grade_fn, score

CID = "statoil-iceberg-classifier-challenge"

# Seed-0 fixture, prepared by the reference and by us: equal (7z archives compared by content,
# since py7zr stamps them with the preparation time).
EXPECTED = {
    "private/sample_submission.csv": "6419a6643a68737570df8fb0b1268ec1",
    "private/test.csv": "b95a839fde7016ea912473b8e4f38d63",
    "public/sample_submission.csv.7z": "d2069a04ca2f0daa005cb201219508d9",
    "public/test.json.7z": "6c492af230616799f87c4c1faf969398",
    "public/train.json.7z": "330d254ffcd179437705fd5e9c510d25",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _json_from_7z(path, member, tmp_path):
    with py7zr.SevenZipFile(path) as archive:
        archive.extractall(tmp_path)
    return json.loads((tmp_path / member).read_text())


@pytest.mark.digest
def test_split_checksums_and_grades(comp, tmp_path):
    pub = comp.public_dir
    assert sorted(p.name for p in pub.iterdir()) == [
        "description.md", "sample_submission.csv.7z", "test.json.7z", "train.json.7z"]
    train = _json_from_7z(pub / "train.json.7z", "train.json", tmp_path / "a")
    test = _json_from_7z(pub / "test.json.7z", "test.json", tmp_path / "b")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert (len(train), len(test), len(answers)) == (20, 5, 5)
    assert {r["id"] for r in train}.isdisjoint(r["id"] for r in test)
    assert all(set(r) == {"id", "band_1", "band_2", "inc_angle"} for r in test)
    assert all(len(r["band_1"]) == 75 * 75 for r in train + test)
    assert [r["id"] for r in test] == list(answers.id) == list(sample.id)
    assert (sample.is_iceberg == 0.5).all() and set(answers.is_iceberg) <= {0, 1}
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED

    perfect = answers.assign(is_iceberg=answers.is_iceberg.astype(float)).sample(frac=1, random_state=0)
    assert score(comp, perfect, tmp_path)[0] == pytest.approx(0.0, abs=1e-12)
    assert score(comp, sample, tmp_path)[0] == pytest.approx(math.log(2), abs=1e-12)
    for bad in (answers.drop(columns=["is_iceberg"]), sample.iloc[:-1], sample.assign(is_iceberg=1.5),
                sample.assign(is_iceberg=[np.nan] + [0.5] * 4), pd.concat([sample, sample.iloc[:1]]),
                sample.assign(id=["zz"] + list(sample.id[1:])), sample.assign(is_iceberg="x")):
        raw, reason = score(comp, bad, tmp_path)
        assert raw is None and reason


def test_hand_checked_log_loss():
    answers = pd.DataFrame({"id": ["a", "b"], "is_iceberg": [1, 0]})
    submission = pd.DataFrame({"id": ["b", "a"], "is_iceberg": [0.4, 0.8]})
    # -(ln 0.8 + ln 0.6) / 2 = (0.22314 + 0.51083) / 2 = 0.36698
    assert grade_fn(CID)(submission, answers) == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2, abs=1e-12)
