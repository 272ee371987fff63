"""Synthetic `cdiscount-image-classification-challenge.zip`: train.bson (products `{_id, imgs:
[{picture: JPEG bytes}], category_id}`), test.bson (`{_id, imgs}`), train_example.bson (the first
100 train products), category_names.csv (`category_id`, three category levels) and
sample_submission.csv (`_id`, `category_id`)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes
from mlebench.data.bson_lite import encode

N_TRAIN, N_TEST, N_CATEGORIES = 160, 20, 12
LEVEL1 = ["ABONNEMENT / SERVICES", "AMENAGEMENT URBAIN - VOIRIE", "AUTO - MOTO", "BAGAGERIE"]


def _products(rng: np.random.Generator, ids: np.ndarray, categories: np.ndarray | None) -> bytes:
    docs = []
    for k, pid in enumerate(ids):
        doc: dict[str, object] = {"_id": int(pid)}
        doc["imgs"] = [{"picture": image_bytes(rng, 8, 8, "JPEG")} for _ in range(int(rng.integers(1, 5)))]
        if categories is not None:
            doc["category_id"] = int(categories[k])
        docs.append(encode(doc))
    return b"".join(docs)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    cat_ids = np.sort(rng.choice(np.arange(1000000000, 1000023000), N_CATEGORIES, replace=False))
    cat_ids[0] = 1000010653  # the category the sample submission guesses
    cat_ids.sort()
    names = pd.DataFrame({
        "category_id": cat_ids,
        "category_level1": rng.choice(LEVEL1, N_CATEGORIES),
        "category_level2": [f"SOUS-CATEGORIE {i}" for i in range(N_CATEGORIES)],
        "category_level3": [f"PRODUIT {i}" for i in range(N_CATEGORIES)],
    })
    # train ids increase with gaps (some products left out); test ids are their own sequence
    train_ids = np.cumsum(rng.integers(1, 4, N_TRAIN)) - 1
    test_ids = np.cumsum(rng.integers(1, 4, N_TEST)) + 9
    train_cats = rng.choice(cat_ids, N_TRAIN, p=np.linspace(2, 1, N_CATEGORIES) / np.linspace(2, 1, N_CATEGORIES).sum())
    train = _products(rng, train_ids, train_cats)
    sample = pd.DataFrame({"_id": test_ids, "category_id": 1000010653})
    example_end = _offset_after(train, 100)
    return write_zip(out_dir / "cdiscount-image-classification-challenge.zip", {
        "category_names.csv": names,
        "sample_submission.csv": sample,
        "test.bson": _products(rng, test_ids, None),
        "train.bson": train,
        "train_example.bson": train[:example_end],
    })


def _offset_after(stream: bytes, n_docs: int) -> int:
    pos = 0
    for _ in range(n_docs):
        pos += int.from_bytes(stream[pos:pos + 4], "little")
    return pos
