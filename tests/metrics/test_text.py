import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.text import mean_word_jaccard, word_jaccard


@pytest.mark.parametrize("pred, true, expected", [
    ("Very good day", "good DAY!", 0.25),  # {very, good, day} vs {good, day!}: 1 of 4
    ("so  SAD", "so sad", 1.0),  # case and repeated spaces do not matter
    ("", "so sad", 0.0),
    ("a a b", "b c", 1 / 3),  # sets: {a, b} vs {b, c}
])
def test_word_jaccard_hand_computed(pred, true, expected):
    assert word_jaccard(pred, true) == pytest.approx(expected, abs=1e-12)


def test_word_jaccard_both_empty_is_undefined():
    with pytest.raises(ZeroDivisionError):
        word_jaccard(" ", "")


def test_mean_word_jaccard_hand_computed():
    ans = pd.DataFrame({"id": ["a", "b"], "text": ["good", "so sad"]})
    sub = pd.DataFrame({"id": ["b", "a"], "text": [None, "good day"]})
    # a: {good, day} vs {good} -> 1/2; b: blank vs {so, sad} -> 0. Mean 0.25.
    assert mean_word_jaccard(sub, ans, "id", "text") == pytest.approx(0.25, abs=1e-12)


def test_mean_word_jaccard_invalid():
    ans = pd.DataFrame({"id": ["a", "b"], "text": ["good", None]})
    sub = pd.DataFrame({"id": ["a", "b"], "text": ["good", ""]})
    with pytest.raises(InvalidSubmissionError, match="both the prediction and the answer are empty"):
        mean_word_jaccard(sub, ans, "id", "text")
    assert mean_word_jaccard(sub.assign(text=["good", "x"]), ans, "id", "text") == 0.5
    with pytest.raises(InvalidSubmissionError, match="rows"):
        mean_word_jaccard(sub.iloc[:1], ans, "id", "text")
    with pytest.raises(InvalidSubmissionError, match="do not match"):
        mean_word_jaccard(sub.assign(id=["a", "z"]), ans, "id", "text")
    with pytest.raises(InvalidSubmissionError, match="missing column"):
        mean_word_jaccard(sub.drop(columns="text"), ans, "id", "text")


def test_mean_levenshtein_averages_the_per_pair_distances_exactly():
    """The distances of all pairs in one call average to the same float as the reference's
    mean of one `Levenshtein.distance` per pair (accents, CJK, emoji, tabs, empty strings)."""
    import random

    import numpy as np
    from Levenshtein import distance

    from mlebench.metrics.signal_edit_distance import mean_levenshtein

    rng = random.Random(0)
    alphabet = "abc xyzé漢😀\t"
    for _ in range(100):
        n = rng.randint(1, 2000)
        truth = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(n)]
        pred = ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(n)]
        expected = float(np.mean([distance(t, p) for t, p in zip(truth, pred, strict=True)]))
        assert mean_levenshtein(truth, pred) == expected
