"""A CSV's lines as pandas' round trip would write them, without parsing: for preparers that
shuffle or split rows (taxi's 55M rows, the Tabular Playground's 900k).

The reference reads such files with pandas (round-trip float parsing) and writes rows back with
`to_csv`. For a text that is already what `to_csv` writes, that round trip is the identity:

- a text column (a character no number has, e.g. `:`) keeps its text;
- an integer column of canonical integers (`0`, `-12`; at most 15 digits) keeps its text;
- a float column writes `repr(float(text))`, which is the text itself for a canonical decimal
  (`-73.98`, `4.5`, `0.0`: no exponent, no leading or trailing zeros, at most 15 digits, so the
  shortest round-trip repr has the same digits; at least 1e-4 in size, so repr writes no
  exponent), the text plus `.0` for a canonical integer, and nothing for an empty field (NaN).

So each block of lines is classified with a few numpy passes over its bytes, `.0` is inserted
where an integer sits in a float column, and the rare other decimals (`40.7200`, `.5`) are
formatted by numpy as `to_csv` does. Anything this does not model (quotes, CR, a field pandas
would read as NaN or as an exponent, a column of text and numbers, a line of another width)
raises `Unstreamable`, and the caller uses its pandas path instead: the output bytes never depend
on which path ran. A column's kind is only known after the whole file; if a later block widens
it (an empty `passenger_count` makes that column float), the split is redone with the kinds known.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

BLOCK_BYTES = 4 << 20  # numpy's temporaries stay small enough to be reused, not page-faulted anew
MAX_FIELD = 255
# Class codes, summed per field (uint16 running sums): digits and separators 0, "." 1, "-" 4,
# exponent characters 16, anything else 64. A plain number has a sum of 0 (digits), 1 (one dot),
# 4 or 5 (the same with a leading minus); 16-63 means an exponent or a plus sign (checked one by
# one with `float`); a field with any other character sums to 64 or more (so does a run of 4+
# exponent characters or 16+ minus signs: not numbers either).
_CODES = np.full(256, 64, dtype=np.uint8)
_CODES[ord("0"):ord("9") + 1] = 0
_CODES[[ord(","), ord("\n")]] = 0  # separators: summed with the field before them
_CODES[ord(".")] = 1
_CODES[ord("-")] = 4
_CODES[[ord("e"), ord("E"), ord("+")]] = 16
# pandas' default NA strings and the words its float parser reads as numbers.
_SPECIAL = {"", "#n/a", "#n/a n/a", "#na", "-1.#ind", "-1.#qnan", "-nan", "1.#ind", "1.#qnan",
            "<na>", "n/a", "na", "nan", "null", "none", "inf", "-inf", "+inf", "infinity",
            "-infinity", "+infinity", "true", "false"}
_SPECIAL_LEN = max(map(len, _SPECIAL))
_SPECIAL_START = np.zeros(256, dtype=bool)
for _word in _SPECIAL:
    for _start in {_word[:1], _word[:1].upper()} - {""}:
        _SPECIAL_START[ord(_start)] = True
_SPECIAL_START[[ord(" "), ord("\t")]] = True  # " NA" after strip()
_ZERO, _DOT_CHAR, _MINUS_CHAR = ord("0"), ord("."), ord("-")

TEXT, INT, FLOAT = "text", "int", "float"


class Unstreamable(Exception):
    """The file holds something whose pandas round trip this module does not reproduce."""


class KindsChanged(Exception):
    """A column read as integers so far holds a float or an empty field: redo with `kinds`."""

    def __init__(self, kinds: list[str | None]):
        self.kinds = kinds


def header_names(path: Path) -> tuple[bytes, list[str]]:
    with open(path, "rb") as f:
        line = f.readline(1 << 16)
    if not line.endswith(b"\n") or line.startswith(b"\xef\xbb\xbf"):
        raise Unstreamable("header")
    try:
        names = line[:-1].decode("utf-8").split(",")
    except UnicodeDecodeError as e:
        raise Unstreamable("header encoding") from e
    if len(set(names)) != len(names) or any(not n or '"' in n or "\r" in n for n in names):
        raise Unstreamable("header names")
    if len(names) < 2:  # one column: a blank line would be a row here but skipped by pandas
        raise Unstreamable("a single column")
    return line, names


def blocks(path: Path, header_len: int):
    """Yield newline-terminated blocks of whole lines after the header."""
    carry = b""
    with open(path, "rb") as f:
        f.seek(header_len)
        while True:
            data = f.read(BLOCK_BYTES)
            if not data:
                break
            data = carry + data
            cut = data.rfind(b"\n") + 1
            carry = data[cut:]
            if cut:
                yield data[:cut]
    if carry:
        yield carry + b"\n"


def _float_text(field: bytes) -> bytes:
    """`to_csv`'s text of a float64 read from `field` with round-trip parsing."""
    return np.array([float(field)], dtype=np.float64).astype(str)[0].encode()


