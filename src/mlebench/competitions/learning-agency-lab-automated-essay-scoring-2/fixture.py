"""Synthetic `learning-agency-lab-automated-essay-scoring-2.zip`: train.csv (essay_id, full_text,
score 1-6), test.csv (3 essays) and sample_submission.csv, like Kaggle's download. Essay ids are
7 hexadecimal characters; essays are paragraphs separated by blank lines."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_batched
from mlebench.competitions._kit.text import paragraphs

N_TRAIN, N_TEST = 300, 3


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_batched(rng, N_TRAIN + N_TEST, 7)
    scores = rng.choice([1, 2, 3, 4, 5, 6], N_TRAIN, p=[0.07, 0.27, 0.36, 0.23, 0.06, 0.01])
    # Longer essays tend to score higher, as on Kaggle.
    texts = [paragraphs(rng, int(s) + int(rng.integers(1, 3))) for s in scores]
    train = pd.DataFrame({"essay_id": ids[:N_TRAIN], "full_text": texts, "score": scores})
    test = pd.DataFrame({
        "essay_id": ids[N_TRAIN:],
        "full_text": [paragraphs(rng, int(rng.integers(2, 6))) for _ in range(N_TEST)],
    })
    sample = pd.DataFrame({"essay_id": test["essay_id"], "score": 3})
    return write_zip(out_dir / "learning-agency-lab-automated-essay-scoring-2.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
