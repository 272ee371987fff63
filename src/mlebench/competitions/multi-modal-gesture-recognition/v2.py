"""v2: Video.Labels is removed from every test recording's _data.mat (data/leaks.yaml,
test-mat-video-labels)."""

from __future__ import annotations

from pathlib import Path

from mlebench.data.leaks import V2Change, V2Result, rel_name
from mlebench.data.mat_labels import labelled_members, strip_archive
from mlebench.errors import MLEBenchError

LEAK = "test-mat-video-labels"


def strip_test_labels(public: Path, private: Path | None, result: V2Result) -> None:
    path = public / "test.tar.gz"
    if not path.is_file():
        result.unfixed.append(LEAK)
        return
    changed, samples = strip_archive(path)
    left = labelled_members(path)
    if left:
        raise MLEBenchError(f"v2: {len(left)} test recordings still hold Video.Labels "
                            f"(e.g. {left[0]}); the test archive was not fixed.")
    if changed:
        result.changes.append(V2Change(
            result.competition_id, LEAK, "rewrote-file", rel_name(path, public),
            f"Video.Labels removed from the _data.mat of {changed} of {samples} test samples"))


FIXES = {LEAK: strip_test_labels}
