"""Synthetic `movie-review-sentiment-analysis-kernels-only.zip`: train.tsv.zip and test.tsv.zip
(one tab-separated file each) and sampleSubmission.csv. Like Kaggle's Rotten Tomatoes data, each
sentence is followed by its sub-phrases (tokenised, PTB-style `-LRB-`, `'s`, `n't`), PhraseIds
are consecutive and sentiment is 0-4."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.text import WORDS

TOKENS = [*WORDS, "'s", "n't", ",", "-LRB-", "-RRB-", "``", "''", "good", "bad", "funny", "dull"]


def _phrases(rng: np.random.Generator, first_phrase: int, first_sentence: int, n: int, labelled: bool):
    rows, phrase_id, sentence_id = [], first_phrase, first_sentence
    while len(rows) < n:
        tokens = list(rng.choice(TOKENS, int(rng.integers(4, 12))))
        spans = {" ".join(tokens)}
        for _ in range(int(rng.integers(2, 8))):
            i = int(rng.integers(0, len(tokens)))
            spans.add(" ".join(tokens[i:i + int(rng.integers(1, 4))]))
        for span in sorted(spans, key=lambda s: (-len(s), s)):
            row = {"PhraseId": phrase_id, "SentenceId": sentence_id, "Phrase": span}
            if labelled:
                row["Sentiment"] = int(rng.choice(5, p=[0.05, 0.17, 0.5, 0.21, 0.07]))
            rows.append(row)
            phrase_id += 1
        sentence_id += 1
    return pd.DataFrame(rows[:n])


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _phrases(rng, 1, 1, 300, labelled=True)
    test = _phrases(rng, 5001, 801, 120, labelled=False)
    sample = pd.DataFrame({"PhraseId": test["PhraseId"], "Sentiment": 2})
    return write_zip(out_dir / "movie-review-sentiment-analysis-kernels-only.zip", {
        "sampleSubmission.csv": sample,
        "test.tsv.zip": zip_bytes({"test.tsv": test.to_csv(sep="\t", index=False)}),
        "train.tsv.zip": zip_bytes({"train.tsv": train.to_csv(sep="\t", index=False)}),
    })
