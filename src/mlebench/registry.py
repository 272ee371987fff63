"""The competition registry: one folder per competition under `mlebench/competitions/`.

Keeps the reference's importable surface (`registry.get_competition(id)`, `Competition.public_dir`,
`.private_dir`, `.answers`, `.sample_submission`, `registry.set_data_dir(...)`) so harnesses written
against openai/mle-bench run unchanged.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from mlebench.config_schema import CompetitionConfig, from_mapping
from mlebench.errors import MLEBenchError, NotImplementedCompetitionError, UnknownCompetitionError
from mlebench.grading.grader import Grader
from mlebench.upstream import description_text, leaderboard_path
from mlebench.utils import safe_load_yaml

COMPETITIONS_DIR = Path(__file__).parent / "competitions"
SPLITS_DIR = Path(__file__).parent / "splits"
SPLIT_ALIASES = {"lite": "low", "full": "all"}


def default_data_dir() -> Path:
    """`MLEBENCH_DATA_DIR`, else the user's cache directory (same place as the reference)."""
    env = os.environ.get("MLEBENCH_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return (Path(user_cache_dir()) / "mle-bench" / "data").resolve()


DEFAULT_DATA_DIR = default_data_dir()


@dataclass(frozen=True)
class Competition:
    """A competition bound to a data directory. Field names follow the reference."""

    id: str
    name: str
    grader: Grader
    answers: Path
    gold_submission: Path
    sample_submission: Path
    competition_type: str
    raw_dir: Path
    private_dir: Path
    public_dir: Path
    checksums: Path
    leaderboard: Path
    config: CompetitionConfig = field(repr=False)
    folder: Path = field(repr=False)
    data_dir: Path = field(repr=False)

    # --- our additions -------------------------------------------------------------------------
    @property
    def implemented(self) -> bool:
        return self.config.implemented

    @property
    def in_registry(self) -> bool:
        """One of the package's competitions (a grading worker can rebuild it from its id), not
        a folder a caller built elsewhere."""
        return self.folder == COMPETITIONS_DIR / self.id

    @property
    def is_practice(self) -> bool:
        return self.config.source == "builtin"

    @property
    def competition_dir(self) -> Path:
        """`<data-dir>/<id>/`: holds the Kaggle zip, `raw/` and `prepared/`."""
        return self.data_dir / self.id

    @property
    def prepared_dir(self) -> Path:
        return self.public_dir.parent

    @property
    def task_card(self) -> Path:
        return self.folder / "task.md"

    @property
    def lower_is_better(self) -> bool:
        return self.config.lower_is_better

    @property
    def version(self) -> int:
        return self.config.version

    @cached_property
    def description(self) -> str:
        """The competition description given to agents (read once; see `read_description`)."""
        return self.read_description()

    def read_description(self, obfuscated: bool = False) -> str:
        """The description shown to agents: real competitions use the pinned upstream description
        (fetched and sha256-verified on first use), practice competitions their task card."""
        if self.is_practice:
            return self.task_card.read_text()
        upstream = self.config.upstream
        expected = upstream.description_obfuscated_sha256 if obfuscated else upstream.description_sha256
        return description_text(self.id, expected, obfuscated)

    @property
    def prepare_fn(self) -> Callable[[Path, Path, Path], Any]:
        self.require_implemented()
        return _import_attr(self.id, "prepare", "prepare")

    def require_implemented(self) -> None:
        if not self.config.implemented:
            raise NotImplementedCompetitionError(
                f"Competition '{self.id}' is in the registry but its preparer and grader are not "
                "implemented yet; see `mlebench list` for the implemented ones."
            )

    def require_extras(self, for_grading: bool = False) -> None:
        """Say which extra to install when an optional package this competition needs (to
        prepare, or with `for_grading` to grade) is missing."""
        needed = self.config.grading.requires if for_grading else self.config.requires
        for module, extra in needed.items():
            if importlib.util.find_spec(module) is None:
                to = "grade" if for_grading else "prepare"
                raise MLEBenchError(
                    f"Competition '{self.id}' needs the optional package '{module}' to {to}: "
                    f"pip install 'mlebench[{extra}]'."
                )

    def module(self, name: str) -> Any:
        """Import `mlebench.competitions.<id>.<name>` (folder names are not identifiers)."""
        return importlib.import_module(f"mlebench.competitions.{self.id}.{name}")


def _import_attr(competition_id: str, module: str, attr: str) -> Any:
    mod = importlib.import_module(f"mlebench.competitions.{competition_id}.{module}")
    return getattr(mod, attr)


def _lazy_grade_fn(competition_id: str) -> Callable[..., Any]:
    def grade(submission: Any, answers: Any) -> float:
        return _import_attr(competition_id, "grade", "grade")(submission, answers)

    grade.__name__ = f"grade[{competition_id}]"
    return grade


def load_config(competition_id: str) -> CompetitionConfig:
    path = COMPETITIONS_DIR / competition_id / "config.yaml"
    return from_mapping(CompetitionConfig, safe_load_yaml(path.read_text()), f"{competition_id}/config.yaml")


class Registry:
    def __init__(self, data_dir: Path | str | None = None):
        self._data_dir = Path(data_dir).expanduser().resolve() if data_dir else default_data_dir()

    # --- reference-compatible API ---------------------------------------------------------------
    def get_competition(self, competition_id: str) -> Competition:
        """Return the competition bound to this registry's data dir.

        Raises `UnknownCompetitionError` (suggesting close ids) for an id not in the registry.
        """
        ids = self.list_competition_ids()
        if competition_id not in ids:
            close = (difflib.get_close_matches(competition_id, ids, n=3, cutoff=0.5)
                     if len(competition_id) < 200 else [])  # no fuzzy match of a 50 MB "id"
            raise UnknownCompetitionError(competition_id, close)
        config = load_config(competition_id)
        folder = COMPETITIONS_DIR / competition_id
        comp_dir = self._data_dir / competition_id
        answers = comp_dir / config.dataset.answers
        gold = comp_dir / config.dataset.gold_submission if config.dataset.gold_submission else answers
        return Competition(
            id=competition_id,
            name=config.name,
            grader=Grader(config.metric, _lazy_grade_fn(competition_id), config.lower_is_better),
            answers=answers,
            gold_submission=gold,
            sample_submission=comp_dir / config.dataset.sample_submission,
            competition_type=config.competition_type,
            raw_dir=comp_dir / "raw",
            private_dir=comp_dir / "prepared" / "private",
            public_dir=comp_dir / "prepared" / "public",
            checksums=folder / "checksums.yaml",
            leaderboard=leaderboard_path(competition_id, folder, config.source == "builtin"),
            config=config,
            folder=folder,
            data_dir=self._data_dir,
        )

    def get_competitions_dir(self) -> Path:
        return COMPETITIONS_DIR

    def get_splits_dir(self) -> Path:
        return SPLITS_DIR

    def get_lite_competition_ids(self) -> list[str]:
        return self.get_split("low")

    def get_data_dir(self) -> Path:
        return self._data_dir

    def set_data_dir(self, new_data_dir: Path | str) -> Registry:
        return Registry(new_data_dir)

    def list_competition_ids(self) -> list[str]:
        return sorted(p.parent.name for p in COMPETITIONS_DIR.glob("*/config.yaml"))

    # --- splits ---------------------------------------------------------------------------------
    def split_names(self) -> list[str]:
        return sorted(p.stem for p in SPLITS_DIR.glob("*.txt")) + sorted(SPLIT_ALIASES)

    def get_split(self, name_or_path: str | Path) -> list[str]:
        """Competition ids of a named split (`all`, `low`/`lite`, `medium`, `high`, `dev`,
        `systemcard`, `practice`) or of a user's text file with one id per line."""
        name = str(name_or_path)
        name = SPLIT_ALIASES.get(name, name)
        builtin = SPLITS_DIR / f"{name}.txt"
        if name == "practice":
            return [c for c in self.list_competition_ids() if load_config(c).source == "builtin"]
        if builtin.is_file():
            path = builtin
        elif Path(name).expanduser().is_file():
            path = Path(name).expanduser()
        else:
            raise MLEBenchError(
                f"Unknown split '{name}': use one of {', '.join(self.split_names() + ['practice'])} "
                "or the path of a text file with one competition id per line."
            )
        ids = read_id_list(path)
        known = set(self.list_competition_ids())
        for cid in ids:
            if cid not in known:
                raise UnknownCompetitionError(
                    cid, difflib.get_close_matches(cid, sorted(known), n=3, cutoff=0.5)
                )
        return ids


def read_id_list(path: Path) -> list[str]:
    """One id per line; blank lines and `#` comments are ignored; order kept, duplicates dropped."""
    ids: list[str] = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and line not in ids:
            ids.append(line)
    return ids


registry = Registry()
