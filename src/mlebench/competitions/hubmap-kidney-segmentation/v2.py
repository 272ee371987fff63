"""v2: the test images' glomerulus polygons (<id>.json) are removed; the anatomical-structure
files stay (data/leaks.yaml, test-annotation-json)."""

from __future__ import annotations

from pathlib import Path

from mlebench.data.leaks import V2Change, V2Result, rel_name

LEAK = "test-annotation-json"


def remove_test_annotations(public: Path, private: Path | None, result: V2Result) -> None:
    for path in sorted((public / "test").glob("*.json")):
        if path.name.endswith("-anatomical-structure.json"):
            continue
        path.unlink()
        result.changes.append(V2Change(result.competition_id, LEAK, "removed-file",
                                       rel_name(path, public)))


FIXES = {LEAK: remove_test_annotations}
