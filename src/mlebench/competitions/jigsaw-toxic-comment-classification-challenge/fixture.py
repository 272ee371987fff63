"""Synthetic `jigsaw-toxic-comment-classification-challenge.zip`: train.csv.zip, test.csv.zip,
test_labels.csv.zip and sample_submission.csv.zip (one CSV each), with Kaggle's 16-hex-digit ids,
multi-line quoted comments and six 0/1 labels; test labels are -1 on the rows Kaggle left
unscored."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.ids import hex_ids
from mlebench.competitions._kit.text import RUDE, sentence

CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]


def _comments(rng: np.random.Generator, toxic: np.ndarray) -> list[str]:
    out = []
    for t in toxic:
        parts = [sentence(rng, extra=RUDE if t else None) for _ in range(int(rng.integers(1, 4)))]
        text = "\n".join(parts) if rng.random() < 0.3 else " ".join(parts)
        out.append(f'"{text}" said the editor' if rng.random() < 0.1 else text)
    return out


def _labels(rng: np.random.Generator, n: int) -> pd.DataFrame:
    toxic = (rng.random(n) < 0.3).astype(int)
    labels = {"toxic": toxic}
    for c, p in zip(CLASSES[1:], [0.3, 0.6, 0.15, 0.5, 0.2], strict=True):
        labels[c] = toxic * (rng.random(n) < p)
    return pd.DataFrame(labels)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids(rng, 400, 16)
    train_labels = _labels(rng, 250)
    train = pd.DataFrame({"id": ids[:250], "comment_text": _comments(rng, train_labels["toxic"])})
    train = pd.concat([train, train_labels], axis=1)
    test_labels = _labels(rng, 150)
    test = pd.DataFrame({"id": ids[250:], "comment_text": _comments(rng, test_labels["toxic"])})
    test_labels.loc[rng.random(150) < 0.4, :] = -1
    test_labels.insert(0, "id", test["id"])
    sample = pd.DataFrame({"id": test["id"], **{c: 0.5 for c in CLASSES}})
    return write_zip(out_dir / "jigsaw-toxic-comment-classification-challenge.zip", {
        "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": sample}),
        "test.csv.zip": zip_bytes({"test.csv": test}),
        "test_labels.csv.zip": zip_bytes({"test_labels.csv": test_labels}),
        "train.csv.zip": zip_bytes({"train.csv": train}),
    })
