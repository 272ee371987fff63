"""Synthetic `chaii-hindi-and-tamil-question-answering.zip`: train.csv (`id` 9 hex digits,
`context`, `question`, `answer_text`, `answer_start`, `language` "hindi"/"tamil"), test.csv
(`id`, `context`, `question`, `language`) and sample_submission.csv (`id`, `PredictionString`).
Texts are Devanagari or Tamil pseudo-words; contexts span several lines and every answer is a
substring of its context at `answer_start`."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids
from mlebench.competitions._kit.text import DEVANAGARI, TAMIL, syllable_sentence


def _rows(rng: np.random.Generator, ids: list[str], labelled: bool) -> pd.DataFrame:
    rows = []
    for sample_id in ids:
        language = "hindi" if rng.random() < 0.66 else "tamil"
        alphabet = DEVANAGARI if language == "hindi" else TAMIL
        lines = [syllable_sentence(rng, int(rng.integers(5, 15)), alphabet) for _ in range(int(rng.integers(2, 5)))]
        context = "\n".join(lines)
        words = context.split()
        start_word = int(rng.integers(0, len(words) - 3))
        answer = " ".join(words[start_word:start_word + int(rng.integers(1, 4))])
        row = {"id": sample_id, "context": context,
               "question": syllable_sentence(rng, int(rng.integers(3, 8)), alphabet) + "?"}
        if labelled:
            row["answer_text"] = answer
            row["answer_start"] = context.find(answer)
        row["language"] = language
        rows.append(row)
    return pd.DataFrame(rows)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = hex_ids(rng, 205, 9)
    train = _rows(rng, ids[:200], labelled=True)
    test = _rows(rng, ids[200:], labelled=False)
    sample = pd.DataFrame({"id": test["id"], "PredictionString": ""})
    return write_zip(out_dir / "chaii-hindi-and-tamil-question-answering.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
