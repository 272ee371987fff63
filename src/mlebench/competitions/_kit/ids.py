"""Seeded ids and names for synthetic downloads (hex ids in the exact ways each fixture draws them)."""

from __future__ import annotations

import numpy as np

SYLLABLES = ["ka", "ro", "mi", "lu", "ten", "sa", "vor", "el", "dri", "qua", "fen", "ost"]


def random_names(rng: np.random.Generator, n: int) -> list[str]:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4)))).capitalize()

    return [f"{word()} {word()}" for _ in range(n)]


def hex_ids(rng: np.random.Generator, n: int, length: int) -> list[str]:
    """`n` distinct random lowercase hex strings of `length` characters."""
    digits = np.array(list("0123456789abcdef"))
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = "".join(digits[rng.integers(0, 16, length)])
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def hex_ids_from_bytes(rng: np.random.Generator, n: int, length: int = 32) -> list[str]:
    """`n` distinct lowercase hex strings of `length` characters."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        s = bytes(rng.integers(0, 256, size=(length + 1) // 2, dtype=np.uint8)).hex()[:length]
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def hex_ids_batched(rng: np.random.Generator, n: int, length: int) -> list[str]:
    """`n` distinct lower-case hexadecimal ids of `length` characters."""
    digits = np.array(list("0123456789abcdef"))
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        for value in ("".join(row) for row in digits[rng.integers(0, 16, (n, length))]):
            if value not in seen and len(out) < n:
                seen.add(value)
                out.append(value)
    return out


def hex_id_array(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    """`n` distinct random lowercase hex strings of `length` (<= 15) characters, drawn in bulk."""
    values = rng.integers(0, 16**length, 2 * n + 16, dtype=np.int64)
    _, first = np.unique(values, return_index=True)
    chosen = values[np.sort(first)][:n]
    assert len(chosen) == n
    return np.array([f"{v:0{length}x}" for v in chosen], dtype=object)
