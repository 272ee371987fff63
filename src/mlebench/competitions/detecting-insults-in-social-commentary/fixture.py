"""Synthetic `detecting-insults-in-social-commentary.zip`: train.csv, test.csv,
test_with_solutions.csv, sample_submission_null.csv and the two impermium verification files,
with Kaggle's columns, `YYYYMMDDhhmmssZ` dates (sometimes blank) and quoted, unicode-escaped
comments. Two test comments are repeated, as in Kaggle's test set."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.text import RUDE, unique_sentences


def _dates(rng: np.random.Generator, n: int) -> list:
    stamps = pd.Timestamp("2012-03-01") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s")
    out = [t.strftime("%Y%m%d%H%M%SZ") for t in stamps]
    return [np.nan if rng.random() < 0.2 else d for d in out]


def _comments(rng: np.random.Generator, texts: list[str]) -> list[str]:
    # Kaggle's comments are wrapped in double quotes and unicode-escaped (\\n, \\xa0, ...).
    decorations = ["", "", "", "\\n", "\\xa0", "\\u2019s"]
    return [f'"{t}{rng.choice(decorations)}"' for t in texts]


def _labelled(rng: np.random.Generator, texts: list[str]) -> pd.DataFrame:
    insult = (rng.random(len(texts)) < 0.3).astype(int)
    texts = [f"{t} {rng.choice(RUDE)}" if y else t for t, y in zip(texts, insult, strict=True)]
    return pd.DataFrame({"Insult": insult, "Date": _dates(rng, len(texts)), "Comment": _comments(rng, texts)})


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    texts = unique_sentences(rng, 420, extra=["you", "your"])
    train = _labelled(rng, texts[:250])
    test = _labelled(rng, texts[250:400])
    test.loc[[20, 90], ["Insult", "Comment"]] = test.loc[[5, 60], ["Insult", "Comment"]].to_numpy()
    test["Usage"] = np.where(rng.random(len(test)) < 0.5, "PublicTest", "PrivateTest")
    public_test = test[["Date", "Comment"]].copy()
    public_test.insert(0, "id", np.arange(1, len(test) + 1))
    sample = public_test.copy()
    sample.insert(1, "Insult", 0)
    verification = _labelled(rng, texts[400:])
    verification.insert(0, "id", np.arange(1, len(verification) + 1))
    verification["Usage"] = "PrivateTest"
    return write_zip(out_dir / "detecting-insults-in-social-commentary.zip", {
        "impermium_verification_labels.csv": verification,
        "impermium_verification_set.csv": verification[["id", "Date", "Comment"]],
        "sample_submission_null.csv": sample,
        "test.csv": public_test,
        "test_with_solutions.csv": test,
        "train.csv": train,
    })
