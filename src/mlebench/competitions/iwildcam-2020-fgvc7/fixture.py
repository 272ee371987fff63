"""Synthetic `iwildcam-2020-fgvc7.zip`: iwildcam2020_train_annotations.json (`annotations` with
count/image_id/id/category_id, `images` with seq_num_frames/location/datetime/id/frame_num/seq_id/
width/height/file_name, `categories` with count/id/name, `info`), iwildcam2020_test_information.json
(`images`, `categories`, `info`), iwildcam2020_megadetector_results.json, sample_submission.csv
(`Id`, `Category`), train/<uuid>.jpg and test/<uuid>.jpg. Image ids are UUID-like strings; camera
locations are ints; category ids lie in 0..675 as on Kaggle."""

import json
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST, N_LOCATIONS = 260, 8, 24
INFO = {"version": "1.0", "description": "Synthetic camera-trap images", "year": 2020,
        "contributor": "synthetic", "date_created": "2020-02-05"}


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=bytes(rng.integers(0, 256, 16, dtype=np.uint8)), version=1))


def _images(rng: np.random.Generator, n: int, locations: np.ndarray) -> list[dict]:
    out = []
    for _ in range(n):
        image_id = _uuid(rng)
        stamp = pd.Timestamp(int(rng.integers(1_300_000_000, 1_580_000_000)), unit="s")
        frames = int(rng.integers(1, 11))
        out.append({"seq_num_frames": frames, "location": int(rng.choice(locations)),
                    "datetime": stamp.strftime("%Y-%m-%d %H:%M:%S.000"), "id": image_id,
                    "frame_num": int(rng.integers(1, frames + 1)), "seq_id": _uuid(rng),
                    "width": 1920, "height": 1080, "file_name": f"{image_id}.jpg"})
    return out


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    cat_ids = sorted(rng.choice(np.arange(1, 676), 19, replace=False).tolist()) + [0]
    cat_ids = sorted(cat_ids)
    names = ["empty" if c == 0 else f"species_{c}" for c in cat_ids]
    locations = rng.choice(np.arange(0, 552), N_LOCATIONS, replace=False)
    train_images = _images(rng, N_TRAIN, locations)
    test_images = _images(rng, N_TEST, rng.choice(np.arange(0, 552), 3, replace=False))
    p = np.r_[6.0, np.ones(len(cat_ids) - 1)]
    labels = rng.choice(cat_ids, N_TRAIN, p=p / p.sum()).tolist()
    annotations = [{"count": 0 if c == 0 else int(rng.integers(1, 4)), "image_id": im["id"], "id": _uuid(rng),
                    "category_id": c} for im, c in zip(train_images, labels, strict=True)]
    counts = pd.Series(labels).value_counts()
    categories = [{"count": int(counts.get(c, 0)), "id": c, "name": n} for c, n in zip(cat_ids, names, strict=True)]
    train_json = {"annotations": annotations, "images": train_images, "categories": categories, "info": INFO}
    test_json = {"images": test_images, "categories": [{"id": c, "name": n} for c, n in zip(cat_ids, names, strict=True)],
                 "info": INFO}
    detections = {"info": {"detector": "megadetector_v3", "detection_completion_time": "2020-01-10 07:59:44"},
                  "detection_categories": {"1": "animal", "2": "person"},
                  "images": [{"id": im["id"], "max_detection_conf": 0.9,
                              "detections": [{"category": "1", "bbox": [0.1, 0.2, 0.3, 0.25], "conf": 0.9}]}
                             for im in train_images + test_images]}
    files: dict = {
        "iwildcam2020_megadetector_results.json": json.dumps(detections),
        "iwildcam2020_test_information.json": json.dumps(test_json),
        "iwildcam2020_train_annotations.json": json.dumps(train_json),
        "sample_submission.csv": pd.DataFrame({"Id": [im["id"] for im in test_images], "Category": 0}),
    }
    for im in test_images:
        files[f"test/{im['file_name']}"] = image_bytes(rng, 16, 9, "JPEG")
    for im in train_images:
        files[f"train/{im['file_name']}"] = image_bytes(rng, 16, 9, "JPEG")
    return write_zip(out_dir / "iwildcam-2020-fgvc7.zip", files)
