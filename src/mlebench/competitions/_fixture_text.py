"""Text helpers for the synthetic fixtures of the text competitions (insults, pizza, spooky,
jigsaw-toxic, movie-review): seeded random sentences from a small vocabulary."""

from __future__ import annotations

import numpy as np

WORDS = (
    "the a an of and to in is was it that he she they we you this with for on at by from as but "
    "not be have had his her their our my your one all would there what so up out if about who "
    "which when night dark house old light heart mind door eyes shadow strange moon sea stone "
    "friend dream fear silence voice hand river tower winter death love hope storm ghost"
).split()
RUDE = "idiot moron stupid loser clown fool".split()


def sentence(rng: np.random.Generator, lo: int = 4, hi: int = 18, extra: list[str] | None = None) -> str:
    vocab = WORDS + (extra or [])
    words = list(rng.choice(vocab, int(rng.integers(lo, hi))))
    return " ".join(words).capitalize() + str(rng.choice([".", "!", "?", "."]))


def unique_sentences(rng: np.random.Generator, n: int, **kwargs) -> list[str]:
    """`n` distinct sentences (a numbered suffix breaks the rare collision)."""
    out, seen = [], set()
    while len(out) < n:
        s = sentence(rng, **kwargs)
        if s in seen:
            s = f"{s} ({len(out)})"
        seen.add(s)
        out.append(s)
    return out


