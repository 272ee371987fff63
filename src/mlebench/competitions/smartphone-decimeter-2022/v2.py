"""v2: the test drives' span_log.nmea (the ground-truth track) is removed (data/leaks.yaml,
test-span-log-nmea)."""

from __future__ import annotations

from pathlib import Path

from mlebench.data.leaks import V2Change, V2Result, rel_name

LEAK = "test-span-log-nmea"


def remove_span_logs(public: Path, private: Path | None, result: V2Result) -> None:
    for path in sorted((public / "test").rglob("span_log.nmea")):
        path.unlink()
        result.changes.append(V2Change(result.competition_id, LEAK, "removed-file",
                                       rel_name(path, public)))


FIXES = {LEAK: remove_span_logs}
