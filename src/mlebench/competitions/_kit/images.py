"""Small seeded images for synthetic downloads (PNG, JPEG, TIFF via pillow)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image


def tinted_image_bytes(
    rng: np.random.Generator, width: int, height: int, fmt: str = "PNG", mode: str = "RGB"
) -> bytes:
    """A noisy `width`x`height` image encoded as `fmt` ("PNG" or "JPEG"); `mode` "RGB" or "L"."""
    shape = (height, width, 3) if mode == "RGB" else (height, width)
    base = rng.integers(0, 256, size=3 if mode == "RGB" else 1, dtype=np.int64)
    noise = rng.integers(-40, 41, size=shape, dtype=np.int64)
    pixels = np.clip(base + noise if mode == "RGB" else base[0] + noise, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels, mode=mode).save(buf, format=fmt)
    return buf.getvalue()


def image_bytes(rng: np.random.Generator, width: int, height: int, fmt: str, mode: str = "RGB") -> bytes:
    """A noisy `width`x`height` image encoded as `fmt` ("JPEG", "PNG" or "TIFF")."""
    shape = (height, width, 3) if mode == "RGB" else (height, width)
    pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels, mode=mode).save(buf, format=fmt)
    return buf.getvalue()


def jpeg_bytes(rng: np.random.Generator, width: int, height: int) -> bytes:
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buf, format="JPEG", quality=80)
    return buf.getvalue()


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
