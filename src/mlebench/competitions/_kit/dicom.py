"""Tiny, deterministic DICOM files for the chest X-ray detection fixtures (SIIM COVID-19,
VinBigData): a valid Part-10 file (preamble, file meta, explicit VR little endian) holding a small
16-bit monochrome image and the identifying tags a solution might read.

pydicom (the `dicom` extra) is imported lazily so that `import mlebench` stays light."""

from __future__ import annotations

import io
import warnings

import numpy as np

# Digital X-ray (for presentation); the SOP class Kaggle's chest radiographs mostly use.
DX_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.1.1"


ROOT_UID = "1.2.826.0.1.3680043.8.498"  # pydicom's UID root


def dicom_bytes(
    rng: np.random.Generator,
    *,
    sop_instance_uid: str,
    study_instance_uid: str = "",
    series_instance_uid: str = "",
    patient_id: str = "",
    size: tuple[int, int] = (16, 16),
    photometric: str = "MONOCHROME2",
    bits_stored: int = 12,
) -> bytes:
    """One DICOM file as bytes: a `size` (rows, columns) noise image with `bits_stored` bits.

    UIDs are written as given (Kaggle's anonymised competitions use short hex ids in UID tags);
    nothing time-dependent is written, so the same arguments give the same bytes."""
    rows, cols = size
    sex, modality = str(rng.choice(["M", "F", "O"])), str(rng.choice(["DX", "CR"]))
    values = {"sop": sop_instance_uid, "study": study_instance_uid, "series": series_instance_uid,
              "patient": patient_id}
    key = (tuple(len(v) for v in values.values()), size, photometric, bits_stored, sex, modality)
    if key not in _TEMPLATES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # hex "UIDs" are not strictly valid UI values
            placeholders = {k: _PLACEHOLDER[k] * len(v) for k, v in values.items()}
            _TEMPLATES[key] = _build(placeholders, size, photometric, bits_stored, sex, modality)
    data = _TEMPLATES[key]
    for name, value in values.items():
        if value:
            data = data.replace((_PLACEHOLDER[name] * len(value)).encode(), value.encode())
    pixels = rng.integers(0, 2**bits_stored, size=(rows, cols), dtype=np.uint16)
    return data[: -rows * cols * 2] + pixels.astype("<u2").tobytes()


# Writing with pydicom takes milliseconds per file, so each distinct layout is written once with
# placeholder ids (same lengths, so every offset and length field stays valid) and then patched.
_TEMPLATES: dict[tuple, bytes] = {}


_PLACEHOLDER = {"sop": "Q", "study": "W", "series": "Z", "patient": "K"}


def _build(ids: dict[str, str], size: tuple[int, int], photometric: str, bits_stored: int,
           sex: str, modality: str) -> bytes:
    # optional (the `dicom` extra): only the DICOM fixtures need it
    from pydicom import dcmwrite
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    rows, cols = size
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = DX_SOP_CLASS
    meta.MediaStorageSOPInstanceUID = ids["sop"]
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = f"{ROOT_UID}.1"

    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = DX_SOP_CLASS
    ds.SOPInstanceUID = ids["sop"]
    ds.StudyInstanceUID = ids["study"]
    ds.SeriesInstanceUID = ids["series"]
    ds.PatientID = ids["patient"]
    ds.PatientSex = sex
    ds.Modality = modality
    ds.BodyPartExamined = "CHEST"
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    ds.PixelData = bytes(rows * cols * 2)  # last element: replaced by the real pixels
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    buf = io.BytesIO()
    dcmwrite(buf, ds, write_like_original=False)
    return buf.getvalue()
