"""Synthetic `rsna-2022-cervical-spine-fracture-detection.zip`: train.csv (StudyInstanceUID,
patient_overall, C1..C7), train_bounding_boxes.csv, test.csv / sample_submission.csv (Kaggle's
three-row placeholders), `train_images|test_images/<StudyInstanceUID>/<n>.dcm` CT slices and
`segmentations/<StudyInstanceUID>.nii` masks.

Sizes keep the real data's structure: some studies have boxes, some segmentations, some both
(60 studies; 25 with boxes, 15 with segmentations, 8 of them with both). Slices are tiny
uncompressed 16x16 CT images (Kaggle's are 512x512, mostly JPEG-lossless compressed); masks are
uint8 NIfTI-1 volumes with vertebra labels 0..7."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.volumes import CT_IMAGE_STORAGE, dicom_slice_bytes, nifti1_bytes

UID_ROOT = "1.2.826.0.1.3680043"
VERTEBRAE = [f"C{i}" for i in range(1, 8)]
N_TRAIN, N_BOXES, N_SEGMENTED, N_BOTH, N_KAGGLE_TEST = 60, 25, 15, 8, 3
SIZE = 16


def _study(rng: np.random.Generator, folder: str, uid: str, n_slices: int) -> dict[str, bytes]:
    files = {}
    for n in range(1, n_slices + 1):
        pixels = rng.integers(0, 1800, (SIZE, SIZE)).astype(np.int16)
        files[f"{folder}/{uid}/{n}.dcm"] = dicom_slice_bytes(
            pixels, sop_class_uid=CT_IMAGE_STORAGE, modality="CT", patient_id=uid.rsplit(".", 1)[1],
            study_uid=uid, series_uid=f"{uid}.1", sop_uid=f"{uid}.1.{n}", instance_number=n,
            slice_position=-0.625 * n, pixel_spacing=(0.25, 0.25), slice_thickness=0.625,
            rescale_intercept=-1024,
        )
    return files


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    numbers = rng.choice(np.arange(1, 32800), N_TRAIN + N_KAGGLE_TEST, replace=False)
    uids = [f"{UID_ROOT}.{n}" for n in numbers]
    train_uids, test_uids = uids[:N_TRAIN], sorted(uids[N_TRAIN:])

    fractures = (rng.random((N_TRAIN, 7)) < rng.uniform(0.05, 0.3, 7)).astype(int)
    train = pd.DataFrame(fractures, columns=VERTEBRAE)
    train.insert(0, "patient_overall", fractures.max(axis=1))
    train.insert(0, "StudyInstanceUID", train_uids)

    n_slices = {uid: int(rng.integers(2, 4)) for uid in uids}
    order = rng.permutation(N_TRAIN)
    boxed = [train_uids[i] for i in order[:N_BOXES]]
    segmented = [train_uids[i] for i in order[N_BOXES - N_BOTH:N_BOXES - N_BOTH + N_SEGMENTED]]

    boxes = []
    for uid in sorted(boxed):
        for slice_number in range(1, n_slices[uid] + 1):
            x, y = rng.uniform(0, SIZE * 0.6, 2)
            w, h = rng.uniform(1, SIZE * 0.4, 2)
            boxes.append((uid, *np.round([x, y, w, h], 5), slice_number))
    bounding_boxes = pd.DataFrame(boxes, columns=["StudyInstanceUID", "x", "y", "width", "height",
                                                  "slice_number"])

    test = pd.DataFrame({
        "row_id": [f"{uid}_C1" for uid in test_uids],
        "StudyInstanceUID": test_uids,
        "prediction_type": "C1",
    })
    sample = pd.DataFrame({"row_id": test["row_id"], "fractured": 0.5})

    files: dict = {
        "sample_submission.csv": sample,
        "test.csv": test,
        "train.csv": train,
        "train_bounding_boxes.csv": bounding_boxes,
    }
    for uid in sorted(segmented):
        mask = rng.integers(0, 8, (SIZE, SIZE, n_slices[uid])).astype(np.uint8)
        files[f"segmentations/{uid}.nii"] = nifti1_bytes(mask, (0.25, 0.25, 0.625))
    for uid in test_uids:
        files.update(_study(rng, "test_images", uid, n_slices[uid]))
    for uid in train_uids:
        files.update(_study(rng, "train_images", uid, n_slices[uid]))
    return write_zip(out_dir / "rsna-2022-cervical-spine-fracture-detection.zip", files)
