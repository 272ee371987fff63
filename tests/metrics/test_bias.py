import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.bias import bias_weighted_auc, generalized_mean

ANSWERS = pd.DataFrame({"id": [1, 2, 3, 4], "toxicity": [1.0, 0.0, 0.9, 0.2],
                        "male": [1.0, 0.8, 0.0, np.nan]})


def test_generalized_mean_hand_computed():
    # ((0.5 ** -5 + 1 ** -5) / 2) ** (1 / -5) = 16.5 ** -0.2
    assert generalized_mean([0.5, 1.0], -5, 2) == pytest.approx(16.5 ** -0.2, abs=1e-12)
    assert generalized_mean([0.7], -5, 1) == pytest.approx(0.7, abs=1e-12)


def test_bias_weighted_auc_hand_computed():
    sub = pd.DataFrame({"id": [4, 3, 2, 1], "prediction": [0.1, 0.8, 0.7, 0.9]})
    # truth [1,0,1,0], male [1,1,0,0], binary predictions [1,1,1,0]: overall 0.75, subgroup 0.5,
    # BPSN 0.5, BNSP 1.0 -> 0.25 * (0.75 + 0.5 + 0.5 + 1.0) = 0.6875
    assert bias_weighted_auc(sub, ANSWERS, ["male"]) == pytest.approx(0.6875, abs=1e-12)
    # the column may be called toxicity; predictions below 0.5 (and NaN) all count as 0
    sub2 = pd.DataFrame({"id": [1, 2, 3, 4], "toxicity": [0.6, 0.49, 0.5, np.nan]})
    assert bias_weighted_auc(sub2, ANSWERS, ["male"]) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("sub", [
    pd.DataFrame({"id": [1, 2, 3, 4], "prediction": ["a", "b", "c", "d"]}),
    pd.DataFrame({"id": [1, 2, 3, 4], "prediction": [0.1] * 4, "toxicity": [0.1] * 4}),
    pd.DataFrame({"id": [1, 2, 3], "prediction": [0.1] * 3}),
    pd.DataFrame({"id": [1, 2, 3, 5], "prediction": [0.1] * 4}),
    pd.DataFrame({"id": [1, 2, 3, 4]}),
])
def test_bias_weighted_auc_invalid(sub):
    with pytest.raises(InvalidSubmissionError):
        bias_weighted_auc(sub, ANSWERS, ["male"])
