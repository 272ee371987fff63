"""`require_numeric_columns`: many probability columns converted as one block must accept and
refuse exactly what converting them one by one does, with the same message."""

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics import multiclass_log_loss
from mlebench.metrics._validation import require_numeric, require_numeric_columns

COLS = ["a", "b", "c"]


def one_by_one(frame: pd.DataFrame, finite: bool = True) -> np.ndarray:
    return np.column_stack([require_numeric(frame[c], c, finite) for c in COLS])


def message(fn) -> str:
    with pytest.raises(InvalidSubmissionError) as e:
        fn()
    return str(e.value)


def test_numbers_come_back_as_one_float_block() -> None:
    frame = pd.DataFrame({"id": [1, 2], "a": [0.25, 0.5], "b": [1, 0], "c": np.array([3, 4], dtype="uint8")})
    block = require_numeric_columns(frame, COLS)
    assert block.dtype == np.float64 and block.shape == (2, 3)
    np.testing.assert_array_equal(block, [[0.25, 1.0, 3.0], [0.5, 0.0, 4.0]])
    np.testing.assert_array_equal(block, one_by_one(frame))


@pytest.mark.parametrize("bad_b, bad_c", [
    ([np.nan, 0.5], [0.1, 0.2]),          # NaN in b: b is named, not c
    ([0.5, 0.5], [np.inf, 0.2]),          # infinity
    ([0.5, 0.5], ["x", "0.2"]),           # text
    ([np.nan, 0.5], [np.inf, np.nan]),    # two bad columns: the first in order is named
])
def test_bad_columns_are_refused_as_one_by_one(bad_b, bad_c) -> None:
    frame = pd.DataFrame({"a": [0.1, 0.2], "b": bad_b, "c": bad_c})
    expected = message(lambda: one_by_one(frame))
    assert message(lambda: require_numeric_columns(frame, COLS)) == expected
    assert "'b'" in expected or "'c'" in expected


def test_infinity_allowed_when_not_finite() -> None:
    frame = pd.DataFrame({"a": [0.1, np.inf], "b": [0.5, 0.5], "c": [1.0, 2.0]})
    np.testing.assert_array_equal(require_numeric_columns(frame, COLS, finite=False),
                                  one_by_one(frame, finite=False))


def test_text_numbers_still_convert() -> None:
    frame = pd.DataFrame({"a": ["0.5", "1"], "b": [0.5, 0.5], "c": [True, False]})
    np.testing.assert_array_equal(require_numeric_columns(frame, COLS), [[0.5, 0.5, 1.0], [1.0, 0.5, 0.0]])


def test_multiclass_log_loss_hand_computed_and_nan_refused() -> None:
    answers = pd.DataFrame({"id": [1, 2], "a": [1, 0], "b": [0, 1]})
    sub = pd.DataFrame({"id": [2, 1], "a": [0.5, 0.5], "b": [0.5, 0.5]})
    assert multiclass_log_loss(sub, answers, "id", ["a", "b"]) == pytest.approx(np.log(2))
    sub.loc[0, "b"] = np.nan
    with pytest.raises(InvalidSubmissionError, match="Column 'b' has 1 missing/NaN values"):
        multiclass_log_loss(sub, answers, "id", ["a", "b"])


@pytest.mark.parametrize("true, pred", [
    ([1, 2, 2, 3, 3, 3], [1, 2, 3, 3, 3, 1]),                  # integer ids
    ([1, 2, 2, 3, 3, 3], [1.0, 2.0, 3.0, 3.0, 3.0, 1.0]),      # floats against integers
    (list("abbccc"), list("abcccа")),                          # text (the last one is Cyrillic)
    ([1, 2, 2, 3, 3, 3], ["1", "2", "3", "3", "3", "1"]),      # text against numbers
])
@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_f1_scores_as_sklearn_on_the_reference_lists(true, pred, average) -> None:
    """Numeric labels go to sklearn as arrays (no list round trip); the score is the one the
    reference gets by passing Python lists."""
    import sklearn.metrics as skm

    from mlebench.metrics import f1

    ids = list(range(len(true)))
    answers = pd.DataFrame({"id": ids, "y": true})
    sub = pd.DataFrame({"id": ids, "y": pred})
    try:
        expected = skm.f1_score(y_true=answers["y"].tolist(), y_pred=sub["y"].tolist(), average=average)
    except (TypeError, ValueError) as e:  # mixed label types: sklearn refuses, and so do we
        with pytest.raises(type(e)):
            f1(sub, answers, "id", "y", average=average)
        return
    assert f1(sub, answers, "id", "y", average=average) == expected
