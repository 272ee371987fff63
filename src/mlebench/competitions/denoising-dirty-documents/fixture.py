"""Synthetic `denoising-dirty-documents.zip`, which (like Kaggle's) holds four inner zips:
`train.zip` (`train/<n>.png` noisy scans), `train_cleaned.zip` (`train_cleaned/<n>.png` clean
targets), `test.zip` (`test/<n>.png`) and `sampleSubmission.csv.zip` (one `<n>_<row>_<col>,value`
line per test pixel). Grayscale PNGs in two page heights, like Kaggle's 258- and 420-row pages."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import stable_zip_bytes, write_zip

N_TRAIN, N_TEST = 20, 6
WIDTH, HEIGHTS = 16, (8, 12)


def _png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), mode="L").save(buf, format="PNG")
    return buf.getvalue()


def _page(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, clean) pixel arrays: dark 'text' strokes on white, plus stains in the noisy one."""
    height = int(rng.choice(HEIGHTS))
    clean = np.full((height, WIDTH), 255, dtype=np.int64)
    text = rng.random((height, WIDTH)) < 0.15
    clean[text] = rng.integers(0, 80, size=int(text.sum()))
    noisy = np.clip(clean - rng.integers(0, 90, size=clean.shape), 0, 255)
    return noisy, clean


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    numbers = rng.choice(np.arange(1, 217), size=N_TRAIN + N_TEST, replace=False)
    train_files, cleaned_files, test_files = {}, {}, {}
    sample_parts = []
    for i, n in enumerate(numbers):
        noisy, clean = _page(rng)
        if i < N_TRAIN:
            train_files[f"train/{n}.png"] = _png(noisy)
            cleaned_files[f"train_cleaned/{n}.png"] = _png(clean)
        else:
            test_files[f"test/{n}.png"] = _png(noisy)
            rows, cols = np.indices(noisy.shape)
            ids = [f"{n}_{r}_{c}" for r, c in zip(rows.ravel() + 1, cols.ravel() + 1, strict=True)]
            sample_parts.append(pd.DataFrame({"id": ids, "value": 1}))
    sample = pd.concat(sample_parts, ignore_index=True)
    return write_zip(out_dir / "denoising-dirty-documents.zip", {
        "train.zip": stable_zip_bytes(train_files),
        "train_cleaned.zip": stable_zip_bytes(cleaned_files),
        "test.zip": stable_zip_bytes(test_files),
        "sampleSubmission.csv.zip": stable_zip_bytes({"sampleSubmission.csv": sample}),
    })
