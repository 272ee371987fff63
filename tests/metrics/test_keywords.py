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
