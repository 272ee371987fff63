import json

import pandas as pd
import pytest

from mlebench.tables import read_csv, read_jsonl

from ._checks import checksums, grade_fn, score

CID = "tensorflow2-question-answering"

# Seed-0 fixture (1,150 lines, two chunks), prepared by the reference and by us: identical bytes.
EXPECTED = {
    "private/gold_submission.csv": "6837944818db7ab987e661c8985d3df6",
    "private/test.jsonl": "f9c958b72ea8cb22cb9320590e50971b",
    "public/sample_submission.csv": "fb408391694c1c27695006acbae63ab6",
    "public/simplified-nq-test.jsonl": "9aa74b2969991860bc4555bd65ed9d23",
    "public/simplified-nq-train.jsonl": "a7b853d319cb886312ac211bcb143e91",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def test_split(comp):
    pub = comp.public_dir
    train = read_jsonl(pub / "simplified-nq-train.jsonl")
    test = read_jsonl(pub / "simplified-nq-test.jsonl")
    answers = read_jsonl(comp.answers)
    assert (len(train), len(test), len(answers)) == (1035, 115, 115)  # 900 + 135, 100 + 15
    assert all(list(r) == ["example_id", "question_text", "document_text", "long_answer_candidates"]
               for r in test)
    assert all(isinstance(r["example_id"], str) for r in train + test + answers)
    assert {r["example_id"] for r in train}.isdisjoint(r["example_id"] for r in test)
    sample = read_csv(comp.sample_submission, keep_default_na=False)
    assert list(sample.example_id) == [f"{r['example_id']}_{k}" for r in test for k in ("short", "long")]
    assert (sample.PredictionString == "").all()


@pytest.mark.digest
def test_grades_and_checksums(comp, tmp_path):
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED
    gold = read_csv(comp.private_dir / "gold_submission.csv")
    sample = read_csv(comp.sample_submission)
    assert score(comp, gold.sample(frac=1, random_state=0), tmp_path)[0] == 1.0
    # Blank predictions are right exactly where no answer exists.
    blanks = gold.PredictionString.isna().mean()
    assert score(comp, sample, tmp_path)[0] == pytest.approx(blanks, abs=1e-12)

    for bad in (
        gold.drop(columns=["PredictionString"]),
        gold.iloc[:-1],
        pd.concat([gold.iloc[:-1], gold.iloc[:1]]),
        gold.assign(example_id=gold.example_id.str.replace("_long", "_lng")),
        gold.assign(PredictionString="a:b"),
        gold.assign(PredictionString="1:2:3"),
        gold.assign(PredictionString="maybe"),
    ):
        raw, reason = score(comp, bad, tmp_path)
        assert raw is None and reason


def test_hand_checked_micro_f1():
    answers = [
        {"example_id": "7", "annotations": [{"yes_no_answer": "NONE", "short_answers": [
            {"start_token": 12, "end_token": 13}], "long_answer": {"start_token": 10, "end_token": 20}}]},
        {"example_id": "-8", "annotations": [{"yes_no_answer": "NONE", "short_answers": [],
                                             "long_answer": {"start_token": -1, "end_token": -1}}]},
    ]
    submission = pd.DataFrame({"example_id": ["7_long", "7_short", "-8_long", "-8_short"],
                               "PredictionString": ["10:20", "12:14", None, "YES"]})
    # (y_true, y_pred): 7_long (1, 1); 7_short wrong span (0, 1); -8_long blank, no answer (0, 0);
    # -8_short YES where none exists (0, 1) -> 2 of 4 rows agree -> 0.5
    assert grade_fn(CID)(submission, json.loads(json.dumps(answers))) == pytest.approx(0.5, abs=1e-12)
