"""Synthetic `rsna-breast-cancer-detection.zip`: train.csv (one row per mammogram: site, patient,
image, laterality, view, age, labels, machine, ...), test.csv and sample_submission.csv (Kaggle's
few-row public test: one patient, `prediction_id` = `<patient_id>_<laterality>`), and tiny
uncompressed 16-bit DICOM mammograms under train_images/<patient_id>/<image_id>.dcm and
test_images/<patient_id>/<image_id>.dcm (encoded here directly; no DICOM package needed)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_PATIENTS = 60
MACHINES = [21, 29, 48, 49, 93, 170, 190, 197, 210, 216]
MAMMO_STORAGE = "1.2.840.10008.5.1.4.1.1.1.2"  # Digital Mammography X-Ray Image Storage (presentation)
UID_ROOT = "1.2.840.10009.1.2.3"
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
IMPLEMENTATION_UID = "1.2.826.0.1.3680043.9.7433.1"


def _element(group: int, element: int, vr: str, value: bytes | str) -> bytes:
    """One explicit-VR little-endian data element, its value padded to an even length."""
    raw = value.encode() if isinstance(value, str) else value
    if len(raw) % 2:
        raw += b"\x00" if vr in ("UI", "OB", "OW") else b" "
    head = struct.pack("<HH", group, element) + vr.encode()
    if vr in ("OB", "OW"):
        return head + b"\x00\x00" + struct.pack("<I", len(raw)) + raw
    return head + struct.pack("<H", len(raw)) + raw


def _us(value: int) -> bytes:
    return struct.pack("<H", value)


def dicom_bytes(rng: np.random.Generator, patient_id: int, image_id: int, laterality: str, view: str) -> bytes:
    """A small valid Part-10 DICOM mammogram (explicit VR little endian, uncompressed 16x12 12-bit
    MONOCHROME2 pixels) with the patient, study, series, instance, laterality and view tags."""
    sop_uid = f"{UID_ROOT}.{patient_id}.1.{image_id}"
    meta_body = b"".join([
        _element(0x0002, 0x0001, "OB", b"\x00\x01"),
        _element(0x0002, 0x0002, "UI", MAMMO_STORAGE),
        _element(0x0002, 0x0003, "UI", sop_uid),
        _element(0x0002, 0x0010, "UI", EXPLICIT_VR_LITTLE_ENDIAN),
        _element(0x0002, 0x0012, "UI", IMPLEMENTATION_UID),
    ])
    pixels = rng.integers(0, 4096, (16, 12)).astype("<u2")
    body = b"".join([
        _element(0x0008, 0x0016, "UI", MAMMO_STORAGE),
        _element(0x0008, 0x0018, "UI", sop_uid),
        _element(0x0008, 0x0060, "CS", "MG"),
        _element(0x0010, 0x0020, "LO", str(patient_id)),
        _element(0x0018, 0x5101, "CS", view),
        _element(0x0020, 0x000D, "UI", f"{UID_ROOT}.{patient_id}"),
        _element(0x0020, 0x000E, "UI", f"{UID_ROOT}.{patient_id}.{image_id % 10000}"),
        _element(0x0020, 0x0013, "IS", "1"),
        _element(0x0020, 0x0062, "CS", laterality),
        _element(0x0028, 0x0002, "US", _us(1)),
        _element(0x0028, 0x0004, "CS", "MONOCHROME2"),
        _element(0x0028, 0x0010, "US", _us(pixels.shape[0])),
        _element(0x0028, 0x0011, "US", _us(pixels.shape[1])),
        _element(0x0028, 0x0100, "US", _us(16)),
        _element(0x0028, 0x0101, "US", _us(12)),
        _element(0x0028, 0x0102, "US", _us(11)),
        _element(0x0028, 0x0103, "US", _us(0)),
        _element(0x7FE0, 0x0010, "OW", pixels.tobytes()),
    ])
    meta = _element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_body))) + meta_body
    return b"\x00" * 128 + b"DICM" + meta + body


def _patients(rng: np.random.Generator, patient_ids: np.ndarray, first_image: int) -> pd.DataFrame:
    rows = []
    for pid in patient_ids:
        site = int(rng.integers(1, 3))
        machine = int(rng.choice(MACHINES))
        age = float(rng.integers(38, 85)) if rng.random() > 0.05 else np.nan
        implant = int(rng.random() < 0.03)
        density = rng.choice(["A", "B", "C", "D"]) if rng.random() > 0.4 else np.nan
        for laterality in ("L", "R"):
            cancer = int(rng.random() < 0.2)
            biopsy = int(cancer or rng.random() < 0.05)
            invasive = int(cancer and rng.random() < 0.7)
            birads = 1.0 if cancer else float(rng.choice([np.nan, 0.0, 1.0, 2.0]))
            difficult = bool(biopsy and not cancer)
            views = ["CC", "MLO"] + (["MLO"] if rng.random() < 0.1 else [])
            for view in views:
                rows.append({
                    "site_id": site, "patient_id": int(pid), "image_id": first_image + len(rows) * 7919
                    + int(rng.integers(0, 7919)), "laterality": laterality, "view": view, "age": age,
                    "cancer": cancer, "biopsy": biopsy, "invasive": invasive, "BIRADS": birads,
                    "implant": implant, "density": density, "machine_id": machine,
                    "difficult_negative_case": difficult,
                })
    return pd.DataFrame(rows)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    patient_ids = np.sort(rng.choice(np.arange(10006, 65535), N_PATIENTS + 1, replace=False))
    test_patient = patient_ids[0]
    train = _patients(rng, patient_ids[1:], first_image=100_000_000)
    test = _patients(rng, [test_patient], first_image=1_000_000)
    test = test[["site_id", "patient_id", "image_id", "laterality", "view", "age", "implant", "machine_id"]]
    test = test.assign(prediction_id=test["patient_id"].astype(str) + "_" + test["laterality"])
    sample = pd.DataFrame({"prediction_id": test["prediction_id"].unique(), "cancer": 0.021})
    files: dict = {"sample_submission.csv": sample, "test.csv": test}
    for folder, frame in (("test_images", test), ("train_images", train)):
        for row in frame.itertuples(index=False):
            files[f"{folder}/{row.patient_id}/{row.image_id}.dcm"] = dicom_bytes(
                rng, row.patient_id, row.image_id, row.laterality, row.view)
    files["train.csv"] = train
    return write_zip(out_dir / "rsna-breast-cancer-detection.zip", files)
