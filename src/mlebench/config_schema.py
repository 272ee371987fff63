"""The schema of a competition's `config.yaml`: frozen dataclasses, checked field by field.

Deliberately not pydantic: every grading worker loads one config per submission, and pydantic
with its models costs a worker ~9 MB of resident memory and ~20 ms of import for four small
records (issue 18's goal is a worker no larger than the reference's). The checks are strict
(unknown keys, wrong types, values outside a `Literal`) and say where the fault is.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from mlebench.errors import MLEBenchError


class ConfigError(MLEBenchError):
    """A `config.yaml` that does not fit the schema (a packaging bug, not a user mistake)."""


@dataclass(frozen=True)
class DatasetConfig:
    answers: str  # relative to <data-dir>/<id>/
    sample_submission: str
    gold_submission: str | None = None
    size_gb: float | None = None


@dataclass(frozen=True)
class GradingConfig:
    """How submissions are read and what grading needs (most competitions keep the defaults)."""

    # exact: read submissions as the reference does (correctly rounded floats). fast: for the few
    # competitions with millions of submission rows, text columns without missing cells kept in
    # Arrow memory, see `mlebench.tables`. arrow: every text column kept in Arrow memory, missing
    # cells as Arrow nulls (where pandas puts NaN), for graders written to read them.
    reader: Literal["exact", "fast", "arrow"] = "exact"
    # Optional packages the grader imports: {import name: extra}, e.g. {pycocotools: detection}.
    requires: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UpstreamConfig:
    description_sha256: str | None = None
    description_obfuscated_sha256: str | None = None
    leaderboard_sha256: str | None = None
    leaderboard_size: int | None = None


@dataclass(frozen=True)
class CompetitionConfig:
    """Schema of a competition folder's `config.yaml`."""

    id: str
    name: str
    category: str
    complexity: Literal["low", "medium", "high"] | None
    splits: list[str]
    competition_type: str
    awards_medals: bool
    prize_total: int | None
    grader_name: str  # the reference's name for the metric
    metric: str
    lower_is_better: bool
    implemented: bool
    dataset: DatasetConfig
    # kaggle: raw data comes from Kaggle; builtin: generated offline from data shipped in packages.
    source: Literal["kaggle", "builtin"] = "kaggle"
    upstream: UpstreamConfig = field(default_factory=UpstreamConfig)
    reference: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Optional packages this competition needs: {import name: extra}, e.g. {fastparquet: parquet}.
    requires: dict[str, str] = field(default_factory=dict)
    grading: GradingConfig = field(default_factory=GradingConfig)
    version: int = 1


def from_mapping(cls: type, data: Any, where: str = "config") -> Any:
    """`cls` (one of the dataclasses above) built from a parsed YAML mapping, or ConfigError."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(map(str, unknown))}")
    hints = typing.get_type_hints(cls)
    values = {}
    for name, f in fields.items():
        if name in data:
            values[name] = _checked(hints[name], data[name], f"{where}.{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(f"{where}: missing field {name}")
    return cls(**values)


def _checked(kind: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is types.UnionType or origin is typing.Union:
        for option in args:
            try:
                return _checked(option, value, where)
            except ConfigError:
                continue
        raise ConfigError(f"{where}: {value!r} is none of {kind}")
    if origin is Literal:
        if value in args:
            return value
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(repr, args))}")
    if dataclasses.is_dataclass(kind):
        return from_mapping(kind, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        return [_checked(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
        return {_checked(args[0], k, where): _checked(args[1], v, f"{where}.{k}")
                for k, v in value.items()}
    if kind is Any:
        return value
    if kind is type(None):
        if value is None:
            return None
    elif kind is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise ConfigError(f"{where}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
