"""Synthetic `jigsaw-unintended-bias-in-toxicity-classification.zip` with Kaggle's files: train.csv
(45 columns: `target`, toxicity sub-types, 24 identity columns (NaN where not annotated), comment
metadata), test.csv and sample_submission.csv (the original public test set), and
test_public_expanded.csv / test_private_expanded.csv (the labelled test sets, 45 columns with
`toxicity` in place of `target`). Ids are integers; labels are annotator fractions in [0, 1].
Every graded identity gets toxic and non-toxic private-test comments that mention it, so each
subgroup AUC is defined. (Kaggle's all_data.csv and the individual-annotation files are not
used by the preparer and are left out.)"""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.text import syllable_sentence

SUBTYPES = ["severe_toxicity", "obscene", "identity_attack", "insult", "threat"]
IDENTITIES = [
    "asian", "atheist", "bisexual", "black", "buddhist", "christian", "female", "heterosexual",
    "hindu", "homosexual_gay_or_lesbian", "intellectual_or_learning_disability", "jewish", "latino",
    "male", "muslim", "other_disability", "other_gender", "other_race_or_ethnicity",
    "other_religion", "other_sexual_orientation", "physical_disability",
    "psychiatric_or_mental_illness", "transgender", "white",
]
GRADED = ["male", "female", "homosexual_gay_or_lesbian", "christian", "jewish", "muslim", "black",
          "white", "psychiatric_or_mental_illness"]
META = ["created_date", "publication_id", "parent_id", "article_id", "rating", "funny", "wow", "sad",
        "likes", "disagree"]
TRAIN_COLUMNS = ["id", "target", "comment_text", *SUBTYPES, *IDENTITIES, *META, "sexual_explicit",
                 "identity_annotator_count", "toxicity_annotator_count"]
EXPANDED_IDENTITIES = [
    "male", "female", "transgender", "other_gender", "heterosexual", "homosexual_gay_or_lesbian",
    "bisexual", "other_sexual_orientation", "christian", "jewish", "muslim", "hindu", "buddhist",
    "atheist", "other_religion", "black", "white", "asian", "latino", "other_race_or_ethnicity",
    "physical_disability", "intellectual_or_learning_disability", "psychiatric_or_mental_illness",
    "other_disability",
]
EXPANDED_COLUMNS = ["id", "comment_text", *META, "toxicity", "severe_toxicity", "obscene",
                    "sexual_explicit", "identity_attack", "insult", "threat", *EXPANDED_IDENTITIES,
                    "identity_annotator_count", "toxicity_annotator_count"]


def _fraction(rng: np.random.Generator, n: int, p_high: float) -> np.ndarray:
    """Annotator fractions: mostly 0, sometimes high."""
    high = rng.random(n) < p_high
    return np.where(high, rng.integers(5, 11, n) / 10, rng.integers(0, 5, n) / 10 * (rng.random(n) < 0.3))


def _comments(rng: np.random.Generator, first_id: int, n: int, force_graded: bool) -> pd.DataFrame:
    ids = first_id + np.sort(rng.choice(np.arange(n * 3), n, replace=False))
    df = pd.DataFrame({"id": ids})
    df["comment_text"] = [syllable_sentence(rng, int(rng.integers(3, 25))) + rng.choice(["", "!", "?\nOk.", ', "quoted"'])
                          for _ in range(n)]
    seconds = rng.integers(1_440_000_000, 1_510_000_000, n)
    df["created_date"] = [pd.Timestamp(int(s), unit="s").strftime("%Y-%m-%d %H:%M:%S") + f".{int(u):06d}+00"
                          for s, u in zip(seconds, rng.integers(0, 1_000_000, n), strict=True)]
    df["publication_id"] = rng.choice([2, 21, 54, 102], n)
    df["parent_id"] = np.where(rng.random(n) < 0.4, rng.integers(1_000_000, 6_000_000, n), np.nan)
    df["article_id"] = rng.integers(2_000, 400_000, n)
    df["rating"] = np.where(rng.random(n) < 0.9, "approved", "rejected")
    for col in ["funny", "wow", "sad", "likes", "disagree"]:
        df[col] = rng.poisson(0.7, n)
    df["toxicity"] = _fraction(rng, n, 0.3)
    for col in SUBTYPES + ["sexual_explicit"]:
        df[col] = np.round(df["toxicity"] * rng.random(n), 6)
    annotated = rng.random(n) < 0.6
    for col in IDENTITIES:
        df[col] = np.where(annotated, _fraction(rng, n, 0.12), np.nan)
    if force_graded:  # a toxic and a non-toxic comment mentioning each graded identity
        for k, col in enumerate(GRADED):
            df.loc[[2 * k, 2 * k + 1], col] = 1.0
            df.loc[[2 * k, 2 * k + 1], "toxicity"] = [0.8, 0.1]
    df["identity_annotator_count"] = np.where(annotated, rng.choice([4, 5, 10], n), 0)
    df["toxicity_annotator_count"] = rng.choice([4, 6, 10, 70], n)
    return df


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _comments(rng, 59_848, 300, force_graded=False).rename(columns={"toxicity": "target"})
    public = _comments(rng, 7_000_000, 80, force_graded=False)
    private = _comments(rng, 7_097_320, 200, force_graded=True)
    sample = pd.DataFrame({"id": public["id"], "prediction": 0.0})
    return write_zip(out_dir / "jigsaw-unintended-bias-in-toxicity-classification.zip", {
        "sample_submission.csv": sample,
        "test.csv": public[["id", "comment_text"]],
        "test_private_expanded.csv": private[EXPANDED_COLUMNS],
        "test_public_expanded.csv": public[EXPANDED_COLUMNS],
        "train.csv": train[TRAIN_COLUMNS],
    })
