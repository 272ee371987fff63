"""Synthetic `herbarium-2021-fgvc8.zip`: `train/metadata.json` (annotations, categories, images,
info, licenses, institutions; integer image ids), `train/images/<ccc>/<cc>/<id>.jpg`,
`test/metadata.json` (images, info, licenses), `test/images/<iii>/<id>.jpg` and
`sample_submission.csv` (Id, Predicted). Images are 8x8 JPEGs. Category sizes cover each branch
of the split: one specimen, two to four, and five or more."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import random_names
from mlebench.competitions._kit.media import image_bytes

SIZES = [1, 2, 3, 4, 5, 6, 7, 9, 12, 1, 8, 5]
N_INSTITUTIONS, N_TEST = 3, 10
INFO = {"year": 2021, "version": "1", "description": "Herbarium 2021 (synthetic)",
        "contributor": "mlebench", "url": "", "date_created": "2021-02-01"}
LICENSES = [{"id": 0, "name": "Public Domain Dedication",
             "url": "http://creativecommons.org/publicdomain/zero/1.0/"}]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    categories = sorted(int(c) for c in rng.choice(64500, len(SIZES), replace=False))
    ids = rng.choice(2_000_000, sum(SIZES) + N_TEST, replace=False)
    files: dict = {}
    annotations, images = [], []
    n = 0
    for c, size in zip(categories, SIZES, strict=False):
        for _ in range(size):
            image_id = int(ids[n])
            file_name = f"images/{c // 100:03d}/{c % 100:02d}/{image_id}.jpg"
            annotations.append({"category_id": c, "id": image_id, "image_id": image_id,
                                "institution_id": int(rng.integers(N_INSTITUTIONS))})
            images.append({"file_name": file_name, "height": 1000, "id": image_id, "license": 0,
                           "width": 681})
            files[f"train/{file_name}"] = image_bytes(rng, (8, 8), "JPEG")
            n += 1
    names = random_names(rng, len(SIZES))
    train = {
        "annotations": annotations,
        "categories": [{"family": "Fabaceae", "id": c, "name": name, "order": "Fabales"}
                       for c, name in zip(categories, names, strict=False)],
        "images": images,
        "info": INFO,
        "licenses": LICENSES,
        "institutions": [{"id": i, "name": f"Herbarium {i}"} for i in range(N_INSTITUTIONS)],
    }
    test_images = []
    for i in ids[n:]:
        file_name = f"images/{int(i) // 10000:03d}/{int(i)}.jpg"
        test_images.append({"file_name": file_name, "height": 1000, "id": int(i), "license": 0,
                            "width": 681})
        files[f"test/{file_name}"] = image_bytes(rng, (8, 8), "JPEG")
    files["sample_submission.csv"] = pd.DataFrame({"Id": [int(i) for i in ids[n:]], "Predicted": 0})
    files["test/metadata.json"] = json.dumps({"images": test_images, "info": INFO, "licenses": LICENSES})
    files["train/metadata.json"] = json.dumps(train)
    return write_zip(out_dir / "herbarium-2021-fgvc8.zip", files)
