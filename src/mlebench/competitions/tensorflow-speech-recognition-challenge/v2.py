"""v2: the answers' Speech Commands folder names are mapped to the task's 12 classes
(data/leaks.yaml, test-labels-not-mapped)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mlebench.data.leaks import V2Change, V2Result

LEAK = "test-labels-not-mapped"
SPEECH_COMMANDS = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")


def speech_label(label: str) -> str:
    """One of the task's 12 classes for a Speech Commands folder name."""
    if label in SPEECH_COMMANDS or label in ("silence", "unknown"):
        return label
    return "silence" if label == "_background_noise_" else "unknown"


def map_test_labels(public: Path, private: Path | None, result: V2Result) -> None:
    if private is None or not (private / "test.csv").is_file():
        result.unfixed.append(LEAK)
        return
    path = private / "test.csv"
    answers = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapped = answers["label"].map(speech_label)
    n = int((mapped != answers["label"]).sum())
    if n:
        answers["label"] = mapped
        answers.to_csv(path, index=False)
        result.changes.append(V2Change(result.competition_id, LEAK, "relabelled",
                                       str(Path(private.name) / path.name),
                                       f"{n} labels mapped to the 12 task classes"))


FIXES = {LEAK: map_test_labels}
