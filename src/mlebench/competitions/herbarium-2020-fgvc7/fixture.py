"""Synthetic `herbarium-2020-fgvc7.zip` with Kaggle's layout: nybg2020/train/metadata.json
(COCO-style `annotations`, `categories`, `images`, `info`, `licenses`, `regions`; written as UTF-8
with some non-ASCII names, which the preparer reads as latin-1 like the reference),
nybg2020/train/images/<cat // 100:03d>/<cat % 100:02d>/<image id>.jpg, nybg2020/test/metadata.json
(`images`, `info`, `licenses`), nybg2020/test/images/<idx // 1000:03d>/<idx>.jpg and
sample_submission.csv (`Id`, `Predicted`). Categories have 1 to 12 images so that every branch of
the per-category split (1, 2-4, 5+ images) is exercised."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import random_names
from mlebench.competitions._kit.images import image_bytes

N_CATEGORIES, N_TEST = 30, 6
FAMILIES = ["Orchidaceae", "Asteraceae", "Fabaceae", "Poaceae", "Rosaceae", "Boraginaceae"]
INFO = {"contributor": "Synthetic herbarium", "date_created": "2020-02-20", "description": "Synthetic fixture",
        "url": "https://example.org", "version": "1.0", "year": 2020}
LICENSES = [{"id": 0, "name": "Public Domain Dedication", "url": "http://creativecommons.org/publicdomain/zero/1.0/"}]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    cat_ids = sorted(rng.choice(np.arange(32093), N_CATEGORIES, replace=False).tolist())
    names = random_names(rng, N_CATEGORIES)
    categories = [
        {"family": str(rng.choice(FAMILIES)), "genus": n.split()[0],
         "id": c, "name": n + (" × Müll." if i % 4 == 0 else " L.")}
        for i, (c, n) in enumerate(zip(cat_ids, names, strict=True))
    ]
    counts = rng.integers(1, 13, N_CATEGORIES)
    counts[:3] = [1, 2, 4]
    labels = rng.permutation(np.repeat(cat_ids, counts))
    image_ids = rng.choice(np.arange(1_000, 1_200_000), len(labels), replace=False).tolist()
    images, annotations, files = [], [], {}
    for image_id, cat in zip(image_ids, labels.tolist(), strict=True):
        file_name = f"images/{cat // 100:03d}/{cat % 100:02d}/{image_id}.jpg"
        height, width = 1000, int(rng.integers(600, 800))
        images.append({"file_name": file_name, "height": height, "id": image_id, "license": 0, "width": width})
        annotations.append({"category_id": cat, "id": image_id, "image_id": image_id, "region_id": int(rng.integers(0, 5))})
        files[f"nybg2020/train/{file_name}"] = image_bytes(rng, 8, 12, "JPEG")
    regions = [{"id": i, "name": n} for i, n in enumerate(["Africa", "Asia", "Europe", "North America", "Oceania"])]
    train_meta = {"annotations": annotations, "categories": categories, "images": images,
                  "info": INFO, "licenses": LICENSES, "regions": regions}
    test_images = [{"file_name": f"images/000/{i}.jpg", "height": 1000, "id": i, "license": 0, "width": 700}
                   for i in range(N_TEST)]
    test_meta = {"images": test_images, "info": INFO, "licenses": LICENSES}
    files["nybg2020/train/metadata.json"] = json.dumps(train_meta, ensure_ascii=False)
    files["nybg2020/test/metadata.json"] = json.dumps(test_meta, ensure_ascii=False)
    for i in range(N_TEST):
        files[f"nybg2020/test/images/000/{i}.jpg"] = image_bytes(rng, 8, 12, "JPEG")
    files["sample_submission.csv"] = pd.DataFrame({"Id": range(N_TEST), "Predicted": 0})
    return write_zip(out_dir / "herbarium-2020-fgvc7.zip", dict(sorted(files.items())))
