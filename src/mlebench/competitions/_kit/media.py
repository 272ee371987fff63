"""Media helpers for the synthetic fixtures of the audio/image competitions (mlsp-2013-birds,
the-icml-2013-whale-challenge-right-whale-redux, siim-isic-melanoma-classification): tiny seeded
WAV, AIFF, BMP, JPEG and DICOM files in the formats Kaggle ships, written without extra packages."""

from __future__ import annotations

import io
import math
import struct
import wave

import numpy as np
from PIL import Image


def tone(rng: np.random.Generator, n_samples: int, amplitude: float = 8000.0) -> np.ndarray:
    """A noisy sine as 16-bit PCM samples."""
    t = np.arange(n_samples)
    freq = float(rng.uniform(0.01, 0.2))
    sig = amplitude * np.sin(2 * np.pi * freq * t) + rng.normal(0, amplitude / 10, n_samples)
    return np.clip(sig, -32768, 32767).astype(np.int16)


def wav_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    """Mono 16-bit little-endian PCM WAV."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def _extended80(value: float) -> bytes:
    """IEEE 754 80-bit extended float (big-endian), as AIFF stores the sample rate."""
    if value == 0:
        return b"\x00" * 10
    mantissa, exponent = math.frexp(value)  # value = mantissa * 2**exponent, 0.5 <= mantissa < 1
    biased = exponent - 1 + 16383
    hi = int(mantissa * (1 << 64))  # explicit integer bit in bit 63
    return struct.pack(">HQ", biased, hi)


def aiff_bytes(samples: np.ndarray, rate: int = 2000) -> bytes:
    """Mono 16-bit big-endian PCM AIFF (FORM/AIFF with COMM and SSND chunks)."""
    data = samples.astype(">i2").tobytes()
    comm = struct.pack(">hLh", 1, len(samples), 16) + _extended80(float(rate))
    ssnd = struct.pack(">LL", 0, 0) + data
    chunks = b"COMM" + struct.pack(">L", len(comm)) + comm
    chunks += b"SSND" + struct.pack(">L", len(ssnd)) + ssnd
    return b"FORM" + struct.pack(">L", 4 + len(chunks)) + b"AIFF" + chunks


def image_bytes(rng: np.random.Generator, size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    """A small random image encoded as `fmt` ("BMP", "JPEG", "PNG")."""
    w, h = size
    shape = (h, w, 3) if mode == "RGB" else (h, w)
    img = Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode=mode)
    buf = io.BytesIO()
    img.save(buf, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buf.getvalue()


# --- DICOM ------------------------------------------------------------------------------------
_EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"


_SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


def _pad(value: bytes, vr: str) -> bytes:
    if len(value) % 2:
        value += b"\x00" if vr == "UI" else (b"\x00" if vr in ("OB", "OW") else b" ")
    return value


def _element(group: int, elem: int, vr: str, value: bytes) -> bytes:
    value = _pad(value, vr)
    head = struct.pack("<HH", group, elem) + vr.encode()
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return head + b"\x00\x00" + struct.pack("<L", len(value)) + value
    return head + struct.pack("<H", len(value)) + value


def dicom_bytes(
    rng: np.random.Generator, sop_uid: str, patient_id: str, size: tuple[int, int] = (8, 8),
    sex: str = "", age: str = "",
) -> bytes:
    """A minimal Part-10 DICOM file (explicit VR little endian, 8-bit RGB secondary capture)."""
    w, h = size
    meta_body = b"".join([
        _element(0x0002, 0x0001, "OB", b"\x00\x01"),
        _element(0x0002, 0x0002, "UI", _SECONDARY_CAPTURE.encode()),
        _element(0x0002, 0x0003, "UI", sop_uid.encode()),
        _element(0x0002, 0x0010, "UI", _EXPLICIT_VR_LE.encode()),
        _element(0x0002, 0x0012, "UI", b"1.2.826.0.1.3680043.9.0.1"),
    ])
    meta = _element(0x0002, 0x0000, "UL", struct.pack("<L", len(meta_body))) + meta_body
    pixels = rng.integers(0, 256, (h, w, 3), dtype=np.uint8).tobytes()
    dataset = b"".join([
        _element(0x0008, 0x0016, "UI", _SECONDARY_CAPTURE.encode()),
        _element(0x0008, 0x0018, "UI", sop_uid.encode()),
        _element(0x0008, 0x0060, "CS", b"OT"),
        _element(0x0010, 0x0020, "LO", patient_id.encode()),
        _element(0x0010, 0x0040, "CS", sex.encode()),
        _element(0x0010, 0x1010, "AS", age.encode()),
        _element(0x0028, 0x0002, "US", struct.pack("<H", 3)),
        _element(0x0028, 0x0004, "CS", b"RGB"),
        _element(0x0028, 0x0006, "US", struct.pack("<H", 0)),
        _element(0x0028, 0x0010, "US", struct.pack("<H", h)),
        _element(0x0028, 0x0011, "US", struct.pack("<H", w)),
        _element(0x0028, 0x0100, "US", struct.pack("<H", 8)),
        _element(0x0028, 0x0101, "US", struct.pack("<H", 8)),
        _element(0x0028, 0x0102, "US", struct.pack("<H", 7)),
        _element(0x0028, 0x0103, "US", struct.pack("<H", 0)),
        _element(0x7FE0, 0x0010, "OB", pixels),
    ])
    return b"\x00" * 128 + b"DICM" + meta + dataset
