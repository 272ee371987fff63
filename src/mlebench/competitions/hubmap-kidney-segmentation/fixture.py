"""Synthetic `hubmap-kidney-segmentation.zip`: 15 training images (the reference splits exactly 15
into 12 + 3) and 5 test images as tiny RGB TIFFs, each with its anatomical-structure GeoJSON; the
training images also have their glomerulus GeoJSON, whose polygons are the masks run-length
encoded in train.csv (column-major, 1-indexed, as Kaggle's). Plus HuBMAP-20-dataset_information.csv
for all 20 images and sample_submission.csv for the test images."""

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.stable_math import cos_sin
from mlebench.metrics.rle import rle_encode

N_TRAIN, N_TEST = 15, 5


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < n:
        candidate = "".join(rng.choice(list("0123456789abcdef"), 9))
        # Kaggle's ids are 9 hex digits; keep a letter other than "e" so none reads as a number.
        if any(c in "abcdf" for c in candidate) and candidate not in ids:
            ids.append(candidate)
    return ids


def _polygon(cx: float, cy: float, r: float) -> list[list[int]]:
    turns = [cos_sin(a) for a in np.linspace(0, 2 * np.pi, 9)]
    return [[int(round(cx + r * c)), int(round(cy + r * s))] for c, s in turns]


def _feature(name: str, color: int, ring: list[list[int]]) -> dict:
    return {
        "type": "Feature",
        "id": "PathAnnotationObject",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"classification": {"name": name, "colorRGB": color}, "isLocked": False,
                       "measurements": []},
    }


def _image(rng: np.random.Generator, width: int, height: int) -> tuple[bytes, np.ndarray, bytes, bytes]:
    """(tiff bytes, glomerulus mask, glomerulus json, anatomical-structure json)."""
    pixels = rng.integers(150, 255, (height, width, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:height, 0:width]
    mask = np.zeros((height, width), dtype=bool)
    glomeruli = []
    for _ in range(int(rng.integers(1, 4))):
        cx, cy = rng.uniform(3, width - 3), rng.uniform(3, height - 3)
        r = rng.uniform(1.5, 3.5)
        mask |= (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
        glomeruli.append(_feature("glomerulus", -3140401, _polygon(cx, cy, r)))
    pixels[mask] = [200, 60, 120]
    buf = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buf, format="TIFF")
    cortex = [[0, 0], [width - 1, 0], [width - 1, height // 2], [0, height // 2], [0, 0]]
    medulla = [[0, height // 2], [width - 1, height // 2], [width - 1, height - 1],
               [0, height - 1], [0, height // 2]]
    anatomy = [_feature("Cortex", -9408287, cortex), _feature("Medulla", -9408287, medulla)]
    return (buf.getvalue(), mask, json.dumps(glomeruli, indent=2).encode(),
            json.dumps(anatomy, indent=2).encode())


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = _ids(rng, N_TRAIN + N_TEST)
    files: dict[str, bytes | str | pd.DataFrame] = {}
    encodings, info_rows = [], []
    for n, image_id in enumerate(ids):
        width, height = int(rng.integers(16, 33)), int(rng.integers(16, 33))
        tiff, mask, glomeruli, anatomy = _image(rng, width, height)
        folder = "train" if n < N_TRAIN else "test"
        files[f"{folder}/{image_id}.tiff"] = tiff
        files[f"{folder}/{image_id}-anatomical-structure.json"] = anatomy
        if folder == "train":
            files[f"{folder}/{image_id}.json"] = glomeruli
            encodings.append(rle_encode(mask))
        weight = float(round(rng.uniform(50, 120), 1))
        stature = float(round(rng.uniform(150, 195), 1))
        cortex = int(rng.integers(40, 90))
        info_rows.append({
            "image_file": f"{image_id}.tiff",
            "width_pixels": width,
            "height_pixels": height,
            "anatomical_structures_segmention_file": f"{image_id}-anatomical-structure.json",
            "glomerulus_segmentation_file": f"{image_id}.json",
            "patient_number": int(rng.integers(60000, 70000)),
            "race": rng.choice(["White", "Black or African American"]),
            "ethnicity": "Not Hispanic or Latino",
            "sex": rng.choice(["Male", "Female"]),
            "age": int(rng.integers(30, 80)),
            "weight_kilograms": weight,
            "height_centimeters": stature,
            "bmi_kg/m^2": round(weight / (stature / 100) ** 2, 1),
            "laterality": rng.choice(["Left", "Right"]),
            "percent_cortex": cortex,
            "percent_medulla": 100 - cortex,
        })
    train = pd.DataFrame({"id": ids[:N_TRAIN], "encoding": encodings})
    sample = pd.DataFrame({"id": ids[N_TRAIN:], "predicted": ""})
    # Info rows are listed in a shuffled order, not grouped by split.
    info = pd.DataFrame(info_rows).iloc[rng.permutation(len(info_rows))]
    ordered = {"train.csv": train, "HuBMAP-20-dataset_information.csv": info,
               "sample_submission.csv": sample}
    ordered.update(dict(sorted(files.items())))
    return write_zip(out_dir / "hubmap-kidney-segmentation.zip", ordered)
