"""Synthetic `vesuvius-challenge-ink-detection.zip`, laid out like Kaggle's: training fragments
`train/1`, `train/2`, `train/3`, each with `surface_volume/00.tif` .. `64.tif` (65 16-bit grayscale
TIFF slices), `mask.png` (1-bit, where the papyrus is), `inklabels.png` (1-bit ink labels),
`ir.png` (8-bit infrared photo) and `inklabels_rle.csv` (`Id,Predicted`: the fragment number and
the ink labels run-length encoded row by row); test fragments `test/a`, `test/b` with the
surface volume and `mask.png` only; and `sample_submission.csv` (`Id,Predicted`). Fragments are a
few dozen pixels a side (Kaggle's are thousands), each of a different, non-square size."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.stable_math import cos_sin
from mlebench.metrics.rle import rle_encode

SLICES = 65
# (height, width) of each fragment; Kaggle's train fragments are 8181 x 6330, 14830 x 9506 and
# 7606 x 5249 pixels.
SIZES = {"train/1": (22, 18), "train/2": (28, 20), "train/3": (20, 14),
         "test/a": (14, 12), "test/b": (12, 16)}


def _png(pixels: np.ndarray, mode: str) -> bytes:
    buf = io.BytesIO()
    image = Image.fromarray(pixels.astype(np.uint8) * (255 if mode == "1" else 1), mode="L")
    (image.convert("1") if mode == "1" else image).save(buf, format="PNG")
    return buf.getvalue()


def _tif(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint16), mode="I;16").save(buf, format="TIFF")
    return buf.getvalue()


def _fragment(rng: np.random.Generator, height: int, width: int, labelled: bool) -> dict:
    yy, xx = np.mgrid[0:height, 0:width]
    # The papyrus: an ellipse that keeps clear of the image border.
    papyrus = ((yy - height / 2) / (height / 2 - 1)) ** 2 + ((xx - width / 2) / (width / 2 - 1)) ** 2 < 1
    files = {"mask.png": _png(papyrus, "1")}
    base = rng.normal(20000, 3000, (height, width))
    for z in range(SLICES):
        volume = np.where(papyrus, base + 400 * cos_sin(z / 9)[1] + rng.normal(0, 800, base.shape), 0)
        files[f"surface_volume/{z:02d}.tif"] = _tif(np.clip(volume, 0, 65535))
    if labelled:
        ink = np.zeros((height, width), dtype=bool)
        for _ in range(int(rng.integers(2, 5))):  # a few letter strokes
            r, c = int(rng.integers(2, height - 3)), int(rng.integers(2, width - 5))
            if rng.random() < 0.5:
                ink[r, c:c + int(rng.integers(2, 5))] = True
            else:
                ink[r:r + int(rng.integers(2, 4)), c] = True
        ink &= papyrus
        files["inklabels.png"] = _png(ink, "1")
        files["ir.png"] = _png(np.where(ink, rng.integers(20, 60, ink.shape),
                                        rng.integers(120, 220, ink.shape)), "L")
        # Row by row (pixel 2 is the right neighbour of pixel 1): the transpose, column-major.
        files["inklabels_rle.csv"] = f"Id,Predicted\n{{id}},{rle_encode(ink.T)}\n"
    return files


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    files: dict[str, bytes | str | pd.DataFrame] = {
        "sample_submission.csv": pd.DataFrame({"Id": ["a", "b"], "Predicted": "1 1 5 1"}),
    }
    for folder, (height, width) in SIZES.items():
        fragment = _fragment(rng, height, width, labelled=folder.startswith("train"))
        for name, content in sorted(fragment.items()):
            if name == "inklabels_rle.csv":
                content = content.replace("{id}", folder.split("/")[1])
            files[f"{folder}/{name}"] = content
    return write_zip(out_dir / "vesuvius-challenge-ink-detection.zip", files)
