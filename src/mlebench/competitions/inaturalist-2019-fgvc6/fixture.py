"""Synthetic `inaturalist-2019-fgvc6.zip`: train2019.json / val2019.json (COCO-style `info`, `images`,
`annotations`, `categories`, `licenses`), test2019.json (`info`, `images`, `licenses`),
kaggle_sample_submission.csv (`id`, `predicted`), and the image tarballs train_val2019.tar.gz
(`train_val2019/<kingdom>/<category id>/<md5>.jpg`, train and validation images together) and
test2019.tar.gz (`test2019/<md5>.jpg`). Categories have 1, 2-4 and 5+ training images so every
branch of the per-category split is exercised."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import tar_gz_bytes, write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

KINGDOMS = ["Plants", "Insects", "Birds", "Fungi", "Reptiles", "Amphibians", "Mammals"]
TRAIN_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 1, 3, 16, 9]
N_TEST = 10
INFO = {"year": 2019, "version": "1.0", "description": "iNaturalist 2019 synthetic fixture",
        "contributor": "iNaturalist 2019 Competition", "url": "https://github.com/visipedia/inat_comp",
        "date_created": "2019-03-13 10:00:00"}
LICENSES = [{"url": f"http://creativecommons.org/licenses/by/{i}.0/", "id": i, "name": f"License {i}"} for i in range(1, 4)]


def _image(rng: np.random.Generator, image_id: int, file_name: str) -> dict:
    return {"license": int(rng.integers(1, 4)), "file_name": file_name, "rights_holder": f"user{int(rng.integers(1, 999))}",
            "height": 800, "width": int(rng.choice([533, 600, 800])), "id": image_id}


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    n_cat = len(TRAIN_COUNTS)
    categories = [{"id": c, "name": f"Genus{c} species{c}", "kingdom": KINGDOMS[c % len(KINGDOMS)],
                   "phylum": f"Phylum{c % 3}", "class": f"Class{c % 4}", "order": f"Order{c % 5}",
                   "family": f"Family{c % 6}", "genus": f"Genus{c}"} for c in range(n_cat)]
    # images listed in a shuffled category order, as Kaggle's file is not grouped by category
    train_cats = rng.permutation(np.repeat(np.arange(n_cat), TRAIN_COUNTS)).tolist()
    val_cats = list(range(n_cat))
    names = hex_ids_from_bytes(rng, len(train_cats) + len(val_cats) + N_TEST)
    files: dict[str, bytes] = {}
    split_json = []
    next_id = 0
    for cats, offset in ((train_cats, 0), (val_cats, len(train_cats))):
        images, annotations = [], []
        for k, c in enumerate(cats):
            path = f"train_val2019/{KINGDOMS[c % len(KINGDOMS)]}/{c}/{names[offset + k]}.jpg"
            images.append(_image(rng, next_id, path))
            annotations.append({"image_id": next_id, "id": next_id, "category_id": c})
            files[path] = image_bytes(rng, 8, 6, "JPEG")
            next_id += 1
        split_json.append({"info": INFO, "images": images, "licenses": LICENSES,
                           "annotations": annotations, "categories": categories})
    # tarball members in folder order (train and validation images mixed, as on disk)
    tar_members = dict(sorted(files.items()))
    test_names = names[-N_TEST:]
    test_images = [_image(rng, next_id + k, f"test2019/{n}.jpg") for k, n in enumerate(test_names)]
    test_json = {"info": INFO, "images": test_images, "licenses": LICENSES}
    test_tar = {f"test2019/{n}.jpg": image_bytes(rng, 8, 6, "JPEG") for n in test_names}
    sample = pd.DataFrame({"id": [im["id"] for im in test_images], "predicted": 0})
    return write_zip(out_dir / "inaturalist-2019-fgvc6.zip", {
        "kaggle_sample_submission.csv": sample,
        "test2019.json": json.dumps(test_json),
        "test2019.tar.gz": tar_gz_bytes(test_tar),
        "train2019.json": json.dumps(split_json[0]),
        "train_val2019.tar.gz": tar_gz_bytes(tar_members),
        "val2019.json": json.dumps(split_json[1]),
    })
