"""Tiny medical-volume files for synthetic downloads, written without extra packages: 16-bit
greyscale DICOM slices (CT or MR, as a scanner would store one slice of a series) and single-file
NIfTI-1 volumes (`.nii`, e.g. segmentation masks)."""

from __future__ import annotations

import struct

import numpy as np

EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"


CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"


_IMPLEMENTATION_UID = "1.2.826.0.1.3680043.9.7433.1"


_LONG_LENGTH_VRS = ("OB", "OW", "SQ", "UN", "UT")


def _data_element(group: int, element: int, vr: str, value: bytes | str) -> bytes:
    """One explicit-VR little-endian data element, its value padded to an even length."""
    raw = value.encode() if isinstance(value, str) else value
    if len(raw) % 2:
        raw += b"\x00" if vr in ("UI", "OB", "OW") else b" "
    header = struct.pack("<HH", group, element) + vr.encode()
    if vr in _LONG_LENGTH_VRS:
        return header + b"\x00\x00" + struct.pack("<I", len(raw)) + raw
    return header + struct.pack("<H", len(raw)) + raw


def _decimals(values) -> str:
    return "\\".join(f"{v:g}" for v in values)


def dicom_slice_bytes(
    pixels: np.ndarray,
    *,
    sop_class_uid: str,
    modality: str,
    patient_id: str,
    study_uid: str,
    series_uid: str,
    sop_uid: str,
    instance_number: int,
    series_description: str = "",
    slice_position: float = 0.0,
    pixel_spacing: tuple[float, float] = (1.0, 1.0),
    slice_thickness: float = 1.0,
    rescale_intercept: float | None = None,
) -> bytes:
    """A Part-10 DICOM file holding one greyscale slice (`pixels`: 2-D int16 or uint16 array),
    uncompressed, with the identifying tags (patient, study, series, instance) and geometry
    (position, orientation, spacing) that slice-reading code uses."""
    if pixels.ndim != 2 or pixels.dtype not in (np.int16, np.uint16):
        raise ValueError("pixels must be a 2-D int16 or uint16 array")
    rows, columns = pixels.shape
    signed = pixels.dtype == np.int16
    meta_body = b"".join([
        _data_element(0x0002, 0x0001, "OB", b"\x00\x01"),
        _data_element(0x0002, 0x0002, "UI", sop_class_uid),
        _data_element(0x0002, 0x0003, "UI", sop_uid),
        _data_element(0x0002, 0x0010, "UI", EXPLICIT_VR_LITTLE_ENDIAN),
        _data_element(0x0002, 0x0012, "UI", _IMPLEMENTATION_UID),
    ])
    meta = _data_element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_body))) + meta_body
    elements = [
        _data_element(0x0008, 0x0016, "UI", sop_class_uid),
        _data_element(0x0008, 0x0018, "UI", sop_uid),
        _data_element(0x0008, 0x0060, "CS", modality),
        _data_element(0x0008, 0x103E, "LO", series_description),
        _data_element(0x0010, 0x0010, "PN", patient_id),
        _data_element(0x0010, 0x0020, "LO", patient_id),
        _data_element(0x0018, 0x0050, "DS", f"{slice_thickness:g}"),
        _data_element(0x0020, 0x000D, "UI", study_uid),
        _data_element(0x0020, 0x000E, "UI", series_uid),
        _data_element(0x0020, 0x0013, "IS", str(instance_number)),
        _data_element(0x0020, 0x0032, "DS", _decimals((-0.5 * columns, -0.5 * rows, slice_position))),
        _data_element(0x0020, 0x0037, "DS", _decimals((1, 0, 0, 0, 1, 0))),
        _data_element(0x0028, 0x0002, "US", struct.pack("<H", 1)),
        _data_element(0x0028, 0x0004, "CS", "MONOCHROME2"),
        _data_element(0x0028, 0x0010, "US", struct.pack("<H", rows)),
        _data_element(0x0028, 0x0011, "US", struct.pack("<H", columns)),
        _data_element(0x0028, 0x0030, "DS", _decimals(pixel_spacing)),
        _data_element(0x0028, 0x0100, "US", struct.pack("<H", 16)),
        _data_element(0x0028, 0x0101, "US", struct.pack("<H", 16)),
        _data_element(0x0028, 0x0102, "US", struct.pack("<H", 15)),
        _data_element(0x0028, 0x0103, "US", struct.pack("<H", int(signed))),
    ]
    if rescale_intercept is not None:
        elements += [
            _data_element(0x0028, 0x1052, "DS", f"{rescale_intercept:g}"),
            _data_element(0x0028, 0x1053, "DS", "1"),
        ]
    elements.append(_data_element(0x7FE0, 0x0010, "OW", pixels.astype(pixels.dtype.newbyteorder("<")).tobytes()))
    return b"\x00" * 128 + b"DICM" + meta + b"".join(elements)


_NIFTI_DTYPES = {np.dtype(np.uint8): (2, 8), np.dtype(np.int16): (4, 16), np.dtype(np.float32): (16, 32)}


def nifti1_bytes(volume: np.ndarray, voxel_size: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> bytes:
    """A single-file NIfTI-1 image (`.nii`): the 348-byte header, an empty extension block, then
    `volume` (3-D uint8, int16 or float32) in Fortran order, with a diagonal sform/qform."""
    if volume.ndim != 3 or volume.dtype not in _NIFTI_DTYPES:
        raise ValueError("volume must be 3-D uint8, int16 or float32")
    code, bits = _NIFTI_DTYPES[volume.dtype]
    dim = [3, *volume.shape, 1, 1, 1, 1]
    pixdim = [1.0, *voxel_size, 0.0, 0.0, 0.0, 0.0]
    header = bytearray(348)
    struct.pack_into("<i", header, 0, 348)  # sizeof_hdr
    header[38:39] = b"r"  # regular
    struct.pack_into("<8h", header, 40, *dim)
    struct.pack_into("<hhh", header, 70, code, bits, 0)  # datatype, bitpix, slice_start
    struct.pack_into("<8f", header, 76, *pixdim)
    struct.pack_into("<fff", header, 108, 352.0, 1.0, 0.0)  # vox_offset, scl_slope, scl_inter
    header[123] = 2 | 8  # xyzt_units: millimetres, seconds
    header[148:148 + 17] = b"synthetic fixture"  # descrip
    struct.pack_into("<hh", header, 252, 1, 2)  # qform_code scanner, sform_code aligned
    struct.pack_into("<4f", header, 280, voxel_size[0], 0.0, 0.0, 0.0)  # srow_x
    struct.pack_into("<4f", header, 296, 0.0, voxel_size[1], 0.0, 0.0)  # srow_y
    struct.pack_into("<4f", header, 312, 0.0, 0.0, voxel_size[2], 0.0)  # srow_z
    header[344:348] = b"n+1\x00"
    data = np.asarray(volume, dtype=volume.dtype.newbyteorder("<")).tobytes(order="F")
    return bytes(header) + b"\x00\x00\x00\x00" + data
