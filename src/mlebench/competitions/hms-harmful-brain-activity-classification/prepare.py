"""Hold out 10% of Kaggle's training recordings, split by spectrogram_id (seed 0).

A spectrogram covers one or more EEGs, each with one or more labelled windows, so splitting on
spectrogram_id keeps every EEG and every labelled window of a recording on one side.

Public: train.csv (the remaining rows, all columns), test.csv (`spectrogram_id, eeg_id,
patient_id` of every held-out row: one row per labelled window, so an eeg_id can repeat),
sample_submission.csv (uniform 1/6 predictions), the EEG and spectrogram parquet files of each side
(train_eegs/, test_eegs/, train_spectrograms/, test_spectrograms/, copied unchanged) and
example_figures/. Private: test.csv (the held-out rows with their votes) and
gold_submission.csv (the votes of each row divided by their total).
"""

from __future__ import annotations

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_tree, place_files
from mlebench.tables import read_csv

VOTE_COLUMNS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]


def _copy_tables(ids, source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    place_files((source / f"{i}.parquet", target / f"{i}.parquet") for i in ids)


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    train_specs, test_specs = train_test_split(full["spectrogram_id"].unique(), test_size=0.1, random_state=0)

    train = full[full["spectrogram_id"].isin(train_specs)]
    test = full[full["spectrogram_id"].isin(test_specs)]
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test[["spectrogram_id", "eeg_id", "patient_id"]].to_csv(public / "test.csv", index=False)

    gold = test[["eeg_id", *VOTE_COLUMNS]].copy()
    gold[VOTE_COLUMNS] = gold[VOTE_COLUMNS].div(gold[VOTE_COLUMNS].sum(axis=1), axis=0)
    gold.to_csv(private / "gold_submission.csv", index=False)
    sample = gold.copy()
    sample[VOTE_COLUMNS] = 1 / len(VOTE_COLUMNS)
    sample.to_csv(public / "sample_submission.csv", index=False)

    link_tree(raw / "example_figures", public / "example_figures")
    _copy_tables(train["eeg_id"].unique(), raw / "train_eegs", public / "train_eegs")
    _copy_tables(test["eeg_id"].unique(), raw / "train_eegs", public / "test_eegs")
    _copy_tables(train_specs, raw / "train_spectrograms", public / "train_spectrograms")
    _copy_tables(test_specs, raw / "train_spectrograms", public / "test_spectrograms")

    if not set(train["eeg_id"]).isdisjoint(test["eeg_id"]):
        raise ValueError("An eeg_id spans two spectrograms on both sides of the split.")
    if len(full.columns) != 15:
        raise ValueError(f"Expected Kaggle's 15 train.csv columns, found {len(full.columns)}.")
