import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.media_labels import macro_f1_integer_labels


def test_hand_checked_macro_f1():
    answers = pd.DataFrame({"Id": [0, 1, 2], "Predicted": [1, 1, 2]})
    sub = pd.DataFrame({"Id": [2, 1, 0], "Predicted": [2, 2, 1]})
    # class 1: P 1, R 1/2 -> 2/3; class 2: P 1/2, R 1 -> 2/3
    assert macro_f1_integer_labels(sub, answers, "Id", "Predicted") == pytest.approx(2 / 3)
    # truncated like int(): 2.9 -> 2, 1.2 -> 1
    truncated = sub.assign(Predicted=[2.9, 2.2, 1.2])
    assert macro_f1_integer_labels(truncated, answers, "Id", "Predicted") == pytest.approx(2 / 3)


def test_invalid():
    answers = pd.DataFrame({"Id": [0, 1], "Predicted": [1, 2]})
    for sub in [pd.DataFrame({"Id": [0, 1], "Predicted": [1, None]}),
                pd.DataFrame({"Id": [0, 1], "Predicted": ["a", 2]}),
                pd.DataFrame({"Id": [0, 0], "Predicted": [1, 2]}),
                pd.DataFrame({"Id": [0, 1]})]:
        with pytest.raises(InvalidSubmissionError):
            macro_f1_integer_labels(sub, answers, "Id", "Predicted")
