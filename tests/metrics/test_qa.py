import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics.qa import natural_questions_micro_f1, word_set_jaccard


def _frames(truths, preds):
    ids = [f"q{i}" for i in range(len(truths))]
    return (pd.DataFrame({"id": ids, "text": preds}), pd.DataFrame({"id": ids, "text": truths}))


def test_word_set_jaccard_hand_computed():
    sub, ans = _frames(["a b c", "x"], ["B C d", "X"])
    # row 1: {b, c} shared of {a, b, c, d} -> 2/4; row 2: 1/1 -> mean 0.75
    assert word_set_jaccard(sub, ans, "id", "text") == pytest.approx(0.75, abs=1e-12)


def test_word_set_jaccard_repeats_and_blanks():
    sub, ans = _frames(["a a b", "z", "w"], ["a", None, ""])
    # row 1: {a} of {a, b} -> 1/2 (repeated words count once); rows 2, 3: blank -> 0 -> mean 1/6
    assert word_set_jaccard(sub, ans, "id", "text") == pytest.approx(1 / 6, abs=1e-12)


def test_word_set_jaccard_both_empty_scores_zero():
    sub, ans = _frames(["a b", ""], ["a b", ""])
    assert word_set_jaccard(sub, ans, "id", "text") == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("preds", [[1.0, 2.0], ["a"], ["a", "b", "c"]])
def test_word_set_jaccard_invalid(preds):
    sub = pd.DataFrame({"id": [f"q{i}" for i in range(len(preds))], "text": preds})
    ans = pd.DataFrame({"id": ["q0", "q1"], "text": ["a", "b"]})
    with pytest.raises(InvalidSubmissionError):
        word_set_jaccard(sub, ans, "id", "text")


ANSWERS = [
    {"example_id": "7", "annotations": [{
        "yes_no_answer": "NONE", "long_answer": {"start_token": 10, "end_token": 20},
        "short_answers": [{"start_token": 12, "end_token": 13}, {"start_token": 15, "end_token": 17}]}]},
    {"example_id": "8", "annotations": [{
        "yes_no_answer": "YES", "long_answer": {"start_token": 3, "end_token": 9}, "short_answers": []}]},
]


def _nq(preds):
    ids = ["7_long", "7_short", "8_long", "8_short"]
    return pd.DataFrame({"example_id": ids, "PredictionString": preds})


def test_natural_questions_hand_computed():
    # 7_long right (1,1); 7_short second span right (1,1); 8_long blank but answer exists (1,0);
    # 8_short "NO" wrong (0,1) -> 2 of 4 rows agree -> 0.5
    assert natural_questions_micro_f1(_nq(["10:20", "15:17", "", "NO"]), ANSWERS) == 0.5
    assert natural_questions_micro_f1(_nq(["10:20", " 12:13 ", "3:9", "YES"]), ANSWERS) == 1.0
    # all blank: every row has an answer -> (1, 0) x 4 -> 0
    assert natural_questions_micro_f1(_nq([None] * 4), ANSWERS) == 0.0


@pytest.mark.parametrize("sub", [
    _nq(["1:2:3", "", "", ""]),
    _nq(["a:b", "", "", ""]),
    _nq(["maybe", "", "", ""]),
    _nq(["", "", "", ""]).iloc[:3],
    _nq(["", "", "", ""]).assign(example_id=["7_long", "7_long", "8_long", "8_short"]),
    _nq(["", "", "", ""]).assign(example_id=["7_long", "7_short", "9_long", "8_short"]),
    _nq(["", "", "", ""]).drop(columns=["PredictionString"]),
])
def test_natural_questions_invalid(sub):
    with pytest.raises(InvalidSubmissionError):
        natural_questions_micro_f1(sub, ANSWERS)
