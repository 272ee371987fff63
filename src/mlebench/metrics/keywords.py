"""Multi-label keyword (tag) metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._tokens import split_whitespace
from mlebench.metrics._validation import align_on_id, require_columns


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
    # Aligned through a frame of row numbers: the same checks and errors as aligning the
    # submission itself, without copying its text column twice (take, then reset_index).
    require_columns(submission, [id_column, target_column])
    rows = pd.DataFrame({id_column: submission[id_column].array,  # its dtype kept
                         target_column: np.arange(len(submission))})
    rows, _ = align_on_id(rows, answers[[id_column]], id_column, [target_column])
    predicted = submission[target_column].iloc[rows[target_column].to_numpy()]
    truth = answers[target_column]
    counts = _counts_by_arrays(predicted.to_numpy(), truth.to_numpy())
    if counts is None:  # unusual cells: set by set, the first bad cell named
        counts = _counts_by_sets(predicted, truth, target_column)
    tp, pred_sum, true_sum = counts
    denominator = true_sum + pred_sum
    # sklearn's F = (1 + beta^2) tp / (beta^2 true + pred): one division of exact integers, so
    # the same float; 0 when nothing is true or predicted (its zero_division default).
    return 2.0 * tp / denominator if denominator else 0.0


def _counts_by_sets(predicted: pd.Series, truth: pd.Series, target_column: str
                    ) -> tuple[int, int, int]:
    """(TP, predicted, true) label counts, row by row with Python sets."""
    predicted = predicted.fillna("").tolist()
    bad = [v for v in predicted if not isinstance(v, str)]
    if bad:
        raise InvalidSubmissionError(
            f"Column '{target_column}' must hold space-separated labels; found {bad[0]!r}.")
    true_sets = [set(t.split()) if isinstance(t, str) else set()
                 for t in truth.fillna("").tolist()]
    labels = set().union(*true_sets)
    # The counts sklearn takes from the binarized label sets (MultiLabelBinarizer with the
    # answers' labels, then f1_score(average="micro")), straight from the sets: a row's repeated
    # label counts once, a label absent from the answers not at all.
    true_sum, tp, pred_sum = sum(map(len, true_sets)), 0, 0
    for p, true in zip(predicted, true_sets, strict=True):
        pred = set(p.split())
        pred_sum += len(pred & labels)
        tp += len(pred & true)
    return tp, pred_sum, true_sum


def _counts_by_arrays(predicted: np.ndarray, truth: np.ndarray) -> tuple[int, int, int] | None:
    """`_counts_by_sets` without a Python loop per row, each (row, label) pair an integer; None
    unless every cell is text or missing and ASCII (see `split_whitespace`), so that the
    row-by-row path decides the rest."""
    import pyarrow as pa  # lazy: importing pyarrow costs ~0.1 s

    true_tokens = split_whitespace(truth)
    pred_tokens = split_whitespace(predicted)
    if true_tokens is None or pred_tokens is None:
        return None
    (t_rows, t_tok), (p_rows, p_tok) = true_tokens, pred_tokens
    # The answers' labels come first, so they are codes 0 .. n_labels - 1.
    codes = pa.concat_arrays([t_tok, p_tok]).dictionary_encode().indices.to_numpy()
    codes = codes.astype(np.int64)
    t_codes, p_codes = codes[: len(t_tok)], codes[len(t_tok):]
    n_labels = int(t_codes.max()) + 1 if len(t_codes) else 0
    width = n_labels + 1
    labelled = p_codes < n_labels  # a label absent from the answers is not counted
    true_pairs = _distinct(t_rows * width + t_codes)
    pred_pairs = _distinct(p_rows[labelled] * width + p_codes[labelled])
    # both are sets: their common pairs are the repeats of the union
    tp = len(true_pairs) + len(pred_pairs) - len(_distinct(np.concatenate([true_pairs, pred_pairs])))
    return tp, len(pred_pairs), len(true_pairs)


def _distinct(keys: np.ndarray) -> np.ndarray:
    # a stable sort (timsort) is quick here: keys arrive nearly sorted, row by row
    keys = np.sort(keys, kind="stable")
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
