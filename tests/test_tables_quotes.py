"""Quoted fields: the Arrow submission reader gives exactly `read_csv`'s frame when every quote
sits at a field's edge (or doubles one inside it), and leaves every other quoting to pandas."""

import io

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv, read_csv_arrow


def _same_as_pandas(data: bytes) -> str:
    """"none" if the Arrow reader declines, "same" if its frames are pandas' frame. Text kept in
    Arrow memory (`arrow_text`) may be declined alone, where a text column has missing values;
    with `text_nulls` it is not, and its nulls stand exactly where pandas' NaN do."""
    try:
        expected = read_csv(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - pandas refuses: Arrow must decline too
        expected = None
    for arrow_text, text_nulls in ((False, False), (True, False), (True, True)):
        got = read_csv_arrow(data, arrow_text=arrow_text, text_nulls=text_nulls)
        if got is None and arrow_text and not text_nulls and _missing_text(expected):
            continue
        if got is None:
            return "none"
        assert expected is not None, f"pandas cannot read {data!r}, Arrow did"
        if arrow_text:
            assert all(isinstance(t, pd.ArrowDtype) for t in got.dtypes if t.kind == "O")
            got = got.copy()
            for name in got.columns:
                if isinstance(got[name].dtype, pd.ArrowDtype):  # Arrow nulls: where pandas has NaN
                    values = got[name].to_numpy(dtype=object, na_value=np.nan)
                    got[name] = values
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert list(got.dtypes) == list(expected.dtypes)
        for name in expected.columns:
            if expected[name].dtype == object:  # NaN, not None, where a cell is missing
                assert list(map(type, got[name])) == list(map(type, expected[name]))
            if expected[name].dtype.kind == "f":  # -0.0 and 0.0 too
                e, g = expected[name].to_numpy(), got[name].to_numpy()
                assert (np.isnan(e) == np.isnan(g)).all()
                assert (e[~np.isnan(e)].view("i8") == g[~np.isnan(e)].view("i8")).all()
    return "same"


def _missing_text(frame: pd.DataFrame | None) -> bool:
    return frame is not None and any(
        frame[c].dtype == object and frame[c].isna().any() for c in frame.columns)


@pytest.mark.parametrize("text", [
    'id,after\n"1_0","say ""hi"""\n"1_1",""""\n"1_2","a""b"\n',  # doubled quotes
    'id,after\n"1_0","twenty, one"\n1_1,plain\n',                 # a quoted delimiter
    '"id","a,b"\nx,1\n',                                            # quoted column names
    '"NA","nan"\nx,1\n',                                             # ... never missing
    'id,v\nx,"1.5"\ny,2\n', 'id,v\nx,"1"\ny,"-2"\n',                # quoted numbers are numbers
    'id,v\nx,"NA"\ny,0.5\nz,""\n',                                  # quoted NA tokens are NaN
    'id,after\n"1_0","# not a comment"\n"1_1","back\\slash\\"\n',  # no comment, no escape char
    'image_id,InChI\n1,"InChI=1S/C2H6O/c1-2-3/h3H,2H2,1H3"\n2,"InChI=1S/H2O/h1H2"\n',
    'id,after\n"1_0","x"',                                          # no newline at the end
    'id,v\n"NA",1\n"b",2\n', 'id,v\n"",1\n"b",2\n',              # missing text: NaN in both
    'id,v\nNA,1\nb,2\n,3\n', 'id,after\n1,\n2,word\n3,word\n',
])
def test_quotes_at_field_edges_go_to_arrow(text):
    assert _same_as_pandas(text.encode()) == "same"


@pytest.mark.parametrize("text", [
    'id,v\nab"c,1\n',         # a quote inside an unquoted field
    'id,v\nx,1"\n',
    'id,v\n"ab"c,1\n',        # text after a closing quote (pandas joins it on)
    'id,v\n"0"x,1\n',         # ... which could make "0x"
    'id,v\n "ab",1\n',        # space before an opening quote
    'id,v\n"ab" ,1\n',        # space after a closing quote
    'id,v\nx,1\n"',           # a lone trailing quote
    'id,v\nx,"1\n',           # the file ends inside quotes: pandas fails, Arrow reads it
    'id,v\n"x"",1\n',
    'id,v\nx,"1\n"\ny,2\n',   # a newline inside quotes: Arrow's newlines_in_values, not used
    'id,after\n"1_0","line one\nline two"\n',
    '"multi\nline",v\nx,1\n',
    'id,v\nx," nan"\ny,2\n',  # NaN to Arrow, text to pandas
])
def test_doubtful_quoting_goes_to_pandas(text):
    assert read_csv_arrow(text.encode()) is None


_ATOMS = ["a", "b c", "x,y", "NA", "nan", "", "1", "-2", "+3", "1.5", " 1", "1 ", "-inf", "#", "\\",
          "a\nb", "\n", " ", "1\n", "NAN", "é", 'say "hi"', '"', "InChI=1S/C2H6O/c1-2-3", "1e400"]
_STRAYS = ['"', '" ', ' "', "\n", ",", " \n", "\n\n"]


def _random_csv(rng: np.random.Generator) -> bytes:
    ncols, quoting = int(rng.integers(1, 4)), rng.random()
    kinds = rng.integers(0, 3, ncols)
    lines = [",".join(f'"c{j}"' if rng.random() < quoting else f"c{j}" for j in range(ncols))]
    for _ in range(int(rng.integers(1, 6))):
        row = []
        for kind in kinds:
            if kind == 0:
                value = str(rng.choice(_ATOMS))
            elif kind == 1:
                value = str(rng.choice(["1", "2.5", "-3", "1e-3", "NA", "", "7"]))
            else:
                value = f"{rng.integers(30)}_{rng.integers(30)}"
            odd = rng.random()
            if odd < quoting:
                value = '"' + value.replace('"', '""') + '"'
            elif odd < quoting + 0.05:
                value = '"' + value + str(rng.choice(["", "x", '"', " "]))
            row.append(value)
        lines.append(",".join(row))
    text = "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")
    if rng.random() < 0.15:
        at = int(rng.integers(len(text) + 1))
        text = text[:at] + str(rng.choice(_STRAYS)) + text[at:]
    return text.encode()


def test_random_quoted_csvs_read_as_pandas_reads_them_or_not_at_all():
    rng = np.random.default_rng(20261206)
    outcomes = {"same": 0, "none": 0}
    quoted_same = 0
    for _ in range(400):
        data = _random_csv(rng)
        outcome = _same_as_pandas(data)
        outcomes[outcome] += 1
        quoted_same += outcome == "same" and b'"' in data
    assert quoted_same > 100, outcomes  # the Arrow path does take quoted files


def test_quotes_are_followed_across_the_scan_windows():
    """The quote scan goes in windows of 4 MiB: a file of several is read as pandas reads it, and
    a stray quote past the first window still sends it to pandas."""
    rows = [f'"{i}","say ""hi"", {i}"' for i in range(300_000)]
    data = ("id,text\n" + "\n".join(rows) + "\n").encode()
    assert len(data) > 2 * (4 << 20)
    assert _same_as_pandas(data) == "same"
    at = (4 << 20) + 3
    assert read_csv_arrow(data[:at] + b'x"' + data[at:]) is None
