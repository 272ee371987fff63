"""Per-competition grading settings: the fast reader gives the reference's scores bit for bit, and a
grader's missing optional package is a harness error, never an invalid submission."""

import dataclasses

import numpy as np
import pytest

from mlebench.errors import MLEBenchError
from mlebench.grading.api import evaluate
from mlebench.grading.io import load_answers, read_csv


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


def test_missing_grading_package_is_a_clear_harness_error(prepare_synthetic, tmp_path):
    competition = prepare_synthetic("spaceship-titanic")
    grading = dataclasses.replace(competition.config.grading,
                                  requires={"mlebench_no_such_module": "detection"})
    config = dataclasses.replace(competition.config, grading=grading)
    needy = dataclasses.replace(competition, config=config)
    with pytest.raises(MLEBenchError, match=r"needs the optional package 'mlebench_no_such_module' "
                                            r"to grade: pip install 'mlebench\[detection\]'"):
        evaluate(competition.sample_submission, needy)