def split_block(block: bytes, kinds: list[str | None]):
    """(the block's lines as `to_csv` writes them, their start and end offsets in `block`, the
    column kinds so far including this block). Raises Unstreamable, or KindsChanged (with the
    widened kinds) when an integer column of earlier blocks turns out to be a float column."""
    n_cols = len(kinds)
    if b'"' in block or b"\r" in block:
        raise Unstreamable("quotes or CR")
    if not block.isascii():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Unstreamable("encoding") from e
    a = np.frombuffer(block, dtype=np.uint8)
    nl = np.flatnonzero(a == 10)
    n = len(nl)
    commas = np.flatnonzero(a == 44)
    k = n_cols - 1
    if len(commas) != k * n:
        raise Unstreamable("ragged lines")
    line_starts = np.empty(n, dtype=np.int64)
    line_starts[0], line_starts[1:] = 0, nl[:-1] + 1
    c = commas.reshape(n, k)
    if k and not ((c[:, 0] >= line_starts).all() and (c[:, -1] < nl).all()):
        raise Unstreamable("ragged lines")
    starts = np.column_stack([line_starts, c + 1])
    ends = np.column_stack([c, nl])
    lengths = ends - starts
    if lengths.max() > MAX_FIELD:
        raise Unstreamable("long field")
    # Per-field sums of the class codes as differences of a running sum: uint16 wraps around, but
    # a difference is exact because every field's own sum is below 2**16.
    running = np.empty(len(a) + 1, dtype=np.uint16)
    running[0] = 0
    np.cumsum(np.take(_CODES, a), dtype=np.uint16, out=running[1:])
    sums = running[ends] - running[starts]
    del running

    block_kinds, insert_at, odd_rows, widened = [], [], np.zeros(n, dtype=bool), False
    last_byte = len(a) - 1
    for j in range(n_cols):
        s, ln, st = sums[:, j], lengths[:, j], starts[:, j]
        empty = ln == 0
        text = s >= 64
        if text.any():
            if not (text | empty).all():
                raise Unstreamable(f"column {j}: text and numbers")
            # Only fields that could be one of those words are looked at one by one.
            short = np.flatnonzero(text & (ln <= _SPECIAL_LEN) & _SPECIAL_START[a[st]])
            if any(block[st[i]:st[i] + ln[i]].decode().strip().lower() in _SPECIAL for i in short):
                raise Unstreamable(f"column {j}: NA-like text")
            block_kinds.append(_merge_kind(kinds[j], TEXT))
            continue
        expo = s >= 16
        if expo.any():  # "5e-05": a float whatever else the column holds; rewritten below
            for i in np.flatnonzero(expo).tolist():
                field = block[st[i]:st[i] + ln[i]]
                if b"e" not in field.lower():
                    raise Unstreamable(f"column {j}: a plus sign")  # "+5" is an int to pandas
                try:
                    float(field)
                except ValueError as e:
                    raise Unstreamable(f"column {j}: not a number") from e
            s = np.where(expo, 0, s)
        signed = s >= 4
        if (s & ~np.uint16(5)).any() or (signed & (a[st] != _MINUS_CHAR)).any():
            raise Unstreamable(f"column {j}: sign or dots")
        has_dot = (s & 1).astype(bool)
        digits = ln - has_dot - signed
        s0 = st + signed  # first digit
        d0 = a[np.minimum(s0, last_byte)]
        nonempty = ~empty
        is_int = nonempty & ~has_dot & ~expo
        int_ok = is_int & (digits >= 1) & (digits <= 15) & ((d0 != _ZERO) | ((digits == 1) & ~signed))
        if (is_int & ~int_ok).any():  # "-0", "007", 16+ digits: pandas' int/float paths differ
            raise Unstreamable(f"column {j}: non-canonical integer")
        got = None if empty.all() else INT if is_int.all() else FLOAT
        kind = _merge_kind(kinds[j], got)
        widened |= kinds[j] == INT and kind == FLOAT
        block_kinds.append(kind)
        if kind != FLOAT:
            continue
        insert_at.append(ends[is_int, j])
        odd_rows |= expo
        dec = np.flatnonzero(has_dot & ~expo)
        if not len(dec):
            continue
        if (digits[dec] == 0).any():
            raise Unstreamable(f"column {j}: a dot without digits")
        s0d, end = s0[dec], st[dec] + ln[dec]
        first, after, last, before_last = a[s0d], a[s0d + 1], a[end - 1], a[end - 2]
        dec_ok = ((digits[dec] <= 15) & (first != _DOT_CHAR) & (last != _DOT_CHAR)
                  & ((first != _ZERO) | (after == _DOT_CHAR))
                  & ((last != _ZERO) | (before_last == _DOT_CHAR)))
        tiny = np.flatnonzero((first == _ZERO) & (end - s0d >= 6))  # 0.0000x: repr has an exponent
        if len(tiny):
            four = np.ones(len(tiny), dtype=bool)
            for off in range(2, 6):
                four &= a[s0d[tiny] + off] == _ZERO
            dec_ok[tiny[four]] = False
        odd_rows[dec[~dec_ok]] = True
    if widened:
        raise KindsChanged(block_kinds)
    kinds = block_kinds

    if insert_at:
        at = np.sort(np.concatenate(insert_at))
        out = np.insert(a, np.repeat(at, 2), np.tile(np.frombuffer(b".0", np.uint8), len(at)))
        lines = out.tobytes().split(b"\n")[:-1]
    else:
        lines = block.split(b"\n")[:-1]
    if len(lines) != n:
        raise Unstreamable("line count")
    for i in np.flatnonzero(odd_rows).tolist():
        fields = block[line_starts[i]:nl[i]].split(b",")
        lines[i] = b",".join(_field_text(f, kinds[j]) for j, f in enumerate(fields))
    return lines, line_starts, nl, kinds


def read_lines(path: Path, n_cols: int) -> list[bytes]:
    """Every data line of `path` (no newline) as `to_csv` writes that row after `read_csv`, all
    in memory (for files of a few hundred MB). Raises Unstreamable."""
    header, names = header_names(path)
    if len(names) != n_cols:
        raise Unstreamable("header")
    kinds: list[str | None] = [None] * n_cols
    while True:  # again only when an int column turned float: at most once per column
        lines: list[bytes] = []
        try:
            for block in blocks(path, len(header)):
                block_lines, _, _, kinds = split_block(block, kinds)
                lines.extend(block_lines)
            return lines
        except KindsChanged as again:
            kinds = again.kinds


def _field_text(field: bytes, kind: str) -> bytes:
    if kind != FLOAT or not field:
        return field
    return _float_text(field)


def _merge_kind(have: str | None, got: str | None) -> str | None:
    """The kind a whole-file read gives a column seen as `have` so far and `got` in one block
    (None: only empty fields so far, which every kind writes as an empty field)."""
    if have is None or have == got:
        return got
    if got is None:
        return have
    if TEXT in (have, got):
        raise Unstreamable("a column of text and numbers")
    return FLOAT
