"""What the integrity checks report, and how they read a run: the rules, a finding and its
evidence, and bounded reads of a run folder through the intake (no link followed)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from mlebench.intake import IntakeRefused, open_regular, read_text, regular_files, sha256_of

HAND_WRITTEN = "hand-written-predictions"
SOLUTION_LOOKUP = "solution-lookup"
TEST_LABELS = "test-label-access"
SANDBOX_ESCAPE = "sandbox-escape"
RULES = (HAND_WRITTEN, SOLUTION_LOOKUP, TEST_LABELS, SANDBOX_ESCAPE)

Severity = Literal["info", "warning", "violation"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "violation": 2}

MAX_TEXT_BYTES = 4_000_000  # per file; larger files are read up to this size
MAX_HASH_BYTES = 512_000_000
# Fewer literal rows than this are not hand-written predictions.
MIN_LITERAL_ROWS = 10


@dataclass(frozen=True)
class Evidence:
    """Where a finding comes from: a file (relative to the run folder) and line, or a record."""

    file: str
    line: int | None = None
    record: dict[str, Any] | None = None
    excerpt: str = ""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    evidence: Evidence
    message: str
    signal: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunContext:
    run_dir: Path
    competition_id: str
    n_test: int | None = None
    answers_sha256: set[str] = field(default_factory=set)
    answers_sizes: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    host_paths: list[str] = field(default_factory=list)

    def add(self, rule: str, severity: Severity, evidence: Evidence, message: str,
            signal: str) -> None:
        self.findings.append(Finding(rule, severity, evidence, message, signal))


# --- helpers ------------------------------------------------------------------------------------
def short_excerpt(text: str, limit: int = 200) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_run_text(run_dir: Path, rel: str) -> str | None:
    """A text file of the run, taken in (no link followed), at most MAX_TEXT_BYTES."""
    try:
        text, _ = read_text(run_dir, rel, MAX_TEXT_BYTES)
    except IntakeRefused:
        return None
    if "\0" in text[:8192]:
        return None  # binary
    return text


def run_files(run_dir: Path, sub: str) -> Iterator[str]:
    """Plain files under `run_dir/sub` (relative to the run folder); links are never listed."""
    if (run_dir / sub).is_dir() and not (run_dir / sub).is_symlink():
        ok, _ = regular_files(run_dir, sub)
        for e in ok:
            yield e.path


def file_sha256(root: Path, rel: str) -> str | None:
    try:
        return sha256_of(root, rel, MAX_HASH_BYTES)[0]
    except IntakeRefused:
        return None


def file_size(root: Path, rel: str) -> int:
    try:
        with open_regular(root, rel, None, allow_hard_links=True) as fd:
            return os.fstat(fd).st_size
    except IntakeRefused:
        return -1
