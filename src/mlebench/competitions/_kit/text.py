"""Seeded words, sentences and paragraphs for the text fixtures (Latin syllables, Devanagari, Tamil,
an English vocabulary)."""

from __future__ import annotations

import numpy as np

VOCAB = (
    "the a of to and in is it that for on with as was at by this be from or an have not are but "
    "all can they we you one more time people students cars school would about think many like "
    "because also water light energy battery signal model answer question code value system "
    "happy sad good great bad love hate day night work home today tomorrow really very so just"
).split()


def vocab_sentence(rng: np.random.Generator, lo: int = 4, hi: int = 14, end: str = ".") -> str:
    words = [VOCAB[i] for i in rng.integers(0, len(VOCAB), int(rng.integers(lo, hi + 1)))]
    words[0] = words[0].capitalize()
    return " ".join(words) + end


def paragraphs(rng: np.random.Generator, n_par: int, sentences_per: tuple[int, int] = (2, 5)) -> str:
    pars = [
        " ".join(vocab_sentence(rng) for _ in range(int(rng.integers(*sentences_per))))
        for _ in range(n_par)
    ]
    return "\n\n".join(pars)


LATIN = ["ka", "ro", "mi", "lu", "ten", "sa", "vor", "el", "dri", "qua", "fen", "ost", "pa", "ni"]


DEVANAGARI = ["क", "मा", "रि", "सु", "ने", "तो", "भा", "र", "ल", "दी", "गु", "प"]


TAMIL = ["க", "மா", "ரி", "சு", "நே", "தோ", "ப", "ர", "ல", "தி", "கு", "வ"]


def words(rng: np.random.Generator, n: int, alphabet: list[str] = LATIN) -> list[str]:
    """`n` random pseudo-words, each 1-3 syllables of `alphabet`."""
    return ["".join(rng.choice(alphabet, int(rng.integers(1, 4)))) for _ in range(n)]


def syllable_sentence(rng: np.random.Generator, n_words: int, alphabet: list[str] = LATIN) -> str:
    return " ".join(words(rng, n_words, alphabet))


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
