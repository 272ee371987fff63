"""Quoting untrusted text (what agents write) in messages: bounded, on one line."""

from __future__ import annotations

EXCERPT_LIMIT = 200


def excerpt(value: object, limit: int = EXCERPT_LIMIT) -> str:
    """`value` as text of at most `limit` characters (plus the total length when cut), with line
    breaks and other control characters shown as spaces, so that a 50 MB cell quoted in an error
    stays a short line: `'xxxx…' -> "xxxx… (50,000,000 characters)"`."""
    text = value if isinstance(value, str) else str(value)
    cut = len(text) > limit
    head = text[:limit]
    if not head.isprintable():
        head = "".join(ch if ch.isprintable() else " " for ch in head)
    return f"{head}… ({len(text):,} characters)" if cut else head
