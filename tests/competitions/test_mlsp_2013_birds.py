import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_all_invalid, assert_reference_digests, grade_df, raw_score

CID = "mlsp-2013-birds"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s.
EXPECTED = {
    "private/answers.csv": "36c9584ebe9393a0fa1a8dc857a66bc4",
    "public/essential_data/CVfolds_2.txt": "55b93342fd67c72364db347fec97af8d",
    "public/essential_data/rec_id2filename.txt": "dae4e0538d19aedd6fd0b92d180caee7",
    "public/essential_data/rec_labels_test_hidden.txt": "b926909746252d5e5f7a12ec74006099",
    "public/essential_data/species_list.txt": "5da5f87de7ebbc5bb6e0bb561488e5d5",
    "public/sample_submission.csv": "05f89c3046f28e06de3a964269354330",
    "public/supplemental_data/histogram_of_segments.txt": "aebd363634fc6652b56825a682454e3b",
    "public/supplemental_data/segment_clusters.bmp": "daae0c8ecef4ab97131fa367c012aca0",
    "public/supplemental_data/segment_features.txt": "e3ee7435575bf3fac07be154cbac5fa9",
    "public/supplemental_data/segment_mosaic.bmp": "677a7580465e54bd125fa4b8fcb2269d",
    "public/supplemental_data/segment_rectangles.txt": "5726482add6a77ba8421082c2341f1c7",
}
EXPECTED_TREES = {
    "public/essential_data/src_wavs": "78cc9226b32dedbb6067c9ccff8cfe9a",
    "public/supplemental_data/filtered_spectrograms": "a8fd9bb3ec08fca0911284074810a5b4",
    "public/supplemental_data/segmentation_examples": "2a0f5080bd2afa03c8298d365a6ef990",
    "public/supplemental_data/spectrograms": "c9b19005523d9d051d6d1c4515354a1a",
    "public/supplemental_data/supervised_segmentation": "3245bc952a8c4d122fe90bd57f85acb7",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    ess, sup = comp.public_dir / "essential_data", comp.public_dir / "supplemental_data"
    folds = read_csv(ess / "CVfolds_2.txt")
    names = read_csv(ess / "rec_id2filename.txt")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    # Fixture: 320 recordings in Kaggle's training fold -> 64 (20%) become the test fold.
    assert list(folds.rec_id) == list(range(320)) and (folds.fold == 1).sum() == 64
    test_ids = set(folds.rec_id[folds.fold == 1])
    assert list(names.rec_id) == list(range(320))
    assert {p.stem for p in (ess / "src_wavs").iterdir()} == set(names.filename)
    for folder in ("filtered_spectrograms", "spectrograms", "supervised_segmentation"):
        assert {p.stem for p in (sup / folder).iterdir()} == set(names.filename)
    labels = (ess / "rec_labels_test_hidden.txt").read_text().splitlines()
    assert labels[0] == "rec_id,[labels]" and len(labels) == 321
    hidden = {int(line.split(",")[0]) for line in labels[1:] if line.endswith(",?")}
    assert hidden == test_ids
    assert len(answers) == 64 * 19 and set(answers.Id // 100) == test_ids
    assert list(sample.Id) == sorted(sample.Id) and set(sample.Id) == set(answers.Id)
    assert (sample.Probability == 0).all() and set(answers.Probability) == {0, 1}
    # Reproduced reference defect: the histogram header on all three renumbered files.
    for name in ("histogram_of_segments", "segment_features", "segment_rectangles"):
        assert (sup / f"{name}.txt").read_text().splitlines()[0] == "rec_id,[histogram of segment features]"


@pytest.mark.digest
def test_matches_reference_checksums(comp):
    root = comp.prepared_dir
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert grade_df(comp, answers, tmp_path).score == 1.0
    assert grade_df(comp, answers.sample(frac=1, random_state=1), tmp_path).score == 1.0
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == 0.5
    noisy = answers.assign(Probability=np.random.default_rng(0).random(len(answers)))
    assert 0.3 < raw_score(comp, noisy, tmp_path) < 0.7


def test_hand_checked_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    # Recording 7, species 0-3 (Id = 7 * 100 + species); pooled AUC over the rows.
    answers = pd.DataFrame({"Id": [700, 701, 702, 703], "Probability": [1, 0, 1, 0]})
    submission = pd.DataFrame({"Id": [703, 702, 701, 700], "Probability": [0.9, 0.6, 0.2, 0.7]})
    # Positives 700 (.7), 702 (.6); negatives 701 (.2), 703 (.9): pairs won 2 of 4 -> 0.5.
    assert grade(submission, answers) == pytest.approx(0.5, abs=1e-12)


INVALID = {
    "no-target": lambda d: d.drop(columns=["Probability"]),
    "no-id": lambda d: d.drop(columns=["Id"]),
    "short": lambda d: d.iloc[:-1],
    "extra-row": lambda d: pd.concat([d, d.iloc[:1]]),
    "duplicate-id": lambda d: d.assign(Id=[d.Id.iloc[1], *d.Id.iloc[1:]]),
    "unknown-id": lambda d: d.assign(Id=[99999, *d.Id.iloc[1:]]),
    "nan": lambda d: d.assign(Probability=[None, *d.Probability.iloc[1:]]),
    "above-one": lambda d: d.assign(Probability=d.Probability + 0.5),
    "negative": lambda d: d.assign(Probability=d.Probability - 0.5),
    "text": lambda d: d.assign(Probability=["x", *d.Probability.iloc[1:]]),
    "empty": lambda d: d.iloc[:0],
}


def test_invalid(comp, tmp_path):
    answers = read_csv(comp.answers)
    assert_all_invalid(comp, answers, INVALID, tmp_path)
