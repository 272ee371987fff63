"""Multi-label keyword (tag) metrics."""

from __future__ import annotations

import warnings

import pandas as pd
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def multilabel_micro_f1(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Micro-averaged F1 of space-separated label sets, counted over the labels that occur in the
    answers: TP, FP and FN are summed over rows and labels, F1 = 2TP / (2TP + FP + FN).
    Predicted labels that never occur in the answers are ignored (the reference binarizes
    predictions with the answers' label set only; reproduced). Blank cells are empty sets.

    Example: answers {1: "a b", 2: "c"}, predictions {1: "a d", 2: "c b"}. Labels {a, b, c}; "d"
    is ignored. TP = 2 (a, c), FP = 1 (b in row 2), FN = 1 (b in row 1): F1 = 4 / 6 = 0.6667.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    predicted = sub[target_column].fillna("").tolist()
    bad = [v for v in predicted if not isinstance(v, str)]
    if bad:
        raise InvalidSubmissionError(
            f"Column '{target_column}' must hold space-separated labels; found {bad[0]!r}.")
    labels = sorted({label for t in ans[target_column] if isinstance(t, str) for label in t.split()})
    binarizer = MultiLabelBinarizer(classes=labels, sparse_output=True)
    y_true = binarizer.fit_transform(ans[target_column].fillna("").str.split())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "unknown class(es) will be ignored"
        y_pred = binarizer.transform([t.split() for t in predicted])
    return float(f1_score(y_true=y_true, y_pred=y_pred, average="micro"))
