"""Synthetic `billion-word-imputation.zip`: `train_v2.txt.zip` (one tokenised English-like sentence
per line, punctuation as separate tokens, some quotes, some two-word lines) and `test_v2.txt.zip`
(a CSV `"id","sentence"` of sentences with one word removed)."""

from pathlib import Path

import numpy as np

from mlebench.competitions._kit.archives import write_zip, zip_bytes

N_TRAIN, N_TEST = 3000, 40
WORDS = (
    "the a of to and in is for that on with as was at by from it he said has have be are "
    "year market city team government people police company president new first two last "
    "million percent week game season bank oil price health school world report officials "
    "would could will may also more than about after over only some many most Mr. U.S. 's"
).split()
PUNCT = [",", "(", ")", ":", ";", "--"]


def _sentence(rng: np.random.Generator) -> str:
    tokens = list(rng.choice(WORDS, int(rng.integers(3, 25))))
    tokens[0] = tokens[0].capitalize()
    for _ in range(int(rng.integers(0, 3))):
        tokens.insert(int(rng.integers(1, len(tokens))), str(rng.choice(PUNCT)))
    if rng.random() < 0.1:
        tokens[1:1] = ['"', str(rng.choice(WORDS)), '"']
    if rng.random() < 0.05:
        tokens.insert(1, str(int(rng.integers(1, 2000))))
    return " ".join(tokens) + " " + str(rng.choice([".", ".", ".", "?", "!"]))


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    lines = [_sentence(rng) if rng.random() > 0.01 else f"{rng.choice(WORDS).capitalize()} ." for _ in range(N_TRAIN)]
    test_rows = ['"id","sentence"']
    for i in range(1, N_TEST + 1):
        words = _sentence(rng).split()
        del words[int(rng.integers(1, len(words) - 1))]
        test_rows.append(f'{i},"{" ".join(words).replace(chr(34), chr(34) * 2)}"')
    return write_zip(out_dir / "billion-word-imputation.zip", {
        "test_v2.txt.zip": zip_bytes({"test_v2.txt": "\n".join(test_rows) + "\n"}),
        "train_v2.txt.zip": zip_bytes({"train_v2.txt": "\n".join(lines) + "\n"}),
    })
