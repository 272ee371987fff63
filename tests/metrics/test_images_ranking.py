import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.images_ranking import space_separated_map_at_k, split_labels


def test_docstring_example():
    # row 1: w1 at rank 2 -> 1/2; row 2: new_whale at rank 1 -> 1; mean 0.75
    got = space_separated_map_at_k(pd.Series(["w2 w1", "new_whale w1"]), pd.Series(["w1", "new_whale"]), k=5)
    assert got == pytest.approx(0.75, abs=1e-12)


def test_cutoff_and_repeats():
    actual = pd.Series(["a", "b"])
    # a sixth-place hit is beyond k=5; a repeated wrong guess still uses a rank
    predicted = pd.Series(["x y z u v a", "x x b"])
    assert space_separated_map_at_k(predicted, actual, k=5) == pytest.approx((0 + 1 / 3) / 2, abs=1e-12)


def test_cells_are_text_as_pandas_writes_them():
    # ints become "12", floats "12.0", NaN "nan": a float column never matches integer answers
    assert split_labels(pd.Series([12, 7])) == [["12"], ["7"]]
    assert split_labels(pd.Series([12.0, np.nan])) == [["12.0"], ["nan"]]
    assert space_separated_map_at_k(pd.Series([12.0, 7.0]), pd.Series([12, 7])) == 0.0
    assert space_separated_map_at_k(pd.Series(["12 7", "7"]), pd.Series([12, 7])) == 1.0


def test_length_mismatch():
    with pytest.raises(InvalidSubmissionError):
        space_separated_map_at_k(pd.Series(["a"]), pd.Series(["a", "b"]))
