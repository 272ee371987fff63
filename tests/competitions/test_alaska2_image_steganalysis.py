import importlib

import numpy as np
import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_reference_digests, grade_df, raw_score

CID = "alaska2-image-steganalysis"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical md5s. The two
# CSVs depend only on the seeds: they also equal the reference's checksums on Kaggle's data.
EXPECTED = {
    "private/test.csv": "f90b06076f750fb56ae35c3df715ada1",
    "public/sample_submission.csv": "f4623502821bbd1399ecc8f5d66fc243",
}
EXPECTED_TREES = {
    "public/Cover": "ba49815db6f03a494f80a54148a94642",
    "public/JMiPOD": "7cef7ab68f70ff968f247a593f9b654b",
    "public/JUNIWARD": "4bb68b9682a3e5e205e392c10304de87",
    "public/Test": "93cfb33f1618001325520f27e6cecbf4",
    "public/UERD": "8727a0566a2bc84a21f96c1fa75e13b6",
}


@pytest.mark.digest
def test_prepare_and_grade(prepare_synthetic, tmp_path):
    # One preparation (the fixture must hold more than 5,000 covers): split, checksums, grading.
    comp = prepare_synthetic(CID)
    pub, root = comp.public_dir, comp.prepared_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    assert len(answers) == 5000 and list(answers.Id[:2]) == ["0001.jpg", "0002.jpg"]
    assert list(sample.Id) == list(answers.Id) and (sample.Label == 0).all()
    assert 2300 < answers.Label.sum() < 2700
    for folder in ["Cover", "JMiPOD", "JUNIWARD", "UERD"]:
        assert sorted(p.name for p in (pub / folder).iterdir()) == [f"{i:05d}.jpg" for i in range(1, 41)]
    assert len(list((pub / "Test").iterdir())) == 5000
    assert_reference_digests(root, EXPECTED, EXPECTED_TREES)

    assert grade_df(comp, answers.sample(frac=1, random_state=0), tmp_path).score == 1.0
    assert grade_df(comp, sample, tmp_path).score == pytest.approx(0.58571)
    # any real score is accepted, as in the reference
    assert raw_score(comp, answers.assign(Label=answers.Label * 10 - 5), tmp_path) == 1.0
    invalid = {
        "no-label": answers.drop(columns=["Label"]),
        "short": answers.iloc[:-1],
        "duplicate-id": answers.assign(Id=[answers.Id.iloc[1], *answers.Id.iloc[1:]]),
        "unknown-id": answers.assign(Id=["9999.jpg", *answers.Id.iloc[1:]]),
        "nan": answers.assign(Label=[None, *answers.Label.iloc[1:]]),
        "text": answers.assign(Label=["x", *answers.Label.iloc[1:]]),
    }
    for name, df in invalid.items():
        report = grade_df(comp, df, tmp_path)
        assert report.valid_submission is False and report.invalid_reason, name


def test_hand_checked_weighted_auc():
    grade = importlib.import_module(f"mlebench.competitions.{CID}.grade").grade
    answers = pd.DataFrame({"Id": list("abcd"), "Label": [1, 1, 0, 0]})
    # a > c > b > d: ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1); TPR .4 inserted at FPR 0.
    # band [0,.4]: points (0,0) (0,.4), closed by (1,.4) -> area .4; weight 2 -> .8
    # band [.4,1]: (0,0) (0,.1) (.5,.1) (.5,.6) (1,.6) (1,.6) relative -> .5*.1 + .5*.6 = .35
    # total (.8 + .35) / (2*.4 + .6) = 1.15 / 1.4
    sub = pd.DataFrame({"Id": list("dcba"), "Label": [0.1, 0.8, 0.5, 0.9]})
    assert grade(sub, answers) == pytest.approx(1.15 / 1.4, abs=1e-12)
    assert grade(sub.assign(Label=np.zeros(4)), answers) == pytest.approx(0.82 / 1.4, abs=1e-12)
