"""The parsed-answers cache holds data only and is only a cache: whatever is in
`.grading-cache/`, grading reads the same answers as a fresh parse of the CSV."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from mlebench.grading import answers_cache
from mlebench.grading.io import load_answers
from mlebench.tables import read_csv

CSV = "id,label,score,flag,note\nb_1,3,0.1,True,x\na_2,-1,,False,\nc_3,7,1e-300,True,z\n"


def assert_identical(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same names, dtypes, values and the same kind of object for every cell (NaN stays NaN)."""
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for name in expected.columns:
        if expected[name].dtype == object:
            assert [type(v) for v in got[name]] == [type(v) for v in expected[name]], name


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    private = tmp_path / "comp" / "prepared" / "private"
    private.mkdir(parents=True)
    path = private / "answers.csv"
    path.write_text(CSV)
    return path


def test_second_load_comes_from_an_arrow_file_and_is_identical(answers):
    first = load_answers(answers)
    cache = answers_cache.cache_path(answers)
    assert cache is not None and cache.is_file()
    with pa.memory_map(str(cache)) as f:  # an Arrow IPC file: data, nothing that runs
        assert pa.ipc.open_file(f).read_all().num_rows == 3
    assert answers_cache.load(answers) is not None
    again = load_answers(answers)
    assert_identical(again, read_csv(answers))
    assert_identical(first, again)
    stored = cache.read_bytes()
    again.loc[0, "score"] = 5.0  # a grader may write into its answers: the arrays are its own
    again["label"] += 1
    assert load_answers(answers).loc[0, "score"] == 0.1
    assert load_answers(answers)["label"].tolist() == [3, -1, 7]
    assert cache.read_bytes() == stored


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other-format", "directory"])
def test_a_damaged_cache_is_rebuilt_never_an_error(answers, damage):
    load_answers(answers)
    cache = answers_cache.cache_path(answers)
    good = cache.read_bytes()
    if damage == "garbage":
        cache.write_bytes(b"\x00garbage" * 100)
    elif damage == "truncated":
        cache.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        cache.write_bytes(b"")
    elif damage == "other-format":  # a valid Arrow file of other contents: not trusted as answers
        table = pa.table({"id": ["zzz"]})
        with pa.OSFile(str(cache), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
            w.write_table(table)
    else:
        cache.unlink()
        cache.mkdir()
    assert answers_cache.load(answers) is None
    assert_identical(load_answers(answers), read_csv(answers))
    if damage != "directory":  # rebuilt: the next load reads the cache again
        assert answers_cache.load(answers) is not None


def test_an_edited_answers_file_is_reparsed(answers):
    load_answers(answers)
    answers.write_text(CSV.replace("0.1", "0.2"))  # same size: the file's identity still changes
    assert load_answers(answers).loc[0, "score"] == 0.2


class _Planted:
    """Unpickling this creates a file: proof that a pickle was loaded."""

    def __init__(self, sentinel: Path):
        self.sentinel = sentinel

    def __reduce__(self):
        return (open, (str(self.sentinel), "w"))


def test_a_pickle_left_in_the_cache_folder_is_never_loaded(answers, tmp_path):
    sentinel = tmp_path / "pickle-was-loaded"
    st = answers.stat()
    old = answers.parent.parent / ".grading-cache" / "answers.csv.pkl"
    old.parent.mkdir()
    # the exact layout the pickle cache of earlier versions used: (key, value)
    old.write_bytes(pickle.dumps((f"{st.st_size}:{st.st_mtime_ns}", _Planted(sentinel))))
    assert_identical(load_answers(answers), read_csv(answers))
    assert_identical(load_answers(answers), read_csv(answers))
    assert not sentinel.exists()
    assert not old.exists()  # the stale pickle is removed once the Arrow cache is written


def test_a_frame_that_cannot_round_trip_is_read_from_the_csv(answers):
    # True/False with a gap: pandas keeps an object column of bools and NaN, which no Arrow type
    # gives back as such; such answers are parsed every time instead of cached
    answers.write_text("id,flag,mixed\n1,True,a\n2,,1\n3,False,\n")
    expected = read_csv(answers)
    assert expected["flag"].dtype == object
    got = load_answers(answers)
    assert_identical(got, expected)
    assert not answers_cache.cache_path(answers).exists()
    assert_identical(load_answers(answers), expected)


def test_answers_outside_a_prepared_folder_are_not_cached(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(CSV)
    assert_identical(load_answers(path), read_csv(path))
    assert answers_cache.cache_path(path) is None
    assert os.listdir(tmp_path) == ["answers.csv"]


def test_an_unwritable_cache_folder_still_grades(answers):
    (answers.parent.parent / ".grading-cache").write_text("a file where the folder would be")
    assert_identical(load_answers(answers), read_csv(answers))
    assert answers_cache.load(answers) is None


def _implemented_ids() -> list[str]:
    from mlebench.registry import Registry

    reg = Registry(Path("/nonexistent"))
    return [c for c in reg.list_competition_ids() if reg.get_competition(c).implemented]


@pytest.fixture(scope="module")
def prepared_registry(tmp_path_factory):
    from mlebench.registry import Registry

    return Registry(tmp_path_factory.mktemp("all-competitions") / "data")


@pytest.mark.slow  # prepares every competition's fixture (~1 min)
@pytest.mark.parametrize("competition_id", _implemented_ids())
def test_every_fixtures_answers_round_trip_and_score_the_same(prepared_registry, competition_id):
    from mlebench.data import prepare_competition
    from mlebench.grading.api import warm_answers_cache
    from mlebench.grading.io import load_submission

    competition = prepared_registry.get_competition(competition_id)
    prepare_competition(competition, synthetic=True, force=True)
    warm_answers_cache(competition)  # as `mlebench prepare` does after preparing
    if competition.answers.suffix != ".csv":
        pytest.skip("JSONL answers are read as JSON, not cached")
    parsed = read_csv(competition.answers)
    cached = answers_cache.load(competition.answers)
    assert cached is not None, "every fixture's answers are cacheable"
    assert_identical(cached, parsed)
    submission = load_submission(competition.sample_submission)
    with_cache = competition.grader.grade(submission.copy(), cached)
    without = competition.grader.grade(submission.copy(), parsed)
    # repr: bit-identical scores (NaN included), and the same reason for an invalid one
    assert (repr(with_cache.raw_score), with_cache.invalid_reason) == (
        repr(without.raw_score), without.invalid_reason)


def test_warming_after_prepare_also_records_the_submission_caps(prepare_synthetic):
    """`prepare` warms what the first grading would otherwise compute: the parsed answers and the
    answers' shape behind the submission caps (a scan of every line: 0.5 s at 13M rows)."""
    from mlebench.grading.api import warm_answers_cache

    competition = prepare_synthetic("spaceship-titanic")
    cache = answers_cache.cache_path(competition.answers)
    shape = cache.with_name(f"{competition.answers.name}.shape.json")
    for stale in cache.parent.glob("*") if cache.parent.is_dir() else ():
        stale.unlink()
    warm_answers_cache(competition)
    assert cache.is_file() and shape.is_file()
