import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.keywords import multilabel_micro_f1

ANSWERS = pd.DataFrame({"Id": [1, 2], "Tags": ["a b", "c"]})


def test_hand_computed():
    sub = pd.DataFrame({"Id": [2, 1], "Tags": ["c b", "a d"]})
    # labels {a, b, c}; d ignored. TP 2 (a, c), FP 1 (b, row 2), FN 1 (b, row 1) -> 4/6
    assert multilabel_micro_f1(sub, ANSWERS, "Id", "Tags") == pytest.approx(2 / 3, abs=1e-12)


def test_perfect_blank_and_unknown_tags():
    assert multilabel_micro_f1(ANSWERS, ANSWERS, "Id", "Tags") == 1.0
    blank = pd.DataFrame({"Id": [1, 2], "Tags": [None, "c"]})
    # TP 1, FN 2 -> 2 / (2 + 2) = 0.5
    assert multilabel_micro_f1(blank, ANSWERS, "Id", "Tags") == pytest.approx(0.5, abs=1e-12)
    unknown = pd.DataFrame({"Id": [1, 2], "Tags": ["a b zz", "c yy"]})
    assert multilabel_micro_f1(unknown, ANSWERS, "Id", "Tags") == 1.0


@pytest.mark.parametrize("sub", [
    pd.DataFrame({"Id": [1, 2], "Tags": [3, 4]}),
    pd.DataFrame({"Id": [1], "Tags": ["a"]}),
    pd.DataFrame({"Id": [1, 1], "Tags": ["a", "c"]}),
    pd.DataFrame({"Id": [1, 3], "Tags": ["a", "c"]}),
    pd.DataFrame({"Id": [1, 2]}),
])
def test_invalid(sub):
    with pytest.raises(InvalidSubmissionError):
        multilabel_micro_f1(sub, ANSWERS, "Id", "Tags")


def _sklearn_micro_f1(predicted: list[str], truth: list[str]) -> float:
    """What the reference computes: the answers' labels binarized, predictions binarized with
    them (unknown ones dropped), sklearn's micro F1."""
    import warnings

    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    labels = sorted({label for t in truth for label in t.split()})
    binarizer = MultiLabelBinarizer(classes=labels, sparse_output=True)
    y_true = binarizer.fit_transform([t.split() for t in truth])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y_pred = binarizer.transform([p.split() for p in predicted])
        return float(f1_score(y_true=y_true, y_pred=y_pred, average="micro"))


def test_counts_from_sets_equal_sklearn_on_the_binarized_labels() -> None:
    """Repeated labels, labels the answers never use, empty cells, tabs and runs of spaces: the
    same float as sklearn on the binarized sets, for many random cases."""
    import random

    rng = random.Random(0)
    vocab = ["c#", "java", "python", "x", "r", "sql", "c++", "go"]
    seps = [" ", "  ", "\t", " \t "]
    for _ in range(200):
        n = rng.randint(1, 30)
        truth = [rng.choice(seps).join(rng.sample(vocab[:6], rng.randint(0, 3))) for _ in range(n)]
        truth[0] += " x r"  # answers use several labels (with one, sklearn sees a binary target)
        predicted = [rng.choice(seps).join(rng.choices(vocab, k=rng.randint(0, 5))) for _ in range(n)]
        sub = pd.DataFrame({"Id": range(n), "Tags": predicted})
        ans = pd.DataFrame({"Id": range(n), "Tags": truth})
        assert multilabel_micro_f1(sub, ans, "Id", "Tags") == _sklearn_micro_f1(predicted, truth)


def test_nothing_predicted_scores_zero() -> None:
    sub = pd.DataFrame({"Id": [1, 2], "Tags": ["", "unknown"]})
    assert multilabel_micro_f1(sub, ANSWERS, "Id", "Tags") == 0.0
    assert _sklearn_micro_f1(["", "unknown"], ["a b", "c"]) == 0.0


def test_split_whitespace_is_str_split() -> None:
    """The byte-level split of a column is Python's str.split() of every cell (missing cells
    have no token; non-ASCII text is left to the row-by-row path)."""
    import random

    import numpy as np

    from mlebench.metrics._tokens import split_whitespace

    rows, tokens = split_whitespace(np.array(["a b", None, " c\t", float("nan"), ""], dtype=object))
    assert rows.tolist() == [0, 0, 2] and tokens.to_pylist() == ["a", "b", "c"]
    assert split_whitespace(np.array(["é"], dtype=object)) is None
    assert split_whitespace(np.array([1, "a"], dtype=object)) is None
    rng = random.Random(0)
    pieces = ["a", "c#", ".net", " ", "  ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f",
              "\x00", "\x05"]
    for _ in range(500):
        cells = [None if rng.random() < 0.1 else
                 "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
                 for _ in range(rng.randint(0, 6))]
        rows, tokens = split_whitespace(np.array(cells, dtype=object))
        assert rows.tolist() == [i for i, c in enumerate(cells) if c for _ in c.split()]
        assert tokens.to_pylist() == [t for c in cells if c for t in c.split()]


def test_counts_equal_python_sets_on_random_cells() -> None:
    """TP, predicted and true label counts the obvious way (Python sets per row), with repeated
    and unknown labels, blank and missing cells, odd whitespace, and rows in another order."""
    import random

    rng = random.Random(1)
    vocab = ["c#", "java", "python", "x", "r", "sql", "c++", "go", "zz"]
    seps = [" ", "  ", "\t", " \n ", "\x1c"]
    for _ in range(200):
        n = rng.randint(1, 40)
        truth = [rng.choice(seps).join(rng.sample(vocab[:7], rng.randint(0, 3))) for _ in range(n)]
        predicted = [None if rng.random() < 0.1 else
                     rng.choice(seps).join(rng.choices(vocab, k=rng.randint(0, 5)))
                     for _ in range(n)]
        labels = {t for cell in truth for t in cell.split()}
        tp = sum(len(set(p.split()) & set(t.split())) for p, t in zip(predicted, truth, strict=True) if p)
        pred = sum(len(set(p.split()) & labels) for p in predicted if p)
        true = sum(len(set(t.split())) for t in truth)
        expected = 2.0 * tp / (pred + true) if pred + true else 0.0
        sub = pd.DataFrame({"Id": range(n), "Tags": predicted}).sample(frac=1, random_state=2)
        ans = pd.DataFrame({"Id": range(n), "Tags": truth})
        assert multilabel_micro_f1(sub, ans, "Id", "Tags") == expected
