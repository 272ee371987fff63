"""Synthetic `spooky-author-identification.zip`: train.zip, test.zip and sample_submission.zip,
each holding the CSV of the same name, with Kaggle's `id` format (`id` + 5 digits), quoted
sentences and the three authors EAP, HPL and MWS."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.text import unique_sentences

AUTHORS = ["EAP", "HPL", "MWS"]


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    numbers = rng.choice(np.arange(0, 28000), 300, replace=False)
    ids = [f"id{n:05d}" for n in numbers]
    texts = unique_sentences(rng, 300, lo=5, hi=30)
    texts = [t.replace(" and ", ', "and" ', 1) if i % 7 == 0 else t for i, t in enumerate(texts)]
    train = pd.DataFrame({"id": ids[:240], "text": texts[:240],
                          "author": rng.choice(AUTHORS, 240, p=[0.4, 0.29, 0.31])})
    test = pd.DataFrame({"id": ids[240:], "text": texts[240:]})
    sample = pd.DataFrame({"id": test["id"], "EAP": 0.403493538995863, "HPL": 0.287808366106543,
                           "MWS": 0.308698094897594})
    return write_zip(out_dir / "spooky-author-identification.zip", {
        "sample_submission.zip": zip_bytes({"sample_submission.csv": sample}),
        "test.zip": zip_bytes({"test.csv": test}),
        "train.zip": zip_bytes({"train.csv": train}),
    })
