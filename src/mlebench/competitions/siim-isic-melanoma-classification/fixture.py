"""Synthetic `siim-isic-melanoma-classification.zip`, laid out like Kaggle's download:
`train.csv`, `test.csv`, `sample_submission.csv`, `train/<image_name>.dcm`, `test/<image_name>.dcm`,
`jpeg/train/<image_name>.jpg`, `jpeg/test/<image_name>.jpg` and `tfrecords/` with Kaggle's file names
(`train00-2071.tfrec` ... `train14-2071.tfrec`, `train15-2061.tfrec`, `test00-687.tfrec` ...
`test15-677.tfrec`). Each TFRecord holds `tf.train.Example`s with `image` (JPEG bytes),
`image_name` and, for training files, `target`.

Kept small: 12 training images per TFRecord file (the file names keep Kaggle's record counts,
which the reference's preparer hard-codes), 3 test images per file; DICOMs and JPEGs are 8x8."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.media import dicom_bytes, image_bytes
from mlebench.data.tfrecord import encode_example, frame

N_FILES, TRAIN_PER_FILE, TEST_PER_FILE = 16, 12, 3
TRAIN_NAMES = [f"train{i:02d}-{2061 if i == 15 else 2071}.tfrec" for i in range(N_FILES)]
TEST_NAMES = [f"test{i:02d}-{687 if i < 14 else 677}.tfrec" for i in range(N_FILES)]
SITES = ["torso", "lower extremity", "upper extremity", "head/neck", "palms/soles", "oral/genital"]
BENIGN = ["unknown", "nevus", "seborrheic keratosis", "lentigo NOS", "lichenoid keratosis",
          "solar lentigo", "cafe-au-lait macule", "atypical melanocytic proliferation"]


def _ids(rng: np.random.Generator, prefix: str, n: int) -> list[str]:
    return [f"{prefix}{v:07d}" for v in rng.choice(10_000_000, n, replace=False)]


def _patients(rng: np.random.Generator, n_images: int) -> pd.DataFrame:
    n_patients = max(1, n_images // 4)
    pids = _ids(rng, "IP_", n_patients)
    who = rng.integers(0, n_patients, n_images)
    sex = rng.choice(["male", "female"], n_patients)
    age = rng.integers(4, 18, n_patients) * 5.0
    df = pd.DataFrame({
        "image_name": _ids(rng, "ISIC_", n_images),
        "patient_id": [pids[i] for i in who],
        "sex": sex[who].astype(object),
        "age_approx": age[who],
        "anatom_site_general_challenge": rng.choice(SITES, n_images, p=[.5, .25, .15, .06, .02, .02]).astype(object),
    })
    df.loc[rng.random(n_images) < 0.03, "sex"] = np.nan
    df.loc[rng.random(n_images) < 0.03, "age_approx"] = np.nan
    df.loc[rng.random(n_images) < 0.05, "anatom_site_general_challenge"] = np.nan
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    n_train, n_test = N_FILES * TRAIN_PER_FILE, N_FILES * TEST_PER_FILE
    train = _patients(rng, n_train)
    train_file = rng.permutation(np.repeat(np.arange(N_FILES), TRAIN_PER_FILE))
    # One or two malignant images in every TFRecord file, so any file-based split has both classes.
    target = np.zeros(n_train, dtype=int)
    for f in range(N_FILES):
        target[rng.choice(np.flatnonzero(train_file == f), int(rng.integers(1, 3)), replace=False)] = 1
    train["diagnosis"] = np.where(target == 1, "melanoma", rng.choice(BENIGN, n_train, p=[.7, .2, .04, .02, .01, .01, .01, .01]))
    train["benign_malignant"] = np.where(target == 1, "malignant", "benign")
    train["target"] = target
    test = _patients(rng, n_test)

    files: dict[str, bytes | str | pd.DataFrame] = {
        "sample_submission.csv": pd.DataFrame({"image_name": test["image_name"], "target": 0}),
        "test.csv": test,
        "train.csv": train,
    }
    records: dict[str, list[bytes]] = {name: [] for name in TRAIN_NAMES + TEST_NAMES}
    test_file = rng.permutation(np.repeat(np.arange(N_FILES), TEST_PER_FILE))
    for split, df, assignment in [("train", train, train_file), ("test", test, test_file)]:
        for i, row in enumerate(df.itertuples(index=False)):
            jpg = image_bytes(rng, (8, 8), "JPEG")
            files[f"jpeg/{split}/{row.image_name}.jpg"] = jpg
            files[f"{split}/{row.image_name}.dcm"] = dicom_bytes(
                rng, f"1.2.826.0.1.3680043.8.1055.1.{int(rng.integers(10**9, 10**10))}", row.patient_id,
                sex={"male": "M", "female": "F"}.get(row.sex, ""),
                age="" if pd.isna(row.age_approx) else f"{int(row.age_approx):03d}Y")
            features = {"image": jpg, "image_name": row.image_name}
            if split == "train":
                features["target"] = int(row.target)
                name = TRAIN_NAMES[assignment[i]]
            else:
                name = TEST_NAMES[assignment[i]]
            records[name].append(frame(encode_example(features)))
    for name, frames in records.items():
        files[f"tfrecords/{name}"] = b"".join(frames)
    return write_zip(out_dir / "siim-isic-melanoma-classification.zip", dict(sorted(files.items())))
