"""The fast submission reader gives exactly the frame `pd.read_csv` gives, whether it reuses the
answers' id column (same ids, same order) or falls back to reading everything."""

import pandas as pd
import pytest

from mlebench.tables import read_csv_fast

ANSWERS = pd.DataFrame({"id": ["1_1_1", "1_1_2", "1_2_1", "2_1_1"], "value": [0.1, 0.2, 0.3, 0.4]})
GOOD = "id,value\n1_1_1,0.5\n1_1_2,0.25\n1_2_1,1\n2_1_1,0.125\n"


def _read_both(tmp_path, text: str, answers: pd.DataFrame = ANSWERS):
    path = tmp_path / "submission.csv"
    path.write_bytes(text.encode())
    return read_csv_fast(path, answers), pd.read_csv(path)


def test_ids_in_the_answers_order_are_reused(tmp_path):
    fast, plain = _read_both(tmp_path, GOOD)
    pd.testing.assert_frame_equal(fast, plain)
    assert fast["id"].iloc[0] is ANSWERS["id"].iloc[0]  # the answers' strings, not new ones


@pytest.mark.parametrize("text", [
    "id,value\n1_1_2,0.5\n1_1_1,0.25\n1_2_1,1\n2_1_1,0.125\n",   # another order
    "id,value\n1_1_1,0.5\n1_1_2,0.25\n1_2_1,1\n",                # a row missing
    "id,value\n1_1_1,0.5\n1_1_2,0.25\n1_2_1,1\n2_1_1,0.125\n3_1_1,1\n",  # a row too many
    "id,value\n1_1_1,0.5\n\n1_2_1,1\n2_1_1,0.125\n",              # a blank line
    'id,value\n"1_1_1",0.5\n1_1_2,0.25\n1_2_1,1\n2_1_1,0.125\n',  # quoted id
    "id,value\r\n1_1_1,0.5\r\n1_1_2,0.25\r\n1_2_1,1\r\n2_1_1,0.125\r\n",  # CRLF
    "id,value\n1_1_1,0.5\n1_1_2,0.25\n1_2_1,1\n2_1_1,0.125",      # no final newline
    "id,value\n1_1_1,NA\n1_1_2,\n1_2_1,nan\n2_1_1,0.125\n",       # missing values
    "id,value,extra\n1_1_1,0.5,a\n1_1_2,0.25,b\n1_2_1,1,c\n2_1_1,0.125,d\n",  # more columns
    "value,id\n0.5,1_1_1\n0.25,1_1_2\n1,1_2_1\n0.125,2_1_1\n",    # id not first
    "id,value\n1_1_1 ,0.5\n1_1_2,0.25\n1_2_1,1\n2_1_1,0.125\n",   # trailing space in an id
])
def test_anything_else_reads_as_pandas_reads_it(tmp_path, text):
    fast, plain = _read_both(tmp_path, text)
    pd.testing.assert_frame_equal(fast, plain)


def test_numeric_looking_ids_are_left_to_pandas(tmp_path):
    answers = pd.DataFrame({"id": [1, 2], "value": [0.0, 1.0]})
    fast, plain = _read_both(tmp_path, "id,value\n1,0.5\n2,0.25\n", answers)
    pd.testing.assert_frame_equal(fast, plain)


@pytest.mark.parametrize("text", [
    "id,value\n1_1_1,0.5\n1_1_2,0.25,9\n1_2_1,1\n2_1_1,0.125\n",   # a field too many
    "id,value\n1_1_1,0.5\n1_1_2,0.25,9\n1_2_1\n2_1_1,0.125\n",     # ... balanced by one too few
])
def test_malformed_rows_fail_as_pandas_fails(tmp_path, text):
    path = tmp_path / "submission.csv"
    path.write_text(text)
    with pytest.raises(pd.errors.ParserError):
        pd.read_csv(path)
    with pytest.raises(pd.errors.ParserError):
        read_csv_fast(path, ANSWERS)


def test_a_short_row_reads_as_pandas_reads_it(tmp_path):
    fast, plain = _read_both(tmp_path, "id,value,x\n1_1_1,0.5,1\n1_1_2,0.25\n1_2_1,1,1\n2_1_1,0.125,1\n")
    pd.testing.assert_frame_equal(fast, plain)
