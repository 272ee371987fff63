"""Synthetic `hms-harmful-brain-activity-classification.zip`: train.csv (one row per labelled
window: eeg/spectrogram ids, sub-ids and offsets, label_id, patient_id, expert_consensus and the six
vote counts), test.csv and sample_submission.csv (Kaggle's one-row public test), EEG tables
`train_eegs/<eeg_id>.parquet` / `test_eegs/<eeg_id>.parquet` (19 electrodes + EKG, float32, 200 Hz),
spectrogram tables `train_spectrograms/<spectrogram_id>.parquet` /
`test_spectrograms/<spectrogram_id>.parquet` (`time` + 4 regions x 100 frequencies, float32) and
a few PNGs in `example_figures/`.

Parquet is written with fastparquet. Writing a 401-column table costs fastparquet ~0.4 s, so each
table shape is written once with placeholder values and the other files reuse its bytes with their
own values put in place (same layout: uncompressed PLAIN pages, no statistics); every file reads
back with fastparquet as the table it stands for."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes

VOTE_COLUMNS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
CONSENSUS = ["Seizure", "LPD", "GPD", "LRDA", "GRDA", "Other"]
EEG_COLUMNS = ("Fp1", "F3", "C3", "P3", "F7", "T3", "T5", "O1", "Fz", "Cz", "Pz",
               "Fp2", "F4", "C4", "P4", "F8", "T4", "T6", "O2", "EKG")
FREQUENCIES = [f"{(3 + k) * 0.1953125:.2f}" for k in range(100)]  # 0.59 .. 19.92 Hz
SPECTROGRAM_COLUMNS = ("time", *(f"{region}_{f}" for region in ("LL", "RL", "LP", "RP") for f in FREQUENCIES))
EEG_ROWS, SPECTROGRAM_ROWS = 40, 4
N_SPECTROGRAMS = 40
FIGURES = ["A-1", "B-1", "C-1", "D-1"]


@functools.cache
def _template(columns: tuple[str, ...], n_rows: int) -> tuple[bytes, tuple[int, ...]]:
    """fastparquet bytes of a float32 table with distinct placeholder values, and the byte offset
    of each column's values."""
    placeholder = (np.arange(len(columns) * n_rows, dtype=np.float32).reshape(len(columns), n_rows).T + 0.25)
    frame = pd.DataFrame(placeholder, columns=list(columns))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.parquet"
        frame.to_parquet(path, engine="fastparquet", index=False, stats=False, compression=None)
        data = path.read_bytes()
    offsets = []
    for j in range(len(columns)):
        pattern = placeholder[:, j].astype("<f4").tobytes()
        if data.count(pattern) != 1:
            raise RuntimeError("unexpected parquet layout")
        offsets.append(data.index(pattern))
    return data, tuple(offsets)


def float32_parquet(values: np.ndarray, columns: tuple[str, ...]) -> bytes:
    """Parquet bytes of the float32 table `values` (rows x columns) with the given column names."""
    data, offsets = _template(columns, values.shape[0])
    out = bytearray(data)
    width = 4 * values.shape[0]
    for j, offset in enumerate(offsets):
        out[offset:offset + width] = np.ascontiguousarray(values[:, j], dtype="<f4").tobytes()
    return bytes(out)


def _eeg(rng: np.random.Generator) -> bytes:
    values = rng.normal(0, 40, (EEG_ROWS, len(EEG_COLUMNS))).round(2)
    return float32_parquet(values, EEG_COLUMNS)


def _spectrogram(rng: np.random.Generator) -> bytes:
    values = np.round(rng.gamma(1.5, 4.0, (SPECTROGRAM_ROWS, len(SPECTROGRAM_COLUMNS))), 2)
    values[:, 0] = 1 + 2 * np.arange(SPECTROGRAM_ROWS)
    return float32_parquet(values, SPECTROGRAM_COLUMNS)


def _votes(rng: np.random.Generator) -> np.ndarray:
    total = int(rng.choice([1, 2, 3, 3, 3, 6, 10, 14, 17]))
    return rng.multinomial(total, rng.dirichlet(np.full(6, 0.4)))


def _train(rng: np.random.Generator, spectrogram_ids: np.ndarray, eeg_ids: np.ndarray) -> pd.DataFrame:
    patients = rng.choice(np.arange(56, 65500), N_SPECTROGRAMS // 2 + 5, replace=False)
    groups, next_eeg = [], 0
    for spectrogram_id in spectrogram_ids:
        patient = int(rng.choice(patients))
        spec_sub, spec_offset = 0, float(rng.integers(0, 20) * 2)
        for _ in range(int(rng.integers(1, 3))):
            eeg_id = int(eeg_ids[next_eeg])
            next_eeg += 1
            rows, votes, offset = [], _votes(rng), 0.0
            for eeg_sub in range(int(rng.integers(1, 5))):
                if rng.random() < 0.3:
                    votes = _votes(rng)
                offset += 2.0 * int(rng.integers(1, 4)) if eeg_sub else 0.0
                rows.append([eeg_id, eeg_sub, offset, int(spectrogram_id), spec_sub, spec_offset + offset,
                             int(rng.integers(338, 4294967295)), patient, CONSENSUS[int(np.argmax(votes))],
                             *votes.tolist()])
                spec_sub += 1
            spec_offset += rows[-1][2] + 50.0
            groups.append(rows)
    order = rng.permutation(len(groups))
    columns = ["eeg_id", "eeg_sub_id", "eeg_label_offset_seconds", "spectrogram_id", "spectrogram_sub_id",
               "spectrogram_label_offset_seconds", "label_id", "patient_id", "expert_consensus", *VOTE_COLUMNS]
    return pd.DataFrame([row for i in order for row in groups[i]], columns=columns)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    spectrogram_ids = 353733 + rng.choice(2147483647 - 353733, N_SPECTROGRAMS + 1, replace=False)
    eeg_ids = 568657 + rng.choice(4294967295 - 568657, 2 * N_SPECTROGRAMS + 1, replace=False)
    train = _train(rng, spectrogram_ids[:-1], eeg_ids[:-1])
    test = pd.DataFrame({"spectrogram_id": [int(spectrogram_ids[-1])], "eeg_id": [int(eeg_ids[-1])],
                         "patient_id": [int(rng.integers(56, 65500))]})
    sample = pd.DataFrame({"eeg_id": test["eeg_id"], **{c: 1 / 6 for c in VOTE_COLUMNS}})
    files: dict = {f"example_figures/{name}.png": image_bytes(rng, 24, 16, "PNG") for name in FIGURES}
    files["sample_submission.csv"] = sample
    files["test.csv"] = test
    files[f"test_eegs/{test.eeg_id[0]}.parquet"] = _eeg(rng)
    files[f"test_spectrograms/{test.spectrogram_id[0]}.parquet"] = _spectrogram(rng)
    files["train.csv"] = train
    for eeg_id in train["eeg_id"].unique():
        files[f"train_eegs/{eeg_id}.parquet"] = _eeg(rng)
    for spectrogram_id in train["spectrogram_id"].unique():
        files[f"train_spectrograms/{spectrogram_id}.parquet"] = _spectrogram(rng)
    return write_zip(out_dir / "hms-harmful-brain-activity-classification.zip", files)
