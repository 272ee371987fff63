"""Question-answering metrics: word-set Jaccard over answer texts (chaii) and the Natural
Questions span micro-F1 (TensorFlow 2.0 Question Answering)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sklearn.metrics import f1_score, jaccard_score
from sklearn.preprocessing import MultiLabelBinarizer

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def _texts(values: pd.Series, column: str) -> list[str]:
    texts = values.fillna("").tolist()
    bad = [v for v in texts if not isinstance(v, str)]
    if bad:
        raise InvalidSubmissionError(f"Column '{column}' must hold text; found {bad[0]!r}.")
    return texts


def word_set_jaccard(
    submission: pd.DataFrame, answers: pd.DataFrame, id_column: str, target_column: str
) -> float:
    """Mean over rows of |P & T| / |P | T|, where P and T are the sets of lower-cased
    whitespace-separated words of the predicted and true texts (sklearn's `jaccard_score` with
    `average="samples"` on binarized word sets). Blank cells count as empty texts; a row whose
    prediction and answer are both empty scores 0 (sklearn's zero_division default).

    Example: truths ["a b c", "x"], predictions ["B C d", "X"] -> row 1: {b, c} shared of
    {a, b, c, d} = 2/4; row 2: 1/1; mean (0.5 + 1) / 2 = 0.75.
    """
    sub, ans = align_on_id(submission, answers, id_column, [target_column])
    predicted = [set(t.lower().split()) for t in _texts(sub[target_column], target_column)]
    truth = [set(str(t).lower().split()) for t in ans[target_column].fillna("")]
    binarizer = MultiLabelBinarizer(classes=sorted(set().union(*truth, *predicted)), sparse_output=True)
    y_true = binarizer.fit_transform(truth)
    y_pred = binarizer.transform(predicted)
    return float(jaccard_score(y_true, y_pred, average="samples"))


def _parse_prediction(text: str) -> tuple[int, int] | str:
    """`"start:end"` -> (start, end); "YES", "NO" and "" stay as they are."""
    if ":" in text and len(text.split(":")) == 2:
        start, end = text.split(":")
        try:
            return int(start), int(end)
        except ValueError:
            raise InvalidSubmissionError(f"Invalid span {text!r}: expected 'start:end' integers.") from None
    if text in ("YES", "NO", ""):
        return text
    raise InvalidSubmissionError(
        f"Invalid PredictionString {text!r}: expected 'start:end', 'YES', 'NO' or empty.")


def _valid_answers(annotation: dict, kind: str) -> list[tuple[int, int] | str]:
    if kind == "long":
        long = annotation["long_answer"]
        return [] if long["start_token"] == -1 else [(int(long["start_token"]), int(long["end_token"]))]
    valid: list[tuple[int, int] | str] = [
        (int(s["start_token"]), int(s["end_token"])) for s in annotation["short_answers"]]
    if annotation["yes_no_answer"] != "NONE":
        valid.append(annotation["yes_no_answer"])
    return valid


def natural_questions_micro_f1(
    submission: pd.DataFrame,
    answers: Sequence[dict],
    id_column: str = "example_id",
    target_column: str = "PredictionString",
) -> float:
    """Micro-averaged F1 over `<example_id>_long` and `<example_id>_short` rows, as the reference
    grader computes it. Each row becomes a pair (y_true, y_pred): y_pred is 1 when a prediction
    is made; y_true is 1 when that prediction is one of the valid answers (the long-answer span;
    any short-answer span or the YES/NO answer), or, when no prediction is made, when a valid
    answer exists. `answers` are Natural Questions records (`example_id`, `annotations`).

    sklearn's micro average over both labels of this binary encoding equals the share of rows
    where y_true == y_pred, so correct blanks count as hits (a reference quirk, reproduced).

    Example: one example whose long answer is 10:20 and short answer 12:13. Predictions
    long "10:20" -> (1, 1), short "12:14" -> (0, 1): score 1/2. With short "" instead ->
    (1, 0): score 1/2 again; with long "" and short "" for an unanswerable example -> (0, 0),
    (0, 0): score 1.
    """
    if len(submission) != 2 * len(answers):
        raise InvalidSubmissionError(
            f"Submission has {len(submission)} rows; expected {2 * len(answers)} "
            "(a _long and a _short row per example).")
    missing = [c for c in (id_column, target_column) if c not in submission.columns]
    if missing:
        raise InvalidSubmissionError(f"Submission is missing column(s) {missing}.")
    sub = submission[[id_column, target_column]].fillna("").astype(str)
    expected = {f"{a['example_id']}_{kind}" for a in answers for kind in ("long", "short")}
    ids = sub[id_column].tolist()
    if set(ids) != expected:
        unknown = sorted(set(ids) - expected)[:3]
        absent = sorted(expected - set(ids))[:3]
        raise InvalidSubmissionError(
            f"Submission {id_column}s do not match the test set (unknown e.g. {unknown}, "
            f"missing e.g. {absent}); give one _long and one _short row per example.")
    if len(set(ids)) != len(ids):
        raise InvalidSubmissionError(f"Submission has duplicate {id_column}s.")

    annotation_of = {str(a["example_id"]): a["annotations"][0] for a in answers}
    y_true, y_pred = [], []
    for row_id, text in zip(ids, sub[target_column].tolist(), strict=True):
        prediction = _parse_prediction(text.strip())
        example_id, _, kind = row_id.rpartition("_")
        valid = _valid_answers(annotation_of[example_id], kind)
        y_pred.append(1 if prediction else 0)
        y_true.append(int(prediction in valid) if prediction else int(bool(valid)))
    return float(f1_score(y_true=y_true, y_pred=y_pred, average="micro"))
