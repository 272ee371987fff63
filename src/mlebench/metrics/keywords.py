"""Multi-label keyword (tag) metrics."""

from __future__ import annotations

import pandas as pd

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
    true_sets = [set(t.split()) if isinstance(t, str) else set()
                 for t in ans[target_column].fillna("").tolist()]
    labels = set().union(*true_sets)
    # The counts sklearn takes from the binarized label sets (MultiLabelBinarizer with the
    # answers' labels, then f1_score(average="micro")), straight from the sets: a row's repeated
    # label counts once, a label absent from the answers not at all.
    true_sum, tp, pred_sum = sum(map(len, true_sets)), 0, 0
    for p, true in zip(predicted, true_sets, strict=True):
        pred = set(p.split())
        pred_sum += len(pred & labels)
        tp += len(pred & true)
    denominator = true_sum + pred_sum
    # sklearn's F = (1 + beta^2) tp / (beta^2 true + pred): one division of exact integers, so
    # the same float; 0 when nothing is true or predicted (its zero_division default).
    return 2.0 * tp / denominator if denominator else 0.0
