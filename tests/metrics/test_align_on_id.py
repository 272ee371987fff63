"""`align_on_id` pairs rows exactly as sorting both frames by id would (the reference's way),
whichever internal path it takes (same order, hashed, exact), and words every id problem."""

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import InvalidSubmissionError
from mlebench.metrics._validation import align_on_id


def _answers(ids) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "y": np.arange(len(ids), dtype=float)})


def _by_sorting(sub: pd.DataFrame, ans: pd.DataFrame) -> pd.DataFrame:
    """The reference's pairing: sort both by id; return the submission's y in the answers' order."""
    s = sub.sort_values("id").reset_index(drop=True)
    a = ans.reset_index().sort_values("id").reset_index(drop=True)
    return s.set_index(a["index"]).sort_index()["y"].reset_index(drop=True)


@pytest.mark.parametrize("ids", [
    [f"img_{i}_{j}" for i in range(20) for j in range(15)],   # string ids
    list(range(1000, 1300)),                                   # integer ids
])
def test_any_order_pairs_rows_like_sorting(ids):
    ans = _answers(ids)
    sub = ans.sample(frac=1, random_state=3).reset_index(drop=True)
    sub["y"] = sub["y"] * 10  # predictions differ from answers, so a wrong pairing would show
    aligned, ans_out = align_on_id(sub, ans, "id", ["y"])
    assert aligned["id"].tolist() == ans["id"].tolist()
    assert aligned["y"].tolist() == _by_sorting(sub, ans).tolist()
    assert aligned["y"].tolist() == (ans["y"] * 10).tolist()
    assert ans_out["y"].tolist() == ans["y"].tolist()


def test_same_order_is_returned_unchanged():
    ans = _answers(["a", "b", "c"])
    sub = pd.DataFrame({"id": ["a", "b", "c"], "y": [7.0, 8.0, 9.0]}, index=[5, 6, 7])
    aligned, _ = align_on_id(sub, ans, "id", ["y"])
    assert aligned["y"].tolist() == [7.0, 8.0, 9.0]
    assert aligned.index.tolist() == [0, 1, 2]


def test_integer_ids_written_as_text_still_match():
    ans = _answers([1, 2, 3])
    sub = pd.DataFrame({"id": ["3", "1", "2"], "y": [3.0, 1.0, 2.0]})
    aligned, _ = align_on_id(sub, ans, "id", ["y"])
    assert aligned["y"].tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("sub_ids, message", [
    (["a", "a", "c"], "duplicate 'id' values, e.g. ['a']"),
    (["a", "b", "zzz"], "unknown e.g. ['zzz'], missing e.g. ['c']"),
    (["a", "b", None], "do not match the test set"),
    ([1.5, "b", "c"], "do not match the test set"),
])
def test_id_problems_are_named(sub_ids, message):
    ans = _answers(["a", "b", "c"])
    sub = pd.DataFrame({"id": sub_ids, "y": [0.0, 1.0, 2.0]})
    with pytest.raises(InvalidSubmissionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        align_on_id(sub, ans, "id", ["y"])


def test_wrong_length_and_missing_column():
    ans = _answers(["a", "b", "c"])
    with pytest.raises(InvalidSubmissionError, match="2 rows but 3 are expected"):
        align_on_id(pd.DataFrame({"id": ["a", "b"], "y": [0.0, 1.0]}), ans, "id", ["y"])
    with pytest.raises(InvalidSubmissionError, match=r"missing column\(s\) \['y'\]"):
        align_on_id(pd.DataFrame({"id": ["a", "b", "c"]}), ans, "id", ["y"])


def test_accuracy_on_text_labels_equals_scikit_learn():
    from sklearn.metrics import accuracy_score

    from mlebench.metrics import accuracy

    rng = np.random.default_rng(0)
    words = np.array(["sil", "<self>", "twenty one", "NA", "nan", "é"], dtype=object)
    truth, pred = words[rng.integers(0, 6, 997)], words[rng.integers(0, 6, 997)]
    ans = pd.DataFrame({"id": np.arange(997), "after": truth})
    sub = pd.DataFrame({"id": np.arange(997)[::-1], "after": pred[::-1]})
    assert accuracy(sub, ans, "id", "after") == accuracy_score(truth, pred)
    assert accuracy(ans, ans, "id", "after") == 1.0


def _arrow_ids(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as the fast reader and the answers cache give it: text ids in Arrow memory."""
    import pyarrow as pa

    out = df.copy()
    out["id"] = pd.array(list(df["id"]), dtype=pd.ArrowDtype(pa.large_string()))
    return out


IDS = [f"img_{i}_{j}" for i in range(20) for j in range(15)]


@pytest.mark.parametrize("arrow_sides", ["both", "submission", "answers"])
def test_arrow_text_ids_pair_rows_like_sorting(arrow_sides):
    ans = _answers(IDS)
    sub = ans.sample(frac=1, random_state=3).reset_index(drop=True)
    sub["y"] = sub["y"] * 10
    expected = _by_sorting(sub, ans).tolist()
    if arrow_sides in ("both", "submission"):
        sub = _arrow_ids(sub)
    if arrow_sides in ("both", "answers"):
        ans = _arrow_ids(ans)
    aligned, ans_out = align_on_id(sub, ans, "id", ["y"])
    assert list(aligned.columns) == ["id", "y"]
    assert aligned["id"].tolist() == IDS
    assert aligned["y"].tolist() == expected == (np.arange(len(IDS)) * 10.0).tolist()
    assert ans_out["y"].tolist() == list(np.arange(len(IDS), dtype=float))


def test_arrow_text_ids_in_the_same_order_are_returned_unchanged():
    ans = _arrow_ids(_answers(["a", "b", "c"]))
    sub = _arrow_ids(pd.DataFrame({"y": [7.0, 8.0, 9.0], "id": ["a", "b", "c"]}, index=[5, 6, 7]))
    aligned, _ = align_on_id(sub, ans, "id", ["y"])
    assert aligned["y"].tolist() == [7.0, 8.0, 9.0]
    assert aligned.index.tolist() == [0, 1, 2]


@pytest.mark.parametrize("sub_ids, message", [
    (["a", "a", "c"], "duplicate 'id' values, e.g. ['a']"),
    (["c", "c", "a"], "duplicate 'id' values, e.g. ['c']"),
    (["a", "b", "zzz"], "unknown e.g. ['zzz'], missing e.g. ['c']"),
])
def test_arrow_text_id_problems_are_named_as_for_python_strings(sub_ids, message):
    ans = _arrow_ids(_answers(["a", "b", "c"]))
    sub = _arrow_ids(pd.DataFrame({"id": sub_ids, "y": [0.0, 1.0, 2.0]}))
    with pytest.raises(InvalidSubmissionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        align_on_id(sub, ans, "id", ["y"])
