"""Synthetic `osic-pulmonary-fibrosis-progression.zip`: train.csv (Patient, Weeks, FVC, Percent,
Age, Sex, SmokingStatus), test.csv (baseline visits of a few patients), sample_submission.csv
(Patient_Week, FVC, Confidence) and `train|test/<Patient>/<n>.dcm` CT slices."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import blob, write_zip

N_PATIENTS, N_KAGGLE_TEST = 40, 5
SMOKING = ["Ex-smoker", "Never smoked", "Currently smokes"]


def _dicom(rng: np.random.Generator) -> bytes:
    return b"\0" * 128 + blob(rng, 64, b"DICM")


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    patients = sorted("ID00" + "".join(map(str, rng.integers(0, 10, 21))) for _ in range(N_PATIENTS))
    rows = []
    for patient in patients:
        age, sex = int(rng.integers(49, 89)), str(rng.choice(["Male", "Female"], p=[0.8, 0.2]))
        smoking = str(rng.choice(SMOKING, p=[0.65, 0.3, 0.05]))
        expected = rng.uniform(2500, 4200)
        fvc0, slope = rng.uniform(1300, 4500), rng.normal(-4, 4)
        weeks = np.sort(rng.choice(np.arange(-5, 134), int(rng.integers(6, 11)), replace=False))
        for week in weeks:
            fvc = int(round(fvc0 + slope * week + rng.normal(0, 80)))
            rows.append((patient, int(week), fvc, fvc / expected * 100, age, sex, smoking))
    train = pd.DataFrame(rows, columns=["Patient", "Weeks", "FVC", "Percent", "Age", "Sex", "SmokingStatus"])
    test_patients = sorted(rng.choice(patients, N_KAGGLE_TEST, replace=False))
    test = train[train["Patient"].isin(test_patients)].groupby("Patient").head(1)
    sample = pd.DataFrame([(f"{p}_{w}", 2000, 100) for p in test_patients for w in range(-12, 134)],
                          columns=["Patient_Week", "FVC", "Confidence"])
    files: dict = {"sample_submission.csv": sample, "test.csv": test, "train.csv": train}
    for folder, group in (("test", test_patients), ("train", patients)):
        for patient in group:
            for n in range(1, int(rng.integers(2, 5)) + 1):
                files[f"{folder}/{patient}/{n}.dcm"] = _dicom(rng)
    return write_zip(out_dir / "osic-pulmonary-fibrosis-progression.zip", files)
