import math

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

pytest.importorskip("fastparquet")  # the synthetic fixture writes its EEG/spectrogram tables with it

CID = "hms-harmful-brain-activity-classification"
VOTES = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests
# (folders: md5 over the sorted `path md5` lines of their files).
EXPECTED = {
    "private/gold_submission.csv": "1dd6d35c6a46119597f8d40e2b6dcaa9",
    "private/test.csv": "405a90a6ab1387d89987d638a946e719",
    "public/example_figures": "5a433ab0f5788dbed1452acc1600c144",
    "public/sample_submission.csv": "6eef21dda1070eeca494a99bc22a6d58",
    "public/test.csv": "31108a8eb8c2a13c7302673d70c05b1f",
    "public/test_eegs": "df9a52fe8760e9f24cefaadedfff7068",
    "public/test_spectrograms": "40a934db7d0d6dc9b3a6af4b4114f806",
    "public/train.csv": "1a8f56dd95f0c863d6f6a49b8b8ab6ed",
    "public/train_eegs": "7aba4e005980960c3a310bdf2c4d918c",
    "public/train_spectrograms": "076ff72cb92b08f73aeba97090086f88",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def _with(df: pd.DataFrame, values: np.ndarray) -> pd.DataFrame:
    return df.assign(**{c: values[:, i] for i, c in enumerate(VOTES)})


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, test = read_csv(pub / "train.csv"), read_csv(pub / "test.csv")
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    gold = read_csv(comp.gold_submission)
    assert (train.spectrogram_id.nunique(), test.spectrogram_id.nunique()) == (36, 4)
    assert set(train.spectrogram_id).isdisjoint(test.spectrogram_id) and set(train.eeg_id).isdisjoint(test.eeg_id)
    assert list(test.columns) == ["spectrogram_id", "eeg_id", "patient_id"] and len(answers.columns) == 15
    assert list(test.eeg_id) == list(answers.eeg_id) == list(sample.eeg_id) == list(gold.eeg_id)
    assert test.eeg_id.duplicated().any()  # one row per labelled window
    assert np.allclose(sample[VOTES], 1 / 6) and np.allclose(gold[VOTES].sum(axis=1), 1)
    for folder, ids in [("train_eegs", train.eeg_id), ("test_eegs", test.eeg_id),
                        ("train_spectrograms", train.spectrogram_id), ("test_spectrograms", test.spectrogram_id)]:
        assert {p.name for p in (pub / folder).iterdir()} == {f"{i}.parquet" for i in set(ids)}
    spectrogram = pd.read_parquet(next((pub / "test_spectrograms").iterdir()), engine="fastparquet")
    assert spectrogram.shape[1] == 401 and spectrogram.columns[1] == "LL_0.59" and spectrogram.columns[-1] == "RP_19.92"
    eeg = pd.read_parquet(next((pub / "test_eegs").iterdir()), engine="fastparquet")
    assert list(eeg.columns[:3]) == ["Fp1", "F3", "C3"] and eeg.columns[-1] == "EKG" and eeg.dtypes.iloc[0] == np.float32
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_grades(comp, tmp_path):
    gold = read_csv(comp.gold_submission)
    assert raw_score(comp, gold, tmp_path) == pytest.approx(0.0, abs=1e-12)
    # Reference grader's raw scores: the sample submission, and the gold submission shuffled
    # (rows sharing an eeg_id are paired by sort position, as in the reference).
    assert raw_score(comp, read_csv(comp.sample_submission), tmp_path) == pytest.approx(1.1962603732603236, abs=1e-9)
    assert raw_score(comp, gold.sample(frac=1, random_state=3), tmp_path) == pytest.approx(0.24495190530431285, abs=1e-9)
    # Integer 0/1 columns escape the clipping (reference): a 0 against a voted class is infinite.
    onehot = np.eye(6, dtype=int)[gold[VOTES].to_numpy().argmax(axis=1)]
    assert raw_score(comp, _with(gold, onehot), tmp_path) == math.inf
    g = gold
    shifted = g[VOTES].to_numpy().copy()
    shifted[0] = [-0.1, 0.3, 0.2, 0.2, 0.2, 0.2]
    assert_invalid(comp, {
        "no-id": g.drop(columns=["eeg_id"]),
        "no-vote-column": g.drop(columns=["gpd_vote"]),
        "short": g.iloc[:-1],
        "extra-row": pd.concat([g, g.iloc[:1]]),
        "unknown-id": g.assign(eeg_id=[1, *g.eeg_id.iloc[1:]]),
        "not-summing-to-one": _with(g, g[VOTES].to_numpy() * 0.9),
        "negative": _with(g, shifted),
        "nan": g.assign(seizure_vote=[np.nan, *g.seizure_vote.iloc[1:]]),
        "text": g.assign(seizure_vote=["x", *g.seizure_vote.iloc[1:]]),
        "booleans": _with(g, onehot.astype(bool)),
        "extra-column-breaking-sums": g.assign(extra=0.5),
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame([[7, 1, 1, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0, 3]], columns=["eeg_id", *VOTES])
    submission = pd.DataFrame([[3, 0.25, 0.25, 0.25, 0.0, 0.0, 0.25], [7, 0.25, 0.25, 0.5, 0.0, 0.0, 0.0]],
                              columns=["eeg_id", *VOTES])
    # eeg 7: votes -> (0.5, 0.5, 0, ...), predicted (0.25, 0.25, 0.5, ...): 2 * 0.5 * log 2 = log 2.
    # eeg 3: votes -> other = 1, predicted other 0.25: log 4. Mean (log 2 + log 4) / 2 = 1.5 log 2.
    assert grade_fn(CID)(submission, answers) == pytest.approx(1.5 * math.log(2), abs=1e-12)
