import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_df, prepared_tree_digests, raw_score

CID = "nfl-player-contact-detection"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests
# (md5 for files, `tree_digest` for the video folders).
EXPECTED = {
    "private/test.csv": "92a08cbf59854406f02526090623f253",
    "public/sample_submission.csv": "950523902858d50bc1b99c2ed54170a4",
    "public/test": "944ad6b3047cd8de516810dd3adbcc8f",
    "public/test_baseline_helmets.csv": "58d84bdec63a8ec7a3eb03e10901e829",
    "public/test_player_tracking.csv": "f050ff84d5358848e5b7ca9f757dcf6c",
    "public/test_video_metadata.csv": "2ecb7d4e809f3b0e93ffb27d3b507f30",
    "public/train": "cba68772627efc03a6030b2c4b3776fa",
    "public/train_baseline_helmets.csv": "fccf2ecb7cf522b7a4cfb4cab5a9eb5c",
    "public/train_labels.csv": "dbb3fc33e833785addc59ac400799601",
    "public/train_player_tracking.csv": "7c14345cb97342a129ecacb829a0d3ab",
    "public/train_video_metadata.csv": "5c8d4aff1d75e859d8437839b04d98fe",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split_and_checksums(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "train_labels.csv"), read_csv(comp.answers)
    sample = read_csv(comp.sample_submission)
    train_plays, test_plays = set(train.game_play), set(answers.game_play)
    assert (len(train_plays), len(test_plays)) == (18, 2)  # 10% of the fixture's 20 plays
    assert set(train.contact_id).isdisjoint(answers.contact_id)
    assert list(answers.columns) == list(train.columns)
    assert list(sample.columns) == ["contact_id", "contact"] and (sample.contact == 0).all()
    assert list(sample.contact_id) == list(answers.contact_id)
    for name in ("player_tracking", "baseline_helmets", "video_metadata"):
        test_table = read_csv(pub / f"test_{name}.csv")
        assert set(test_table.game_play) == test_plays
        assert "contact" not in test_table.columns
        assert set(read_csv(pub / f"train_{name}.csv").game_play) == train_plays
    for side, plays in (("train", train_plays), ("test", test_plays)):
        assert {p.name for p in (pub / side).iterdir()} == {
            f"{gp}_{view}.mp4" for gp in plays for view in ("All29", "Endzone", "Sideline")}
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    perfect = answers[["contact_id", "contact"]]
    assert grade_df(comp, perfect.sample(frac=1, random_state=0), tmp_path).score == 1.0
    inverted = perfect.assign(contact=1 - perfect.contact)
    assert grade_df(comp, inverted, tmp_path).score == -1.0
    # All-zero predictions (the sample submission) make the MCC's denominator 0: sklearn returns 0.
    assert grade_df(comp, read_csv(comp.sample_submission), tmp_path).score == 0.0


def test_hand_checked_mcc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"contact_id": ["a", "b", "c", "d"], "contact": [1, 1, 0, 0]})
    submission = pd.DataFrame({"contact_id": ["d", "c", "b", "a"], "contact": [0, 0, 0, 1]})
    # TP 1 (a), FN 1 (b), TN 2: (1 * 2 - 0 * 1) / sqrt(1 * 2 * 2 * 3) = 2 / sqrt(12) = 0.57735.
    assert grade(submission, answers) == pytest.approx(2 / np.sqrt(12), abs=1e-12)


def test_invalid(comp, tmp_path):
    perfect = read_csv(comp.answers)[["contact_id", "contact"]]
    ids, labels = perfect.contact_id, perfect.contact
    assert_invalid(comp, {
        "no-contact": perfect.drop(columns=["contact"]),
        "no-id": perfect.drop(columns=["contact_id"]),
        "short": perfect.iloc[:-1],
        "extra-row": pd.concat([perfect, perfect.iloc[:1]]),
        "duplicate-id": perfect.assign(contact_id=[ids.iloc[1], *ids.iloc[1:]]),
        "unknown-id": perfect.assign(contact_id=["1_000001_0_1_G", *ids.iloc[1:]]),
        "nan": perfect.assign(contact=[None, *labels.iloc[1:]]),
        "text": perfect.assign(contact=["yes", *labels.iloc[1:]]),
        "probabilities": perfect.assign(contact=np.linspace(0.01, 0.99, len(perfect))),
        "empty": perfect.iloc[:0],
    }, tmp_path)
    assert raw_score(comp, perfect.assign(contact=labels.astype(bool)), tmp_path) == 1.0
