"""Registry of known test-label leaks and reference defects, and the `v2` data variant.

`leaks.yaml` (next to this module) lists, per competition id, what is known to be wrong with the
reference's version of the competition: a source (an issue/PR URL, or "reference code at commit
783b15af"), the effect, the affected files/columns, and how v2 fixes it.

`v2_prepare(competition, public_dir)` post-processes a prepared copy so the leaks marked
`v2_status: implemented` that live in the data are removed. Each competition's fixes live in its
own folder, `competitions/<id>/v2.py` (`FIXES`: leak id -> fix(public, private, result)). It
changes files in place and returns what it changed; run it on a copy of `prepared/` (v1 stays
byte-identical to the reference).
"""

from __future__ import annotations

import importlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mlebench.registry import Competition, Registry
from mlebench.utils import safe_load_yaml

COMPETITIONS_DIR = Path(__file__).parents[1] / "competitions"
LEAKS_FILE = Path(__file__).with_name("leaks.yaml")

LeakKind = Literal["test-label-leak", "external-data", "preparer-defect", "grader-defect",
                   "harness-defect", "leaderboard"]
V2Status = Literal["implemented", "planned", "exclude", "none"]


class Leak(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: LeakKind
    summary: str
    source: list[str] = Field(min_length=1)
    effect: str = Field(min_length=1)
    affected: list[str] = Field(min_length=1)
    v2_fix: str
    v2_status: V2Status
    reproduced: bool

    @field_validator("source")
    @classmethod
    def _sources_not_blank(cls, v: list[str]) -> list[str]:
        if any(not s.strip() for s in v):
            raise ValueError("empty source")
        return v

    @property
    def leaks_labels(self) -> bool:
        """True when the held-out labels can be obtained without solving the task."""
        return self.kind in ("test-label-leak", "external-data")


@cache
def _load(path: Path) -> dict[str, tuple[Leak, ...]]:
    raw = safe_load_yaml(path.read_text()) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of competition id -> list of leaks")
    out: dict[str, tuple[Leak, ...]] = {}
    for cid, entries in raw.items():
        leaks = tuple(Leak.model_validate(e) for e in entries)
        ids = [lk.id for lk in leaks]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{path}: duplicate leak ids for {cid}: {ids}")
        out[str(cid)] = leaks
    return out


def load_leaks(path: Path = LEAKS_FILE) -> dict[str, list[Leak]]:
    """Competition id -> its known leaks/defects (validated)."""
    return {cid: list(leaks) for cid, leaks in _load(path).items()}


def leaks_for(competition_id: str) -> list[Leak]:
    """Known leaks of one competition ([] if none). Unknown ids raise `UnknownCompetitionError`."""
    Registry().get_competition(competition_id)  # validates the id
    return list(_load(LEAKS_FILE).get(competition_id, ()))


def label_leaking_competitions() -> list[str]:
    """Ids whose labels can be obtained without solving the task (v1), for report flags."""
    return sorted(cid for cid, leaks in _load(LEAKS_FILE).items()
                  if any(lk.leaks_labels for lk in leaks))


# --- v2 variant -----------------------------------------------------------------------------------
@dataclass
class V2Change:
    competition_id: str
    leak_id: str
    action: str  # "removed-file", "removed-field", "rewrote-file", "relabelled"
    path: str  # relative to the prepared folder
    detail: str = ""


@dataclass
class V2Result:
    competition_id: str
    changes: list[V2Change] = field(default_factory=list)
    unfixed: list[str] = field(default_factory=list)  # leak ids v2 does not (yet) fix

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict:
        return {"competition_id": self.competition_id, "unfixed": self.unfixed,
                "changes": [c.__dict__ for c in self.changes]}


V2Handler = Callable[[Path, "Path | None", V2Result], None]


def rel_name(path: Path, public: Path) -> str:
    """How a change names a file: relative to the prepared folder (`public/...`)."""
    return str(Path(public.name) / path.relative_to(public))


def rewrite_json_records(path: Path, drop: tuple[str, ...]) -> list[str]:
    """Remove `drop` keys from a JSON list of records, keeping the reference's formatting
    (indent=4); returns the keys removed. Rewrites <name>.zip next to it if present."""
    records = json.loads(path.read_text())
    removed = sorted({k for r in records for k in drop if k in r})
    if not removed:
        return []
    records = [{k: v for k, v in r.items() if k not in drop} for r in records]
    with open(path, "w") as f:
        json.dump(records, f, indent=4)
    zipped = path.with_suffix(".zip")
    if zipped.is_file():
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(path, path.name)
    return removed


def v2_fixes(competition_id: str) -> dict[str, V2Handler]:
    """Leak id -> the fix in `competitions/<id>/v2.py` (`FIXES`), found the way prepare.py is;
    {} when the competition has no v2.py."""
    if not (COMPETITIONS_DIR / competition_id / "v2.py").is_file():
        return {}
    module = importlib.import_module(f"mlebench.competitions.{competition_id}.v2")
    return dict(module.FIXES)


def v2_prepare(competition: Competition | str, public_dir: Path,
               private_dir: Path | None = None) -> V2Result:
    """Apply the v2 fixes to a prepared copy (in place). `public_dir` is the copy's public folder;
    `private_dir` (optional) its private folder, for fixes to the answers. Returns the changes and
    the leak ids v2 does not fix here (planned, excluded, or outside the data)."""
    cid = competition if isinstance(competition, str) else competition.id
    public_dir = Path(public_dir)
    if private_dir is None and (public_dir.parent / "private").is_dir():
        private_dir = public_dir.parent / "private"
    result = V2Result(cid)
    fixes = v2_fixes(cid)
    for leak in _load(LEAKS_FILE).get(cid, ()):
        handler = fixes.get(leak.id)
        if handler is not None:
            handler(public_dir, private_dir, result)
        elif leak.kind in ("test-label-leak", "external-data") or leak.v2_status == "planned":
            result.unfixed.append(leak.id)
    return result


def v2_supported() -> list[str]:
    """Competition ids with at least one v2 data fix (a `v2.py` in their folder)."""
    return sorted(p.parent.name for p in COMPETITIONS_DIR.glob("*/v2.py"))
