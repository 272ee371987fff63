"""Small generated images for the image-competition fixtures (PNG/JPEG via pillow, seeded)."""

from __future__ import annotations

import calendar
import io
import zipfile

import numpy as np
import pandas as pd
import py7zr
from PIL import Image
from py7zr.helpers import ArchiveTimestamp

from mlebench.competitions._fixture_utils import to_bytes


def image_bytes(
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


FIXED_TIME = (2019, 1, 1, 0, 0, 0)  # archive member timestamps, so that fixtures are byte-stable


def stable_zip_bytes(files: dict[str, bytes | str | pd.DataFrame]) -> bytes:
    """Like `_fixture_utils.zip_bytes`, with fixed member timestamps (an inner zip is then
    byte-identical from run to run, and so is the outer zip's member holding it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, to_bytes(content))
    return buf.getvalue()


def stable_7z_bytes(files: dict[str, bytes], store: bool = False) -> bytes:
    """A .7z of `{archive name: bytes}` with fixed member timestamps, so that the fixture is
    byte-stable; `store` keeps the members uncompressed (fast to write and read)."""
    fixed = ArchiveTimestamp.from_datetime(calendar.timegm(FIXED_TIME + (0, 0, 0)))
    buf = io.BytesIO()
    filters = [{"id": py7zr.FILTER_COPY}] if store else None
    archive = py7zr.SevenZipFile(buf, "w", filters=filters)
    try:
        for name, data in files.items():
            archive.writestr(data, name)
        # py7zr stamps writestr members with the current time; pin them (best effort: internal).
        for info in getattr(getattr(archive.header, "files_info", None), "files", []):
            for key in ("creationtime", "lastwritetime", "lastaccesstime"):
                if key in info:
                    info[key] = fixed
    finally:
        archive.close()
    return buf.getvalue()
