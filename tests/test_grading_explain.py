"""A metric library's exception becomes a plain reason naming the column, the row and the expected
kind of value; every reason is bounded where grade results are made."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn import metrics as skm

from mlebench.grade import grade_csv
from mlebench.grading.grader import Grader
from mlebench.grading.result import MAX_REASON_CHARS, GradeResult
from mlebench.text import excerpt


def test_the_issue_example_a_non_boolean_in_a_boolean_column(prepare_synthetic, tmp_path):
    comp = prepare_synthetic("spaceship-titanic")
    df = pd.read_csv(comp.sample_submission, dtype=str)
    df.loc[3, "Transported"] = "maybe"
    df.to_csv(tmp_path / "sub.csv", index=False)
    reason = grade_csv(tmp_path / "sub.csv", comp).invalid_reason
    assert reason == ("Column 'Transported' must hold True or False, as the answers do; "
                      "row 4 has 'maybe'.")


def _grade(fn, submission: dict, answers: dict) -> str | None:
    return Grader("test", fn).grade(pd.DataFrame(submission), pd.DataFrame(answers)).invalid_reason


def test_text_in_a_numeric_column():
    def rmse(sub, ans):
        return skm.mean_squared_error(ans["y"], sub["y"]) ** 0.5  # ValueError: could not convert

    reason = _grade(rmse, {"id": [1, 2, 3], "y": ["0.5", "1.5", "lots"]},
                    {"id": [1, 2, 3], "y": [0.4, 1.2, 2.0]})
    assert reason == "Column 'y' must hold numbers, as the answers do; row 3 has 'lots'."


def test_numbers_among_text_labels_and_how_many():
    def accuracy(sub, ans):
        return skm.accuracy_score(ans["label"], sub["label"])  # TypeError: mix of str and int

    reason = _grade(accuracy, {"label": ["cat", 7, "dog", 9]},
                    {"label": ["cat", "dog", "dog", "cat"]})
    assert reason == ("Column 'label' must hold text labels, as the answers do; row 2 has 7 "
                      "(2 rows are like it).")


def test_an_empty_cell_where_the_answers_have_none():
    def accuracy(sub, ans):
        return skm.accuracy_score(ans["ok"], sub["ok"])

    reason = _grade(accuracy, {"ok": [True, None, False]}, {"ok": [True, True, False]})
    assert reason == "Column 'ok' must hold True or False, as the answers do; row 2 is empty."


def test_a_column_the_grader_indexes_directly_is_named_when_missing():
    reason = _grade(lambda sub, ans: float((sub["y"] == ans["y"]).mean()),
                    {"id": [1], "why": [2.0]}, {"id": [1], "y": [2.0]})
    assert reason == "Submission is missing column 'y'; it has ['id', 'why']."


def test_no_column_at_fault_keeps_a_bounded_line_of_the_library_message():
    def broken(sub, ans):
        raise ValueError("shapes do not align: " + "9" * 100_000 + "\nsecond line")

    reason = _grade(broken, {"y": [1.0]}, {"y": [2.0]})
    assert reason.startswith("Submission could not be scored (ValueError: shapes do not align: 999")
    assert "(100,021 characters)" in reason and "second line" not in reason and len(reason) < 300


@pytest.mark.parametrize("reason", ["z" * 10**6, "line one\nline two " + "w" * 5000])
def test_every_reason_is_one_bounded_line(reason):
    bounded = GradeResult(None, None, reason).invalid_reason
    assert len(bounded) <= MAX_REASON_CHARS + 30 and "\n" not in bounded
    assert bounded.endswith(f"({len(reason):,} characters)")


def test_excerpt():
    assert excerpt("short") == "short"
    assert excerpt("a\nb\x1b[31m") == "a b [31m"
    assert excerpt("x" * 50_000_000) == "x" * 200 + "… (50,000,000 characters)"
