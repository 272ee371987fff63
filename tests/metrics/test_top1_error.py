import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.top1_error import top1_error


def test_docstring_example():
    answers = pd.DataFrame({"id": ["a", "b", "c"], "predicted": [3, 7, 1]})
    sub = pd.DataFrame({"id": ["a", "b", "c"], "predicted": ["3 5 9", "2 7", 1]}, dtype=object)
    assert top1_error(sub, answers) == pytest.approx(1 / 3, abs=1e-12)


def test_all_right_and_all_wrong():
    answers = pd.DataFrame({"id": [1, 2], "predicted": [4, 5]})
    assert top1_error(answers, answers) == 0.0
    assert top1_error(answers.assign(predicted=[5, 4]), answers) == 1.0


@pytest.mark.parametrize("bad", [[4.0, 5.0], ["x", "5"], ["", "5"], ["4.5 1", "5"]])
def test_non_integer_predictions_are_invalid(bad):
    answers = pd.DataFrame({"id": [1, 2], "predicted": [4, 5]})
    with pytest.raises(InvalidSubmissionError):
        top1_error(pd.DataFrame({"id": [1, 2], "predicted": bad}), answers)


def test_ids_must_match():
    answers = pd.DataFrame({"id": [1, 2], "predicted": [4, 5]})
    with pytest.raises(InvalidSubmissionError):
        top1_error(pd.DataFrame({"id": [1, 1], "predicted": [4, 5]}), answers)
