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
