"""Synthetic `imet-2020-fgvc7.zip`: train.csv (`id` 32 hex, `attribute_ids` = 1-6 space-separated
ints in 0..3473), labels.csv (`attribute_id`, `attribute_name` like "culture::kaloro", 3474 rows
grouped by kind as on Kaggle), sample_submission.csv ("0 1 2"), train/<id>.png, test/<id>.png."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST, N_ATTRIBUTES = 240, 10, 3474
# Kaggle's labels.csv: attribute ids are contiguous per kind, in this order.
KINDS = {"country": 100, "culture": 681, "dimension": 5, "medium": 1920, "tags": 768}
SYLLABLES = ["ka", "ro", "mi", "lu", "ten", "sa", "vor", "el", "dri", "qua", "fen", "ost"]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    names = [f"{kind}::{''.join(rng.choice(SYLLABLES, 3))}{i}" for kind, n in KINDS.items() for i in range(n)]
    labels = pd.DataFrame({"attribute_id": range(N_ATTRIBUTES), "attribute_name": names})
    common = rng.choice(N_ATTRIBUTES, 40, replace=False)  # a few frequent attributes, as on Kaggle
    ids = hex_ids_from_bytes(rng, N_TRAIN + N_TEST)
    attrs = []
    for _ in range(N_TRAIN):
        k = int(rng.integers(1, 7))
        pool = common if rng.random() < 0.8 else np.arange(N_ATTRIBUTES)
        attrs.append(" ".join(map(str, sorted(rng.choice(pool, k, replace=False).tolist()))))
    train = pd.DataFrame({"id": ids[:N_TRAIN], "attribute_ids": attrs})
    files: dict = {
        "labels.csv": labels,
        "sample_submission.csv": pd.DataFrame({"id": ids[N_TRAIN:], "attribute_ids": "0 1 2"}),
        "train.csv": train,
    }
    for i in ids[N_TRAIN:]:
        files[f"test/{i}.png"] = image_bytes(rng, 10, 12, "PNG")
    for i in ids[:N_TRAIN]:
        files[f"train/{i}.png"] = image_bytes(rng, 10, 12, "PNG")
    return write_zip(out_dir / "imet-2020-fgvc7.zip", files)
