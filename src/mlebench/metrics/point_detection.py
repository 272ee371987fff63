"""Kuzushiji-style character detection F1: a predicted (label, x, y) point is a true positive when
it lies strictly inside a ground-truth box (label x y width height) with the same label; each
prediction can match at most one box (boxes are taken in order and each takes the first unused
matching prediction). Unmatched boxes are false negatives, unused predictions false positives; F1 is
computed from the totals over all pages.

Hand-computed example (one page):
    truth  "A 0 0 10 10 B 20 20 5 5"      (box A spans (0,10)x(0,10), box B (20,25)x(20,25))
    preds  "A 5 5 A 6 6 B 30 30"
    box A takes the first prediction (5, 5) -> tp=1; the second A point is left over -> fp;
    box B: (30, 30) is outside -> fn=1, and that point is another fp.
    tp=1, fp=2, fn=1 -> precision 1/3, recall 1/2, F1 = 2*(1/3)*(1/2)/(1/3+1/2) = 0.4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mlebench.errors import InvalidSubmissionError


def _check_prediction(pred: object) -> None:
    if not isinstance(pred, str):
        raise InvalidSubmissionError(f"Prediction must be a string of 'label X Y' triples, got {pred!r}.")
    tokens = pred.split(" ")
    if len(tokens) % 3 != 0:
        raise InvalidSubmissionError(f"Malformed prediction string (not 'label X Y' triples): {pred!r}")
    for i in range(len(tokens)):
        if i % 3 == 0:
            continue
        try:
            float(tokens[i])
        except ValueError:
            raise InvalidSubmissionError(f"X and Y values must be numbers: {pred!r}") from None


def page_counts(pred: object, truth: object) -> tuple[int, int, int]:
    """(tp, fp, fn) of one page; `pred`/`truth` are strings or NaN (no characters)."""
    if pd.isna(truth) and pd.isna(pred):
        return 0, 0, 0
    if pd.isna(truth):
        return 0, len(pred.split(" ")) // 3, 0
    if pd.isna(pred):
        return 0, 0, len(truth.split(" ")) // 5
    t = truth.split(" ")
    if len(t) % 5:
        raise ValueError("Malformed solution string")
    t_label = np.array(t[0::5])
    t_xmin = np.array(t[1::5]).astype(float)
    t_ymin = np.array(t[2::5]).astype(float)
    t_xmax = t_xmin + np.array(t[3::5]).astype(float)
    t_ymax = t_ymin + np.array(t[4::5]).astype(float)
    p = pred.split(" ")
    p_label = np.array(p[0::3])
    p_x = np.array(p[1::3]).astype(float)
    p_y = np.array(p[2::3]).astype(float)
    unused = np.ones(len(p_label), dtype=bool)
    tp = fn = 0
    for xmin, xmax, ymin, ymax, label in zip(t_xmin, t_xmax, t_ymin, t_ymax, t_label, strict=True):
        hit = (xmin < p_x) & (xmax > p_x) & (ymin < p_y) & (ymax > p_y) & (p_label == label) & unused
        if hit.any():
            tp += 1
            unused[np.argmax(hit)] = False
        else:
            fn += 1
    return tp, int(unused.sum()), fn


def point_in_box_f1(
    submission: pd.DataFrame,
    answers: pd.DataFrame,
    id_column: str = "image_id",
    labels_column: str = "labels",
) -> float:
    """Micro F1 of predicted character centres against labelled boxes (see the module docstring).

    The submission needs one row per answer id (`id_column`, `labels_column`); labels are
    "label X Y ..." with numeric X, Y, or empty for a page with no predictions.
    """
    if len(submission) != len(answers):
        raise InvalidSubmissionError(f"Submission has {len(submission)} rows, but expected {len(answers)}.")
    missing = [c for c in (id_column, labels_column) if c not in submission.columns]
    if missing:
        raise InvalidSubmissionError(f"Submission must have columns '{id_column}' and '{labels_column}' (missing {missing}).")
    sub = submission.sort_values(id_column).reset_index(drop=True)
    ans = answers.sort_values(id_column).reset_index(drop=True)
    if not (sub[id_column] == ans[id_column]).all():
        raise InvalidSubmissionError(f"Submission '{id_column}' values do not match the test set (missing, unknown or duplicated ids).")
    for pred in sub[labels_column]:
        if not pd.isna(pred):
            _check_prediction(pred)

    tp = fp = fn = 0
    for pred, truth in zip(sub[labels_column].to_numpy(), ans[labels_column].to_numpy(), strict=True):
        a, b, c = page_counts(pred, truth)
        tp, fp, fn = tp + a, fp + b, fn + c
    if tp + fp == 0 or tp + fn == 0:
        return 0.0
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    if precision > 0 and recall > 0:
        return float((2 * precision * recall) / (precision + recall))
    return 0.0
