"""Synthetic `rsna-miccai-brain-tumor-radiogenomic-classification.zip`: train_labels.csv
(BraTS21ID as five-digit strings, MGMT_value 0/1), sample_submission.csv, and
`train|test/<BraTS21ID>/<FLAIR|T1w|T1wCE|T2w>/Image-<n>.dcm` MRI slices.

Like Kaggle's, the training cases include 00109, 00123 and 00709, which Kaggle flags as faulty.
The labels of the cases the preparer holds out (its 90/10 split with `random_state=0`) always
include both classes, so the test AUC is defined for every seed."""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.volumes import MR_IMAGE_STORAGE, dicom_slice_bytes

SEQUENCES = ["FLAIR", "T1w", "T1wCE", "T2w"]
FLAGGED = [109, 123, 709]
N_TRAIN, N_KAGGLE_TEST = 50, 3
SIZE = 8
UID_ROOT = "1.2.826.0.1.3680043.8.498"


def _case(rng: np.random.Generator, folder: str, case: str) -> dict[str, bytes]:
    files = {}
    study = f"{UID_ROOT}.{int(case) + 10000}"
    for s, sequence in enumerate(SEQUENCES, start=1):
        first = int(rng.integers(1, 40))
        for n in range(first, first + int(rng.integers(1, 3))):
            pixels = rng.integers(0, 4000, (SIZE, SIZE)).astype(np.uint16)
            files[f"{folder}/{case}/{sequence}/Image-{n}.dcm"] = dicom_slice_bytes(
                pixels, sop_class_uid=MR_IMAGE_STORAGE, modality="MR", patient_id=case,
                study_uid=study, series_uid=f"{study}.{s}", sop_uid=f"{study}.{s}.{n}",
                instance_number=n, series_description=sequence, slice_position=float(n),
            )
    return files


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    pool = np.setdiff1d(np.arange(0, 1011), FLAGGED)
    numbers = rng.choice(pool, N_TRAIN - len(FLAGGED) + N_KAGGLE_TEST, replace=False)
    train_ids = sorted([*numbers[:N_TRAIN - len(FLAGGED)].tolist(), *FLAGGED])
    test_ids = sorted(numbers[N_TRAIN - len(FLAGGED):].tolist())
    train_cases = [f"{n:05d}" for n in train_ids]
    test_cases = [f"{n:05d}" for n in test_ids]

    mgmt = (rng.random(N_TRAIN) < 0.52).astype(int)
    _, held_out = train_test_split(np.arange(N_TRAIN), test_size=0.1, random_state=0)
    mgmt[held_out[:2]] = [0, 1]
    labels = pd.DataFrame({"BraTS21ID": train_cases, "MGMT_value": mgmt})
    sample = pd.DataFrame({"BraTS21ID": test_cases, "MGMT_value": 0.5})
    files: dict = {"sample_submission.csv": sample, "train_labels.csv": labels}
    for case in test_cases:
        files.update(_case(rng, "test", case))
    for case in train_cases:
        files.update(_case(rng, "train", case))
    return write_zip(out_dir / "rsna-miccai-brain-tumor-radiogenomic-classification.zip", files)
