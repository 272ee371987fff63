"""Every competition's config.yaml is checked strictly against the schema, and a faulty one is
refused with the field that is wrong (the checks pydantic used to make)."""

import copy

import pytest

from mlebench.config_schema import CompetitionConfig, ConfigError, GradingConfig, from_mapping
from mlebench.registry import COMPETITIONS_DIR, Registry, load_config
from mlebench.utils import safe_load_yaml

GOOD = safe_load_yaml((COMPETITIONS_DIR / "spaceship-titanic" / "config.yaml").read_text())


def test_every_competition_config_loads_with_its_types():
    ids = Registry().list_competition_ids()
    assert len(ids) >= 82
    for cid in ids:
        config = load_config(cid)
        assert config.id == cid
        assert isinstance(config.lower_is_better, bool)
        assert config.grading.reader in ("exact", "fast", "arrow")
        assert all(isinstance(s, str) for s in config.splits)


def test_defaults_and_coercions():
    data = copy.deepcopy(GOOD)
    for key in ("grading", "upstream", "notes", "requires", "version", "source", "reference"):
        data.pop(key, None)
    data["dataset"]["size_gb"] = 2  # a whole number is a float here
    config = from_mapping(CompetitionConfig, data)
    assert config.grading == GradingConfig() and config.grading.requires == {}
    assert config.version == 1 and config.source == "kaggle" and config.notes == []
    assert config.dataset.size_gb == 2.0 and isinstance(config.dataset.size_gb, float)
    assert config.upstream.leaderboard_size is None


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(surprise=1), "unknown field"),
    (lambda d: d.pop("metric"), "missing field metric"),
    (lambda d: d.update(lower_is_better="yes"), "lower_is_better: expected bool"),
    (lambda d: d.update(version=True), "version: expected int"),
    (lambda d: d.update(complexity="extreme"), "complexity: 'extreme' is none of"),
    (lambda d: d.update(splits=["low", 3]), r"splits\[1\]: expected str"),
    (lambda d: d["dataset"].update(answers=None), "dataset.answers: expected str"),
    (lambda d: d["dataset"].update(extra="x"), "dataset: unknown field"),
    (lambda d: d.update(grading={"reader": "turbo"}), "grading.reader: 'turbo' is not one of"),
    (lambda d: d.update(requires={"pycocotools": 1}), "requires.pycocotools: expected str"),
    (lambda d: d.update(dataset=["answers.csv"]), "dataset: expected a mapping"),
])
def test_a_faulty_config_names_the_field(change, where):
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(ConfigError, match=where):
        from_mapping(CompetitionConfig, data, "spaceship-titanic/config.yaml")
