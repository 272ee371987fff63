import pytest

from mlebench.errors import MLEBenchError, NotImplementedCompetitionError, UnknownCompetitionError
from mlebench.registry import Registry


def test_all_82_reference_competitions_are_registered(registry):
    ids = registry.list_competition_ids()
    reference = [i for i in ids if not registry.get_competition(i).is_practice]
    assert len(reference) == 82


@pytest.mark.parametrize(
    ("split", "size"),
    [("all", 75), ("low", 22), ("lite", 22), ("medium", 38), ("high", 15), ("dev", 7),
     ("systemcard", 30)],
)
def test_named_splits_have_the_reference_membership_sizes(registry, split, size):
    assert len(registry.get_split(split)) == size


def test_splits_partition_all(registry):
    low, med, high = (set(registry.get_split(s)) for s in ("low", "medium", "high"))
    assert low | med | high == set(registry.get_split("all"))
    assert not (low & med or low & high or med & high)
    assert not set(registry.get_split("dev")) & set(registry.get_split("all"))
    assert set(registry.get_split("systemcard")) <= set(registry.get_split("all"))


def test_metadata_fields(registry):
    c = registry.get_competition("new-york-city-taxi-fare-prediction")
    assert c.config.complexity == "low"
    assert c.config.lower_is_better is True
    assert c.config.category == "Tabular"
    assert c.config.awards_medals is False  # a playground competition in the reference
    assert c.answers == registry.get_data_dir() / c.id / "prepared/private/test.csv"
    assert c.public_dir == registry.get_data_dir() / c.id / "prepared/public"


def test_unknown_id_suggests_close_matches(registry):
    with pytest.raises(UnknownCompetitionError) as e:
        registry.get_competition("spaceship-titanc")
    assert "spaceship-titanic" in str(e.value)


def test_user_split_file(registry, tmp_path):
    f = tmp_path / "mine.txt"
    f.write_text("# my split\nspaceship-titanic\n\nleaf-classification  # comment\n")
    assert registry.get_split(str(f)) == ["spaceship-titanic", "leaf-classification"]
    f.write_text("spaceship-titanik\n")
    with pytest.raises(UnknownCompetitionError):
        registry.get_split(str(f))
    with pytest.raises(MLEBenchError, match="Unknown split"):
        registry.get_split("nonexistent-split")


def test_unimplemented_competition_is_refused(registry, tmp_path):
    # Every registry competition is implemented now; a config saying otherwise (a competition
    # being added) must still be refused by preparing and grading alike.
    import dataclasses

    from mlebench.data import prepare_competition
    from mlebench.grading.api import evaluate

    c = registry.get_competition("spaceship-titanic")
    todo = dataclasses.replace(c, config=dataclasses.replace(c.config, implemented=False))
    assert not todo.implemented
    with pytest.raises(NotImplementedCompetitionError, match="not implemented"):
        _ = todo.prepare_fn
    with pytest.raises(NotImplementedCompetitionError, match="not implemented"):
        prepare_competition(todo, synthetic=True)
    with pytest.raises(NotImplementedCompetitionError, match="not implemented"):
        evaluate(tmp_path / "submission.csv", todo)


def test_data_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("MLEBENCH_DATA_DIR", str(tmp_path / "x"))
    assert Registry().get_data_dir() == (tmp_path / "x").resolve()


def test_missing_optional_extra_is_one_line(registry, monkeypatch):
    from mlebench.errors import MLEBenchError

    c = registry.get_competition("icecube-neutrinos-in-deep-ice")
    if not c.implemented:
        pytest.skip("icecube not implemented")
    monkeypatch.setitem(c.config.requires, "no_such_module_xyz", "parquet")
    with pytest.raises(MLEBenchError, match=r"pip install 'mlebench\[parquet\]'"):
        c.require_extras()
