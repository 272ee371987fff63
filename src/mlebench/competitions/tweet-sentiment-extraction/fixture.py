"""Synthetic `tweet-sentiment-extraction.zip`: train.csv (textID, text, selected_text, sentiment),
test.csv and sample_submission.csv, like Kaggle's download. Ids are 10 hexadecimal characters;
some tweets start with a space; `selected_text` is a span of words of the tweet (the whole tweet
for most neutral ones); like Kaggle's file, one training row has no text at all."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_batched
from mlebench.competitions._kit.text import vocab_sentence

N_TRAIN, N_TEST = 300, 40
EMPTY_ROW = 14  # stays in the training part of the 90/10 split, as Kaggle's empty row does


def _tweets(rng: np.random.Generator, ids: list[str]) -> pd.DataFrame:
    n = len(ids)
    texts = [(" " if rng.random() < 0.3 else "") + vocab_sentence(rng, 3, 20, rng.choice(["", ".", "!", "!!", " :)"]))
             for _ in range(n)]
    return pd.DataFrame({"textID": ids, "text": texts,
                         "sentiment": rng.choice(["neutral", "positive", "negative"], n, p=[0.4, 0.31, 0.29])})


def _span(rng: np.random.Generator, text: str, sentiment: str) -> str:
    words = text.split()
    if sentiment == "neutral" and rng.random() < 0.9:
        return text.strip()
    start = int(rng.integers(0, len(words)))
    stop = int(rng.integers(start + 1, min(len(words), start + 4) + 1))
    return " ".join(words[start:stop])


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids_batched(rng, N_TRAIN + N_TEST, 10)
    train = _tweets(rng, ids[:N_TRAIN])
    train["selected_text"] = [_span(rng, t, s) for t, s in zip(train["text"], train["sentiment"], strict=True)]
    train = train[["textID", "text", "selected_text", "sentiment"]].astype(object)
    train.loc[EMPTY_ROW, ["text", "selected_text"]] = np.nan
    train.loc[EMPTY_ROW, "sentiment"] = "neutral"
    test = _tweets(rng, ids[N_TRAIN:])
    sample = pd.DataFrame({"textID": test["textID"], "selected_text": ""})
    return write_zip(out_dir / "tweet-sentiment-extraction.zip", {
        "train.csv": train, "test.csv": test, "sample_submission.csv": sample,
    })
