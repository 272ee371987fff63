"""Shared pieces of the offline practice competitions' generators (`practice-*/fixture.py`).

Practice data is derived from datasets bundled with scikit-learn, so it needs no download, but
no practice row or image is one of the bundled ones: scikit-learn (and so its bundled data) is in
every agent's environment, and a practice test set made of bundled rows can be looked up (match
the rows, read off the labels: AUC 1.0). Tabular rows are new draws from a Gaussian copula fit
to the bundled table; digit images are blends of similar bundled digits, randomly deformed.
tests/competitions/test_practice_lookup.py holds the lookup attacks this stops.

The draws are fixed (the `seed` of `make_fixture` is accepted for the common interface but
ignored): the shipped practice leaderboards were scored on exactly this held-out test set. So
whoever can run this code redraws the answers: it must never be readable inside the sandbox
(the in-sandbox attack test checks that mlebench is neither importable nor on disk there). The
bytes must not depend on the CPU, so nothing pinned goes through BLAS or numpy's SIMD
transcendental functions: the copula's parameters are rounded to 3 decimals before use, the
sample is combined in a fixed order, and values are placed by rank and interpolated in integers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

import numpy as np

DATA_SEED = 20240101  # fixed seed of every practice draw


KAGGLE_TEST_FRACTION = 0.15  # rows shipped unlabeled as the "Kaggle test set" (never graded)


def kaggle_split(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the Kaggle-like train (labelled) and test (unlabelled) files, shuffled."""
    order = np.random.default_rng(DATA_SEED).permutation(n)
    n_test = int(round(n * KAGGLE_TEST_FRACTION))
    return order[n_test:], order[:n_test]


def snake_case(name: str) -> str:
    return "_".join(name.lower().replace("-", " ").split())


# --- Gaussian copula with the bundled table's own margins ---------------------------------------
@dataclass(frozen=True)
class Copula:
    """Margins: each column's bundled values in integer units (value x 10**decimals), sorted.
    Dependence: the lower Cholesky factor of the columns' normal-score correlation."""

    margins: list[np.ndarray]
    cholesky: list[list[float]]


def decimals_of(values: np.ndarray) -> int:
    """The most decimals any of the values is written with (bundled values are short decimals)."""
    return max(0, *(-Decimal(repr(float(v))).normalize().as_tuple().exponent for v in values))


def to_units(values: np.ndarray, decimals: int) -> np.ndarray:
    """Values as whole multiples of 10**-decimals (exact IEEE ops: the same on every CPU)."""
    return np.rint(np.asarray(values, dtype=np.float64) * 10**decimals).astype(np.int64)


def format_units(units: np.ndarray, decimals: int, significant: int | None = None) -> list[str]:
    """Decimal text of integer units, optionally rounded (half to even) to `significant` digits
    and without trailing zeros, in integer arithmetic only (no float formatting involved)."""
    out = []
    for u in (int(v) for v in units):
        if significant is not None and len(str(abs(u))) > significant:
            drop = 10 ** (len(str(abs(u))) - significant)
            q, r = divmod(u, drop)
            u = (q + (r * 2 > drop or (r * 2 == drop and q % 2))) * drop
        whole, frac = divmod(abs(u), 10**decimals)
        text = f"{'-' if u < 0 else ''}{whole}"
        if decimals and (frac or significant is None):
            digits = f"{frac:0{decimals}d}"
            text += "." + (digits.rstrip("0") if significant is not None else digits)
        out.append(text)
    return out


def _normal_scores(column: np.ndarray) -> list[float]:
    """Phi^-1 of each value's mid-rank / (n + 1); ties share their average rank."""
    order = np.argsort(column, kind="stable")
    ranks = np.empty(len(column), dtype=np.float64)
    sorted_col = column[order]
    start = 0
    while start < len(column):  # average the ranks of equal values
        stop = start
        while stop + 1 < len(column) and sorted_col[stop + 1] == sorted_col[start]:
            stop += 1
        ranks[order[start:stop + 1]] = (start + stop) / 2 + 1
        start = stop + 1
    normal = NormalDist()
    return [normal.inv_cdf(r / (len(column) + 1)) for r in ranks]


def _cholesky(matrix: list[list[float]]) -> list[list[float]]:
    """Plain-Python Cholesky (fixed operation order; LAPACK's may differ between CPUs)."""
    n = len(matrix)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = matrix[i][j]
            for k in range(j):
                s -= low[i][k] * low[j][k]
            low[i][j] = math.sqrt(s) if i == j else s / low[j][j]
    return low


def fit_copula(units: np.ndarray, shrink: float = 0.05) -> Copula:
    """Fit to a table of integer units (rows x columns). The correlation is shrunk towards
    the identity by `shrink` (keeps it positive definite) and rounded to 3 decimals."""
    scores = [_normal_scores(units[:, j]) for j in range(units.shape[1])]
    d = len(scores)
    corr = [[1.0] * d for _ in range(d)]
    for i in range(d):
        for j in range(i):
            num = math.fsum(a * b for a, b in zip(scores[i], scores[j], strict=True))
            den = math.sqrt(math.fsum(a * a for a in scores[i]) * math.fsum(b * b for b in scores[j]))
            corr[i][j] = corr[j][i] = round((1 - shrink) * num / den, 3)
    return Copula([np.sort(units[:, j]) for j in range(d)], _cholesky(corr))


def sample_copula(copula: Copula, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` new rows (integer units). Each column takes the ranks of its correlated normal draws
    and maps rank r to the bundled margin's (r + 1/2) / n quantile, linearly interpolated
    between neighbouring bundled values in integer arithmetic."""
    d = len(copula.margins)
    noise = rng.standard_normal((n, d))
    out = np.empty((n, d), dtype=np.int64)
    for j in range(d):
        z = np.zeros(n)
        for k in range(j + 1):  # fixed order, elementwise: no BLAS
            z = z + copula.cholesky[j][k] * noise[:, k]
        ranks = np.empty(n, dtype=np.int64)
        ranks[np.argsort(z, kind="stable")] = np.arange(n)
        margin = copula.margins[j]
        m = len(margin)
        # position (2r + 1) / (2n) * (m - 1) in the sorted margin, as a fraction num / den
        num = (2 * ranks + 1) * (m - 1)
        den = 2 * n
        lo = np.minimum(num // den, m - 2)
        frac = num - lo * den
        step = margin[lo + 1] - margin[lo]
        out[:, j] = margin[lo] + (2 * step * frac + den) // (2 * den)
    return out
