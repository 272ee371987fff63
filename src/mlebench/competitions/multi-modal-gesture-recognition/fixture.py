"""Synthetic `multi-modal-gesture-recognition.zip`: training1-4 and validation1-3 tarballs of
`SampleNNNNN.zip` recordings, training.csv (Id, Sequence of gesture numbers 1-20), test.csv,
randomPredictions.csv and the copied-through 7z/zip extras.

Each recording's `SampleNNNNN_data.mat` is a real MATLAB 5 file with the ChaLearn `Video` struct
(NumFrames, FrameRate, MaxDepth, Frames of Skeleton data and, for training samples, Labels: the
gestures' Name, Begin and End frames, in the order of the sample's training.csv Sequence), as in
Kaggle's data: this is what makes the reference's test labels recoverable (see
`data/leaks.yaml`, test-mat-video-labels)."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.io

from mlebench.competitions._kit.archives import (
    blob,
    seven_zip_stub,
    tar_gz_bytes,
    write_zip,
    zip_bytes,
)

TRAIN_BATCHES = {1: range(1, 13), 2: range(13, 25), 3: range(25, 37), 4: range(37, 49)}
VALID_BATCHES = {1: range(410, 416), 2: range(416, 422), 3: range(422, 428)}


# ChaLearn 2013 gesture vocabulary: gesture number k is GESTURES[k - 1].
GESTURES = ("vattene", "vieniqui", "perfetto", "furbo", "cheduepalle", "chevuoi", "daccordo",
            "seipazzo", "combinato", "freganiente", "ok", "cosatifarei", "basta", "prendere",
            "noncenepiu", "fame", "tantotempo", "buonissimo", "messidaccordo", "sonostufo")
MAT_HEADER = b"MATLAB 5.0 MAT-file, Platform: PCWIN64, Created on: Tue Jan 01 00:00:00 2013"
FRAMES_PER_GESTURE = 40


def data_mat(sequence: str | None) -> bytes:
    """A deterministic `_data.mat`: the Video struct, with Labels when `sequence` is given."""
    gestures = [int(g) for g in sequence.split()] if sequence else []
    n_frames = FRAMES_PER_GESTURE * (len(gestures) + 1)
    skeleton = {"WorldPosition": np.arange(6, dtype=float).reshape(2, 3),
                "PixelPosition": np.arange(4, dtype=float).reshape(2, 2)}
    frames = np.zeros((1, 2), dtype=[("Skeleton", "O")])
    for i in range(2):
        frames[0, i]["Skeleton"] = skeleton
    video: dict = {"NumFrames": float(n_frames), "FrameRate": 20.0, "Frames": frames,
                   "MaxDepth": 4000.0}
    if sequence is not None:
        labels = np.zeros((1, len(gestures)), dtype=[("Name", "O"), ("Begin", "O"), ("End", "O")])
        for i, g in enumerate(gestures):
            begin = FRAMES_PER_GESTURE * i + 11
            labels[0, i] = (GESTURES[g - 1], float(begin), float(begin + 25))
        video["Labels"] = labels
    buf = io.BytesIO()
    scipy.io.savemat(buf, {"Video": video}, format="5", long_field_names=True)
    data = buf.getvalue()
    return MAT_HEADER.ljust(116, b" ") + data[116:]  # savemat stamps the time into the header


def _sample_files(rng: np.random.Generator, number: int) -> dict[str, bytes]:
    name = f"Sample{number:05d}"
    files = {f"{name}_audio.wav": blob(rng, 48, b"RIFF"), f"{name}_color.mp4": blob(rng, 48)}
    blob(rng, 48, b"MATLAB 5.0 MAT-file")  # keeps the random stream of earlier fixture versions
    return files


def _batch(samples: dict[int, dict[str, bytes]], sequences: dict[str, str | None]) -> bytes:
    out = {}
    for n, files in samples.items():
        files = {**files, f"Sample{n:05d}_data.mat": data_mat(sequences.get(f"{n:04d}"))}
        out[f"Sample{n:05d}.zip"] = zip_bytes(dict(sorted(files.items())))
    return tar_gz_bytes(out)


def _sequence(rng: np.random.Generator) -> str:
    return " ".join(str(g) for g in rng.permutation(np.arange(1, 21))[: int(rng.integers(8, 13))])


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    files: dict = {}
    train = {b: {n: _sample_files(rng, n) for n in ns} for b, ns in TRAIN_BATCHES.items()}
    valid = {b: {n: _sample_files(rng, n) for n in ns} for b, ns in VALID_BATCHES.items()}
    train_ids = [f"{n:04d}" for numbers in TRAIN_BATCHES.values() for n in numbers]
    valid_ids = [f"{n:04d}" for numbers in VALID_BATCHES.values() for n in numbers]
    sequences = [_sequence(rng) for _ in train_ids]
    labelled = dict(zip(train_ids, sequences, strict=True))
    for batch, samples in train.items():
        files[f"training{batch}.tar.gz"] = _batch(samples, labelled)
    for batch, samples in valid.items():
        files[f"validation{batch}.tar.gz"] = _batch(samples, {})
    files["training.csv"] = pd.DataFrame({"Id": train_ids, "Sequence": sequences})
    files["test.csv"] = pd.DataFrame({"Id": valid_ids})
    files["randomPredictions.csv"] = pd.DataFrame({
        "Id": valid_ids,
        "Sequence": [" ".join(str(g) for g in rng.permutation(np.arange(1, 21))) for _ in valid_ids],
    })
    files["devel01-40.7z"] = seven_zip_stub(rng)
    files["valid_all_files_combined.7z"] = seven_zip_stub(rng)
    files["sample_code_mmrgc.zip"] = zip_bytes({"sample_code_mmrgc/main.m": "% sample code\n"})
    return write_zip(out_dir / "multi-modal-gesture-recognition.zip", files)
