"""Per-competition grading settings: the fast reader gives the reference's scores bit for bit, and a
grader's missing optional package is a harness error, never an invalid submission."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from Levenshtein import distance

from mlebench.errors import MLEBenchError
from mlebench.grading.api import evaluate
from mlebench.grading.io import load_answers, load_submission, read_csv


@pytest.mark.parametrize("competition_id, target_columns", [
    ("denoising-dirty-documents", ["value"]),
    ("icecube-neutrinos-in-deep-ice", ["azimuth", "zenith"]),
])
@pytest.mark.parametrize("shuffled", [False, True])
def test_fast_reader_scores_exactly_as_the_reference_parse(prepare_synthetic, tmp_path,
                                                          competition_id, target_columns, shuffled):
    competition = prepare_synthetic(competition_id)
    assert competition.config.grading.reader == "fast"
    sub = read_csv(competition.sample_submission)
    rng = np.random.default_rng(1)
    for col in target_columns:  # 17 significant digits: where the two converters can disagree
        sub[col] = rng.random(len(sub)) * (3.0 if col != "value" else 1.0)
    if shuffled:
        sub = sub.sample(frac=1, random_state=2)
    path = tmp_path / "submission.csv"
    sub.to_csv(path, index=False, float_format="%.17g")
    fast = evaluate(path, competition).raw_score
    exact = competition.grader.grade(read_csv(path), load_answers(competition.answers)).raw_score
    assert fast is not None and exact is not None
    assert repr(fast) == repr(exact)  # bit for bit


@pytest.mark.parametrize("competition_id, id_column, text_column, reader", [
    ("bms-molecular-translation", "image_id", "InChI", "fast"),
    ("billion-word-imputation", "id", "sentence", "exact"),
])
@pytest.mark.parametrize("shuffled", [False, True])
def test_edit_distance_graders_score_as_the_per_pair_mean(prepare_synthetic, tmp_path,
                                                          competition_id, id_column, text_column,
                                                          reader, shuffled):
    """The edit-distance graders pair rows by id without reordered copies, and bms keeps a text
    file's cells in Arrow memory (no Python string per cell): each scores as the same file read
    by pandas, and as the per-pair mean of distances."""
    competition = prepare_synthetic(competition_id)
    assert competition.config.grading.reader == reader
    answers = read_csv(competition.answers)
    rng = np.random.default_rng(3)
    cut = rng.integers(0, 4, len(answers))
    sub = pd.DataFrame({id_column: answers[id_column], text_column: [
        text[: max(1, len(text) - int(k))] + "x" * int(k % 2)
        for text, k in zip(answers[text_column], cut, strict=True)]})
    if shuffled:
        sub = sub.sample(frac=1, random_state=4)
    path = tmp_path / "submission.csv"
    sub.to_csv(path, index=False)
    if reader == "fast":
        assert isinstance(load_submission(path, fast=True)[text_column].dtype, pd.ArrowDtype)
    fast = evaluate(path, competition).raw_score
    exact = competition.grader.grade(read_csv(path), read_csv(competition.answers)).raw_score
    pairs = answers.merge(sub, on=id_column, suffixes=("", "_predicted"))
    per_pair = np.mean([distance(t, p) for t, p in zip(
        pairs[text_column], pairs[f"{text_column}_predicted"], strict=True)])
    assert fast is not None and repr(fast) == repr(exact) == repr(float(per_pair))
    assert fast > 0


@pytest.mark.parametrize("competition_id", ["text-normalization-challenge-english-language",
                                            "text-normalization-challenge-russian-language"])
@pytest.mark.parametrize("shuffled", [False, True])
def test_arrow_reader_keeps_missing_tokens_and_scores_as_pandas(prepare_synthetic, tmp_path,
                                                               competition_id, shuffled):
    """Text normalization reads ids and tokens into Arrow memory, pandas' missing tokens ("NA",
    "null", "") as Arrow nulls, and scores exactly as the same file read by pandas, where a
    missing token is the text "nan" on both sides (the reference's `astype(str)`)."""
    competition = prepare_synthetic(competition_id)
    assert competition.config.grading.reader == "arrow"
    answers = read_csv(competition.answers)
    assert answers["after"].isna().any()  # the fixture has "NA" and "null" tokens
    after = answers["after"].astype(object).to_numpy().copy()
    after[::7] = "wrong"
    after[3::11] = "NA"  # missing in the submission: right where the answer is missing too
    after[5::13] = "nan"  # the text "nan" equals a missing answer token, as in the reference
    sub = pd.DataFrame({"id": answers["id"], "after": after})
    if shuffled:
        sub = sub.sample(frac=1, random_state=5)
    path = tmp_path / "submission.csv"
    sub.to_csv(path, index=False)
    loaded = load_submission(path, fast=True, text_nulls=True)
    assert isinstance(loaded["after"].dtype, pd.ArrowDtype) and loaded["after"].isna().any()
    fast = evaluate(path, competition).raw_score
    exact = competition.grader.grade(read_csv(path), read_csv(competition.answers)).raw_score
    pairs = answers.merge(read_csv(path), on="id", suffixes=("", "_predicted"))
    by_hand = float(np.mean(pairs["after"].astype(str) == pairs["after_predicted"].astype(str)))
    assert repr(fast) == repr(exact) == repr(by_hand)
    assert 0.5 < fast < 1


def test_missing_grading_package_is_a_clear_harness_error(prepare_synthetic, tmp_path):
    competition = prepare_synthetic("spaceship-titanic")
    grading = dataclasses.replace(competition.config.grading,
                                  requires={"mlebench_no_such_module": "detection"})
    config = dataclasses.replace(competition.config, grading=grading)
    needy = dataclasses.replace(competition, config=config)
    with pytest.raises(MLEBenchError, match=r"needs the optional package 'mlebench_no_such_module' "
                                            r"to grade: pip install 'mlebench\[detection\]'"):
        evaluate(competition.sample_submission, needy)

