"""Helpers for the synthetic fixtures of seti-breakthrough-listen, tensorflow-speech-recognition-
challenge, tgs-salt-identification-challenge, alaska2-image-steganalysis and the herbarium
competitions: small `.npy` cadences and run-length masks."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def npy_bytes(array: np.ndarray) -> bytes:
    """`array` saved in NumPy's `.npy` format."""
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def rle_encode(mask: np.ndarray) -> str:
    """Kaggle's run-length encoding of a binary mask: column-major, 1-indexed `start length` pairs
    ("" when empty)."""
    pixels = np.concatenate([[0], mask.T.flatten().astype(np.int8), [0]])
    runs = np.flatnonzero(pixels[1:] != pixels[:-1]) + 1
    runs[1::2] -= runs[0::2]
    return " ".join(str(x) for x in runs)


def png_bytes(pixels: np.ndarray) -> bytes:
    """An 8-bit grayscale PNG of a 2-D uint8 array."""
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), mode="L").save(buf, format="PNG")
    return buf.getvalue()


def tagged_jpeg(base: bytes, tag: str) -> bytes:
    """`base` (a JPEG) with a comment segment holding `tag` right after its start marker: a
    distinct, still valid JPEG for each tag, far cheaper than encoding thousands of images."""
    text = tag.encode()
    return base[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + base[2:]
