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
