"""Synthetic `lmsys-chatbot-arena.zip`: train.csv (id, model_a, model_b, prompt, response_a,
response_b, winner_model_a, winner_model_b, winner_tie), test.csv (3 conversations) and
sample_submission.csv, like Kaggle's download. Prompts and responses are JSON lists of strings
(one per conversation turn; a response may be `null`), ids are integers, winners one-hot."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.text import paragraphs, vocab_sentence

MODELS = ["gpt-4-1106-preview", "gpt-3.5-turbo-0613", "claude-2.1", "llama-2-70b-chat",
          "mixtral-8x7b-instruct-v0.1", "vicuna-13b", "gemini-pro", "mistral-medium"]
N_TRAIN, N_TEST = 300, 3


def _conversation(rng: np.random.Generator, turns: int, questions: bool) -> str:
    items = []
    for _ in range(turns):
        if not questions and rng.random() < 0.02:
            items.append(None)
        else:
            items.append(vocab_sentence(rng, 4, 16, "?") if questions else paragraphs(rng, int(rng.integers(1, 3))))
    return json.dumps(items)


def _battles(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    turns = rng.choice([1, 1, 1, 2, 3], len(ids))
    return pd.DataFrame({
        "id": ids,
        "prompt": [_conversation(rng, t, True) for t in turns],
        "response_a": [_conversation(rng, t, False) for t in turns],
        "response_b": [_conversation(rng, t, False) for t in turns],
    })


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(30_000, 4_300_000_000, 2 * (N_TRAIN + N_TEST)))
    ids = rng.permutation(ids)[: N_TRAIN + N_TEST]
    train = _battles(rng, np.sort(ids[:N_TRAIN]))
    pairs = np.array([rng.choice(MODELS, 2, replace=False) for _ in range(N_TRAIN)])
    train.insert(1, "model_a", pairs[:, 0])
    train.insert(2, "model_b", pairs[:, 1])
    winner = rng.choice(3, N_TRAIN, p=[0.35, 0.34, 0.31])
    for k, col in enumerate(["winner_model_a", "winner_model_b", "winner_tie"]):
        train[col] = (winner == k).astype(int)
    test = _battles(rng, np.sort(ids[N_TRAIN:]))
    sample = pd.DataFrame({"id": test["id"], "winner_model_a": 0.333333,
                           "winner_model_b": 0.333333, "winner_tie": 0.333333})
    return write_zip(out_dir / "lmsys-chatbot-arena.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
