"""The Arrow submission reader gives exactly the frame `read_csv` gives, or leaves the file to
pandas."""

import io

import pandas as pd
import pytest


def _as_pandas_would(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow text columns as the Python strings read_csv makes of them."""
    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.ArrowDtype):
            out[name] = out[name].to_numpy(dtype=object)
    return out


def test_arrow_reader_gives_read_csvs_frame_bit_for_bit():
    import numpy as np

    from mlebench.tables import read_csv, read_csv_arrow

    rng = np.random.default_rng(0)
    n = 40_000
    values = np.concatenate([rng.random(n), rng.standard_normal(n) * 10.0 ** rng.integers(-300, 300, n)])
    tokens = [f"{v:.17g}" for v in values[:n]] + [f"{v:.25e}" for v in values[n:]]
    tokens += ["0.1234567890123456789012345678901234567890", "123456789012345678.5e-3",
               "-0", "2.4703282292062327e-324", "2.4703282292062328e-324", "9007199254740993",
               "1.7976931348623157e308", "-1e400", "1e-400", "1E5", ".5", "5.", "+0.5", "-inf",
               "nan", "NA", ""]
    ints = rng.integers(-(2**62), 2**62, len(tokens))
    text = "id,value,count,label\n" + "".join(
        f"{i}_x,{t},{k},{'a' if i % 3 else 'b c'}\n" for i, (t, k) in enumerate(zip(tokens, ints, strict=True)))
    data = text.encode()
    got = read_csv_arrow(data, arrow_text=True)
    expected = read_csv(io.BytesIO(data))
    assert got is not None
    assert isinstance(got["id"].dtype, pd.ArrowDtype)
    pd.testing.assert_frame_equal(read_csv_arrow(data), expected, check_exact=True)
    assert list(got.dtypes.astype(str)) == ["large_string[pyarrow]", "float64", "int64", "large_string[pyarrow]"]
    pd.testing.assert_frame_equal(_as_pandas_would(got), expected, check_exact=True)
    assert (got["value"].to_numpy().view("int64") == expected["value"].to_numpy().view("int64")).all()


@pytest.mark.parametrize("text", [
    "id,value\r\na,0.5\r\n",               # CR
    "\ufeffid,value\na,0.5\n",             # byte-order mark
    "id,id\na,0.5\n",                      # duplicate names (pandas renames)
    "id,\na,0.5\n",                        # an empty name
    "id,value\na,1e400\n",                 # pandas keeps an overflowing token as text
    "id,value\na,inf\n",                   # +inf: decided by pandas
    "id,value\na,9223372036854775808\n",   # past int64: pandas makes it uint64
    "id,value\na,True\nb,False\n",         # booleans
    "id,value\na,2020-01-01\n",            # dates: text to pandas, a date to Arrow
    "id,value\na,\nNA,0.5\n",               # a missing value in a text column
    "id,value\n1.5.2,0.5\n",                # text made of number characters: left to pandas
    "id,value\na,0x10\n",                   # hexadecimal: an integer to Arrow, text to pandas
    "id,value\na,+1\nb,2\n",                 # a signed integer: float64 to Arrow, int64 to pandas
    "id,value\na,-9223372036854775809\n",   # below int64: text to pandas
    "id,value\na,0.5\nb,0.5,7\n",           # a ragged row
    "id,value\na,12345678901234567890123.45\nb,0.5\n",  # overflows int64 first: text to pandas
    "id,value\na,92233720368547758081e-400\nb,0.5\n",  # ... whatever its value
    "id,value\na,NAN\nb,0.5\n",                # NaN to Arrow, text to pandas
    "id,value\na, nan\nb,0.5\n",
    "id,value\na, -inf\nb,0.5\n",              # -inf to Arrow, text to pandas
    "v\nx\n \t\ny\n",                         # pandas skips a line of spaces, Arrow reads it
    " \nv\nx\n",
    "v\n1\x0b\n2\n",                          # pandas strips ASCII whitespace off numbers
    "id,value\na,\x00\n",                      # NUL: NaN to pandas
    "id,value\n",                           # no rows
])
def test_arrow_reader_leaves_every_doubt_to_pandas(text):
    from mlebench.tables import read_csv_arrow

    assert read_csv_arrow(text.encode()) is None


def test_arrow_reader_keeps_text_that_only_looks_numeric_somewhere():
    from mlebench.tables import read_csv, read_csv_arrow

    data = b"id,value\n1.5,0.5\nx1,0.25\n"  # one id is not a number: pandas keeps the column as text
    got = read_csv_arrow(data)
    assert got is not None
    pd.testing.assert_frame_equal(_as_pandas_would(got), read_csv(io.BytesIO(data)), check_exact=True)


@pytest.mark.parametrize("text", [
    "v\n 0.5\n0.25\n", "v\n0.5 \n0.25\n", "v\n 1\n2 \n", "v\n007\n8\n", "v\n1e5\n2\n",
    "v\n1.0\n2\n", "v\n1_000\n2\n", "v\nabc \n d\n", "v\n\t1\n2\n", "v\n1\n\n2\n",
    "v\n9223372036854775807\n1\n", "v\n-9223372036854775808\n1\n", "v\nTrue\nx\n", "v\n1\nx\n",
    "v\nnan\n1\n", "v\n#N/A\n1\n", "v\nNone\n1\n", "v\n1\n-0\n", "v,w\nx,1\ny,2\n\n\n",
    "a b,c\nx,1\n", "\u00e9,c\nx,1\n", "v\nx\u00a0\ny\n", "v\n1e-5000\n2\n", "v\n00.5\n1\n",
    "v\ne5\nx\n", "v\n1E+05\n2.5\n", "v\n1d5\n2\n", "id,v\n1,2\n",
])
def test_arrow_reader_reads_odd_but_agreed_tokens_as_pandas_does(text):
    from mlebench.tables import read_csv, read_csv_arrow

    data = text.encode()
    got = read_csv_arrow(data)
    assert got is not None
    pd.testing.assert_frame_equal(got, read_csv(io.BytesIO(data)), check_exact=True)


@pytest.mark.parametrize("token, arrow", [
    ("92233720368547758081e-400", False),  # starts with digits past int64: pandas reads text
    ("-00012345678901234567890.5", False),
    ("0.00012345678901234567891", True),   # a long run of digits, but after the point
])
def test_a_long_leading_digit_run_is_found_wherever_it_falls(token, arrow):
    """The search for tokens that start past int64 goes in windows of a few MiB: the token is
    put across the first window's end, and at the file's end."""
    from mlebench.tables import read_csv, read_csv_arrow

    header, row, line = b"id,value\n", b"a,0.5e-3\n", b"x," + token.encode() + b"\n"
    across = header + row * (((4 << 20) - len(header) - 6) // len(row))  # digits cross 4 MiB
    for data in (across + line + row * 10, header + row * 1000 + line):
        frame = read_csv_arrow(data)
        assert (frame is not None) == arrow
        if arrow:
            pd.testing.assert_frame_equal(frame, read_csv(io.BytesIO(data)), check_exact=True)


def test_small_wide_files_are_left_to_pandas_and_long_ones_to_arrow():
    """A hundred rows of 120 probability columns parse quicker in pandas (Arrow sets up
    every column); a long narrow file, or a wide one with many rows, quicker in Arrow."""
    from mlebench.tables import pandas_reads_quicker

    def csv(columns: int, rows: int) -> bytes:
        header = ",".join(["id"] + [f"p{j}" for j in range(columns)])
        line = ",".join(["abc"] + ["0.0083333"] * columns)
        return (header + "\n" + (line + "\n") * rows).encode()

    assert pandas_reads_quicker(csv(120, 100))
    assert not pandas_reads_quicker(csv(120, 3000))
    assert not pandas_reads_quicker(csv(1, 2000))
    assert pandas_reads_quicker(b"id,value")  # no newline: the header is all there is
