import itertools
import random

import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.notebooks import (
    count_inversions,
    kendall_tau_of_orders,
    kendall_tau_orderings,
)


def test_count_inversions():
    assert count_inversions([2, 0, 1]) == 2
    assert count_inversions([]) == count_inversions([5]) == count_inversions([0, 1, 2]) == 0
    assert count_inversions([3, 2, 1, 0]) == 6
    rng = random.Random(0)
    for _ in range(50):
        values = rng.sample(range(40), rng.randint(0, 40))
        brute = sum(a > b for a, b in itertools.combinations(values, 2))
        assert count_inversions(values) == brute


def test_kendall_tau_hand_computed():
    # one discordant pair of n(n-1) = 6 -> 1 - 4/6 = 1/3
    assert kendall_tau_orderings([["a", "b", "c"]], [["b", "a", "c"]]) == pytest.approx(1 / 3, abs=1e-12)
    assert kendall_tau_orderings([["a", "b", "c"]], [["c", "b", "a"]]) == -1.0
    # pooled: 1 + 1 discordant of 6 + 2 -> 1 - 8/8 = 0
    assert kendall_tau_orderings([["a", "b", "c"], ["x", "y"]], [["b", "a", "c"], ["y", "x"]]) == 0.0


def test_kendall_tau_of_orders_frames():
    answers = pd.DataFrame({"id": ["n1", "n2"], "cell_order": ["a b c", "x y"]})
    sub = pd.DataFrame({"id": ["n2", "n1"], "cell_order": ["x y", "b a c"]})
    # 1 discordant pair of 8 -> 0.5
    assert kendall_tau_of_orders(sub, answers, "id", "cell_order") == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("orders", [["a b", "x y"], ["a b c z", "x y"], ["a a c", "x y"], ["a b d", "x y"]])
def test_kendall_tau_of_orders_rejects_non_permutations(orders):
    answers = pd.DataFrame({"id": ["n1", "n2"], "cell_order": ["a b c", "x y"]})
    with pytest.raises(InvalidSubmissionError):
        kendall_tau_of_orders(pd.DataFrame({"id": ["n1", "n2"], "cell_order": orders}), answers, "id", "cell_order")


@pytest.mark.parametrize("sub", [
    pd.DataFrame({"id": ["n1"], "cell_order": ["a b c"]}),
    pd.DataFrame({"id": ["n1", "n3"], "cell_order": ["a b c", "x y"]}),
    pd.DataFrame({"id": ["n1", "n2"]}),
])
def test_kendall_tau_of_orders_rejects_bad_frames(sub):
    answers = pd.DataFrame({"id": ["n1", "n2"], "cell_order": ["a b c", "x y"]})
    with pytest.raises(InvalidSubmissionError):
        kendall_tau_of_orders(sub, answers, "id", "cell_order")


def test_pooled_inversions_hand_computed_and_brute_force():
    import numpy as np

    from mlebench.metrics.notebooks import pooled_inversions

    # group 0: [2, 0, 1] -> (2,0), (2,1); group 1: [1, 0] -> (1,0)
    assert pooled_inversions(np.array([0, 0, 0, 1, 1]), np.array([2, 0, 1, 1, 0])) == 3
    assert pooled_inversions(np.array([], dtype=int), np.array([], dtype=int)) == 0
    rng = random.Random(0)
    for _ in range(300):
        groups = [[rng.randint(0, rng.choice([1, 5, 60])) for _ in range(rng.randint(0, 25))]
                  for _ in range(rng.randint(1, 6))]
        rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
        values = np.array([v for g in groups for v in g], dtype=np.int64)
        brute = sum(a > b for g in groups for a, b in itertools.combinations(g, 2))
        assert pooled_inversions(rows, values) == brute


def test_kendall_tau_of_orders_equals_pair_counting():
    """Kendall tau the obvious way: every pair of cells of a notebook, discordant when the
    prediction puts them the other way round; 1 - 4 * discordant / sum of n(n - 1)."""
    rng = random.Random(1)
    for _ in range(100):
        truths, predictions = [], []
        for _ in range(rng.randint(1, 12)):
            cells = [f"{rng.getrandbits(32):08x}" for _ in range(rng.randint(0, 15))]
            truths.append(cells)
            predictions.append(rng.sample(cells, len(cells)) if rng.random() < 0.8 else cells)
        if sum(len(c) > 1 for c in truths) == 0:
            continue
        discordant = sum(
            1 for truth, pred in zip(truths, predictions, strict=True)
            for a, b in itertools.combinations(truth, 2) if pred.index(a) > pred.index(b))
        total = sum(len(t) * (len(t) - 1) for t in truths)
        ids = [f"nb{i}" for i in range(len(truths))]
        answers = pd.DataFrame({"id": ids, "cell_order": [" ".join(t) for t in truths]})
        sub = pd.DataFrame({"id": ids, "cell_order": ["  ".join(p) for p in predictions]})
        got = kendall_tau_of_orders(sub.sample(frac=1, random_state=0), answers, "id", "cell_order")
        assert got == 1 - 4 * discordant / total
