"""v2: the request fields that reveal its outcome are removed (data/leaks.yaml,
giver-username-if-known)."""

from __future__ import annotations

from pathlib import Path

from mlebench.data.leaks import V2Change, V2Result, rel_name, rewrite_json_records

LEAK = "giver-username-if-known"
TEST_DROP = ("giver_username_if_known",)
TRAIN_DROP = ("giver_username_if_known", "requester_user_flair")


def drop_outcome_fields(public: Path, private: Path | None, result: V2Result) -> None:
    for name, drop in (("test.json", TEST_DROP), ("train.json", TRAIN_DROP)):
        path = public / name
        if not path.is_file():
            continue
        removed = rewrite_json_records(path, drop)
        for key in removed:
            result.changes.append(V2Change(result.competition_id, LEAK, "removed-field",
                                           rel_name(path, public), key))
        if removed and path.with_suffix(".zip").is_file():
            result.changes.append(V2Change(result.competition_id, LEAK, "rewrote-file",
                                           rel_name(path.with_suffix(".zip"), public),
                                           f"zipped copy of {name}"))


FIXES = {LEAK: drop_outcome_fields}
