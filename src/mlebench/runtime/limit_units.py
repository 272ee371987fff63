"""Reading the limits a user writes (`24h`, `16G`, `none`): shared by `mlebench run` and the
inspect_ai front end, so both accept and refuse the same spellings."""

from __future__ import annotations

from mlebench.errors import MLEBenchError


def parse_duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    t = text.strip().lower()
    try:
        return float(t[:-1]) * units[t[-1]] if t[-1] in units else float(t)
    except (ValueError, IndexError):
        raise MLEBenchError(f"Cannot read duration '{text}': use e.g. 45s, 30m, 24h.") from None


def parse_limit(text: str | None, parse) -> int | None:
    """A limit flag: None when not given (then chosen from the machine) or given as `none`."""
    if text is None or text.strip().lower() == "none":
        return None
    value = parse(text)
    if value < 1:
        raise MLEBenchError(f"A limit of '{text}' allows nothing: give a positive size, or none.")
    return value


def parse_grace(text: str) -> float:
    value = parse_duration(text)
    if value < 0:
        raise MLEBenchError(f"--grace-period '{text}' cannot be negative (0 kills at once).")
    return value


def parse_count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise MLEBenchError(f"Cannot read count '{text}': use e.g. 4096, or none.") from None


def parse_bytes(text: str | None) -> int | None:
    if text is None:
        return None
    units = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}
    t = text.strip().lower().rstrip("ib").rstrip("b") if text.lower() != "b" else text
    try:
        return int(float(t[:-1]) * units[t[-1]]) if t[-1] in units else int(float(t))
    except (ValueError, IndexError):
        raise MLEBenchError(f"Cannot read size '{text}': use e.g. 512M, 16G.") from None
