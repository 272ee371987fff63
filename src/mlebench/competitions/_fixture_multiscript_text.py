"""Shared bits for the text/JSON fixtures of statoil, jigsaw, chaii, facebook-iii, tf2-qa and AI4Code:
seeded random words (Latin, Devanagari, Tamil) and hex ids."""

from __future__ import annotations

import numpy as np

LATIN = ["ka", "ro", "mi", "lu", "ten", "sa", "vor", "el", "dri", "qua", "fen", "ost", "pa", "ni"]
DEVANAGARI = ["क", "मा", "रि", "सु", "ने", "तो", "भा", "र", "ल", "दी", "गु", "प"]
TAMIL = ["க", "மா", "ரி", "சு", "நே", "தோ", "ப", "ர", "ல", "தி", "கு", "வ"]


def words(rng: np.random.Generator, n: int, alphabet: list[str] = LATIN) -> list[str]:
    """`n` random pseudo-words, each 1-3 syllables of `alphabet`."""
    return ["".join(rng.choice(alphabet, int(rng.integers(1, 4)))) for _ in range(n)]


def sentence(rng: np.random.Generator, n_words: int, alphabet: list[str] = LATIN) -> str:
    return " ".join(words(rng, n_words, alphabet))


def hex_id_array(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    """`n` distinct random lowercase hex strings of `length` (<= 15) characters, drawn in bulk."""
    values = rng.integers(0, 16**length, 2 * n + 16, dtype=np.int64)
    _, first = np.unique(values, return_index=True)
    chosen = values[np.sort(first)][:n]
    assert len(chosen) == n
    return np.array([f"{v:0{length}x}" for v in chosen], dtype=object)


