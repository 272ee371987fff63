import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.point_detection import page_counts, point_in_box_f1


def test_docstring_example():
    assert page_counts("A 5 5 A 6 6 B 30 30", "A 0 0 10 10 B 20 20 5 5") == (1, 2, 1)
    ans = pd.DataFrame({"image_id": ["p"], "labels": ["A 0 0 10 10 B 20 20 5 5"]})
    sub = pd.DataFrame({"image_id": ["p"], "labels": ["A 5 5 A 6 6 B 30 30"]})
    assert point_in_box_f1(sub, ans) == pytest.approx(0.4, abs=1e-12)


def test_edges_are_outside_and_labels_must_match():
    assert page_counts("A 0 5 A 10 5", "A 0 0 10 10") == (0, 2, 1)  # on the border: no match
    assert page_counts("B 5 5", "A 0 0 10 10") == (0, 1, 1)
    assert page_counts(np.nan, "A 0 0 10 10 B 1 1 2 2") == (0, 0, 2)
    assert page_counts("A 1 1 B 2 2", np.nan) == (0, 2, 0)
    assert page_counts(np.nan, np.nan) == (0, 0, 0)


def test_nothing_predicted_scores_zero():
    ans = pd.DataFrame({"image_id": ["p"], "labels": ["A 0 0 10 10"]})
    assert point_in_box_f1(ans.assign(labels=np.nan), ans) == 0.0


@pytest.mark.parametrize("labels", ["A 1", "A x 2", 3])
def test_malformed(labels):
    ans = pd.DataFrame({"image_id": ["p"], "labels": ["A 0 0 10 10"]})
    with pytest.raises(InvalidSubmissionError):
        point_in_box_f1(pd.DataFrame({"image_id": ["p"], "labels": [labels]}), ans)
