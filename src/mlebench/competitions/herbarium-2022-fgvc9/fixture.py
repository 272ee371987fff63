"""Synthetic `herbarium-2022-fgvc9.zip`: `train_metadata.json` (COCO-like: annotations, categories,
genera, distances, images, institutions, licenses), `test_metadata.json` (a list of images),
`sample_submission.csv` (Id, Predicted), `train_images/<ccc>/<cc>/<ccccc>__<nnn>.jpg` and
`test_images/<iii>/test-<iiiiii>.jpg`. Images are 8x8 JPEGs; a dozen sparse category ids in
Kaggle's range 0..15504, each with 2 to 9 specimens (every category reaches the test split)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import random_names
from mlebench.competitions._kit.media import image_bytes

N_CATEGORIES, N_GENERA, N_INSTITUTIONS, N_TEST = 12, 5, 3, 10


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    categories = sorted(int(c) for c in rng.choice(15505, N_CATEGORIES, replace=False))
    genus_names = [n.split()[0] for n in random_names(rng, N_GENERA)]
    genus_of = {c: int(rng.integers(N_GENERA)) for c in categories}
    files: dict = {}
    annotations, images = [], []
    for c in categories:
        for k in range(1, int(rng.integers(2, 10)) + 1):
            image_id = f"{c:05d}__{k:03d}"
            file_name = f"{c // 100:03d}/{c % 100:02d}/{image_id}.jpg"
            annotations.append(
                {
                    "genus_id": genus_of[c] + 1,
                    "institution_id": int(rng.integers(N_INSTITUTIONS)),
                    "category_id": c,
                    "image_id": image_id,
                }
            )
            images.append({"image_id": image_id, "file_name": file_name, "license": 0})
            files[f"train_images/{file_name}"] = image_bytes(rng, (8, 8), "JPEG")
    species = random_names(rng, N_CATEGORIES)
    metadata = {
        "annotations": annotations,
        "categories": [
            {
                "category_id": c,
                "scientificName": f"{genus_names[genus_of[c]]} {s.split()[1].lower()}",
                "family": "Asteraceae",
                "genus": genus_names[genus_of[c]],
                "species": s.split()[1].lower(),
                "authors": "L.",
            }
            for c, s in zip(categories, species, strict=False)
        ],
        "genera": [{"genus_id": g + 1, "genus": name} for g, name in enumerate(genus_names)],
        "distances": [
            {"genus_id_x": a + 1, "genus_id_y": b + 1, "distance": round(float(rng.random()), 6)}
            for a in range(N_GENERA)
            for b in range(a + 1, N_GENERA)
        ],
        "images": images,
        "institutions": [
            {"institution_id": i, "collectionCode": f"HERB{i}"} for i in range(N_INSTITUTIONS)
        ],
        "licenses": [
            {
                "id": 0,
                "name": "Public Domain Dedication",
                "url": "http://creativecommons.org/publicdomain/zero/1.0/",
            }
        ],
    }
    test = [
        {"image_id": str(i), "file_name": f"{i // 1000:03d}/test-{i:06d}.jpg", "license": 0}
        for i in range(N_TEST)
    ]
    for t in test:
        files[f"test_images/{t['file_name']}"] = image_bytes(rng, (8, 8), "JPEG")
    files["sample_submission.csv"] = pd.DataFrame({"Id": range(N_TEST), "Predicted": 42})
    files["test_metadata.json"] = json.dumps(test)
    files["train_metadata.json"] = json.dumps(metadata)
    return write_zip(out_dir / "herbarium-2022-fgvc9.zip", files)
