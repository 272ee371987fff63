"""Synthetic `uw-madison-gi-tract-image-segmentation.zip`: train.csv (`id` =
`case<c>_day<d>_slice_<nnnn>`, `class` in large_bowel / small_bowel / stomach, `segmentation` as a
column-major 1-indexed run-length mask or empty), an empty sample_submission.csv and
train/case<c>/case<c>_day<d>/scans/slice_<nnnn>_<width>_<height>_<dx>_<dy>.png as tiny 16-bit
grayscale PNGs. Twelve cases with one to six scan days each, so that the split's rule moving days
after the fourth to the test set is exercised."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import write_zip
from mlebench.metrics.rle import rle_encode

CLASSES = ["large_bowel", "small_bowel", "stomach"]
N_CASES = 12
# (width, height, pixel spacing) of the scans; Kaggle's are e.g. 266x266 at 1.50 mm or 360x310.
SHAPES = [(12, 12, "1.50"), (10, 10, "1.63"), (14, 11, "1.50")]


def _png(rng: np.random.Generator, width: int, height: int) -> bytes:
    pixels = rng.integers(0, 12000, (height, width)).astype(np.uint16)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return buf.getvalue()


def _blob(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    cx, cy = rng.uniform(2, width - 2), rng.uniform(2, height - 2)
    rx, ry = rng.uniform(1, 3.5), rng.uniform(1, 3.5)
    return ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    case_numbers = rng.choice(np.arange(2, 160), N_CASES, replace=False)
    rows, images = [], {}
    for case_number in case_numbers:
        case = f"case{case_number}"
        width, height, spacing = SHAPES[int(rng.integers(len(SHAPES)))]
        n_days = int(rng.integers(1, 7))
        day_numbers = sorted(rng.choice(np.arange(0, 40), n_days, replace=False).tolist())
        # Kaggle lists a case's days in no particular (string-like) order.
        for day_number in rng.permutation(day_numbers):
            day = f"day{day_number}"
            for slice_number in range(1, int(rng.integers(4, 7)) + 1):
                slice_id = f"{slice_number:04d}"
                name = f"slice_{slice_id}_{width}_{height}_{spacing}_{spacing}.png"
                images[f"train/{case}/{case}_{day}/scans/{name}"] = _png(rng, width, height)
                for organ in CLASSES:
                    mask = _blob(rng, width, height) if rng.random() < 0.4 else None
                    rows.append({
                        "id": f"{case}_{day}_slice_{slice_id}",
                        "class": organ,
                        "segmentation": rle_encode(mask) if mask is not None else np.nan,
                    })
    train = pd.DataFrame(rows)
    sample = pd.DataFrame(columns=["id", "class", "predicted"])
    files: dict[str, bytes | pd.DataFrame] = {"sample_submission.csv": sample, "train.csv": train}
    files.update(sorted(images.items()))
    return write_zip(out_dir / "uw-madison-gi-tract-image-segmentation.zip", files)
