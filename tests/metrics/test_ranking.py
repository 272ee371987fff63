"""MAP@k of space-separated texts (`mean_average_precision_at_k_of_texts`, H&M's metric): the
vectorised computation against a hand-computed case and a plain loop, float for float."""

import importlib
import random

import numpy as np
import pandas as pd

from mlebench.metrics.ranking import mean_average_precision_at_k_of_texts


def _slow_map(actual: list[str], predicted: list[str], k: int) -> float:
    """MAP@k the obvious way: per row, walk the first k predictions, count a relevant one the
    first time it appears, add hits / rank; divide by min(#relevant, k); mean over rows."""
    scores = []
    for a, p in zip(actual, predicted, strict=True):
        relevant = set(a.split(" "))
        hits, score, seen = 0, 0.0, []
        for rank, item in enumerate(p.split(" ")[:k], start=1):
            if item in relevant and item not in seen:
                hits += 1
                score += hits / rank
            seen.append(item)
        scores.append(score / min(len(relevant), k))
    return float(np.mean(scores))


def test_hand_computed():
    # row 1: hits at ranks 1 and 3 -> (1/1 + 2/3) / 2 = 5/6; row 2: hit at rank 2 -> 1/2
    got = mean_average_precision_at_k_of_texts(["1 2", "5"], ["2 3 1", "7 5"], k=3)
    assert abs(got - (5 / 6 + 1 / 2) / 2) < 1e-15
    assert got == _slow_map(["1 2", "5"], ["2 3 1", "7 5"], 3)
    # repeats count once; a hit beyond rank k does not count; "" is a token like any other
    assert mean_average_precision_at_k_of_texts(["a"], ["a a"], k=2) == 1.0
    assert mean_average_precision_at_k_of_texts(["a"], ["b a"], k=1) == 0.0
    assert mean_average_precision_at_k_of_texts([""], ["x "], k=2) == 0.5


def test_equals_the_plain_loop_on_random_texts():
    rng = random.Random(0)
    for _ in range(300):
        n, k = rng.randint(1, 40), rng.choice([1, 2, 5, 12])
        vocab = [str(v) for v in range(rng.randint(1, 30))] + ["", "é", "0706016001"]

        def text(vocab=vocab):
            return " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 20)))

        actual, predicted = [text() for _ in range(n)], [text() for _ in range(n)]
        assert mean_average_precision_at_k_of_texts(actual, predicted, k) == \
            _slow_map(actual, predicted, k)


def test_h_and_m_grade_equals_the_plain_loop():
    """The grader pairs each customer with its own row (extra customers ignored, any row order)
    and takes the mean in ascending customer_id order, as sorting both tables does."""
    grade = importlib.import_module(
        "mlebench.competitions.h-and-m-personalized-fashion-recommendations.grade").grade
    rng = random.Random(1)
    vocab = [f"0{v:09d}" for v in range(25)]  # article ids, leading zero and all

    def text(m):
        return " ".join(rng.choice(vocab) for _ in range(m))

    for _ in range(60):
        n = rng.randint(1, 60)
        ids = rng.sample([f"{v:064x}" for v in range(1000)], n + 10)
        answers = pd.DataFrame({"customer_id": ids[:n],
                                "prediction": [text(rng.randint(1, 5)) for _ in range(n)]})
        submission = pd.DataFrame({"customer_id": ids,  # 10 customers without purchases
                                   "prediction": [text(rng.randint(0, 14)) for _ in ids]})
        submission = submission.sample(frac=1, random_state=rng.randint(0, 99))
        by_id = dict(zip(submission.customer_id, submission.prediction, strict=True))
        order = sorted(answers.customer_id)
        truth = dict(zip(answers.customer_id, answers.prediction, strict=True))
        expected = _slow_map([truth[c] for c in order], [by_id[c] for c in order], 12)
        assert grade(submission, answers) == expected
