"""Synthetic `us-patent-phrase-to-phrase-matching.zip`: train.csv (id, anchor, target, context,
score), test.csv and sample_submission.csv, like Kaggle's download. Ids are 16 hexadecimal
characters, contexts are CPC classes (e.g. `A47`), scores are quarter steps from 0 to 1."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_batched

TERMS = (
    "abatement absorbent material acid absorption adjustable gear air flow ambient temperature "
    "anchor bolt audio signal ball bearing battery cell bending moment carbon fiber circuit board "
    "cooling fluid data packet display panel electric motor engine block fuel cell gas turbine "
    "heat exchanger hydraulic pump image sensor laser beam lens array metal oxide optical fiber "
    "power supply pressure valve rotor blade semiconductor layer steel plate water pipe wireless link"
).split()
CONTEXTS = ["A47", "A61", "B01", "B60", "C01", "C07", "E21", "F16", "G01", "G06", "H01", "H04"]


def _phrase(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(TERMS, int(rng.integers(1, 4))))


def _pairs(rng: np.random.Generator, n: int, ids: list[str]) -> pd.DataFrame:
    anchors = [_phrase(rng) for _ in range(max(1, n // 8))]
    return pd.DataFrame({
        "id": ids,
        "anchor": rng.choice(anchors, n),
        "target": [_phrase(rng) for _ in range(n)],
        "context": rng.choice(CONTEXTS, n),
    })


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    n_train, n_test = 300, 36
    ids = hex_ids_batched(rng, n_train + n_test, 16)
    train = _pairs(rng, n_train, ids[:n_train])
    train["score"] = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], n_train, p=[0.2, 0.3, 0.33, 0.12, 0.05])
    test = _pairs(rng, n_test, ids[n_train:])
    sample = pd.DataFrame({"id": test["id"], "score": 0})
    return write_zip(out_dir / "us-patent-phrase-to-phrase-matching.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
