"""Every kind of bad input gets a clear reason and never stops the other competitions' grading."""

import json
import os

import numpy as np
import pandas as pd
import pytest

from mlebench.errors import DatasetNotPreparedError
from mlebench.grade import grade_csv, grade_jsonl, validate_submission

CID = "spaceship-titanic"


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.fixture
def answers(comp):
    return pd.read_csv(comp.answers)


def perfect(answers):
    return answers[["PassengerId", "Transported"]].copy()


def grade_df(comp, df, tmp_path, name="sub.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return grade_csv(path, comp)


def test_perfect_and_sample(comp, answers, tmp_path):
    r = grade_df(comp, perfect(answers), tmp_path)
    assert r.valid_submission and r.score == 1.0 and r.synthetic
    assert r.gold_medal is None and any("Synthetic" in n for n in r.notes)
    sample = grade_csv(comp.sample_submission, comp)
    expected = round(float((~answers["Transported"]).mean()), 5)  # sample predicts all False
    assert sample.score == expected


def test_report_has_reference_fields(comp, answers, tmp_path):
    d = grade_df(comp, perfect(answers), tmp_path).to_dict()
    for key in ("competition_id", "score", "gold_threshold", "silver_threshold", "bronze_threshold",
                "median_threshold", "any_medal", "gold_medal", "silver_medal", "bronze_medal",
                "above_median", "submission_exists", "valid_submission", "is_lower_better",
                "created_at", "submission_path", "rank", "percentile", "leaderboard_sha256",
                "task_version", "invalid_reason"):
        assert key in d
    json.dumps(d)


def bad_cases(answers):
    p = perfect(answers)
    return {
        "wrong column": p.rename(columns={"Transported": "Label"}),
        "too few rows": p.iloc[:-1],
        "duplicate id": pd.concat([p.iloc[:-1], p.iloc[:1]]),
        "unknown id": p.assign(PassengerId=["X"] + p["PassengerId"].tolist()[1:]),
        "missing value": p.assign(Transported=[np.nan] + p["Transported"].tolist()[1:]),
    }


@pytest.mark.parametrize("case", ["wrong column", "too few rows", "duplicate id", "unknown id",
                                  "missing value"])
def test_invalid_submissions(comp, answers, tmp_path, case):
    r = grade_df(comp, bad_cases(answers)[case], tmp_path)
    assert not r.valid_submission and r.score is None and r.invalid_reason
    ok, msg = validate_submission(tmp_path / "sub.csv", comp)
    assert not ok and r.invalid_reason in msg


def test_extra_columns_are_accepted(comp, answers, tmp_path):
    r = grade_df(comp, perfect(answers).assign(extra=1), tmp_path)
    assert r.valid_submission and r.score == 1.0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"PassengerId,Transported\n", "no rows"),
        (b'a,b\n"unterminated,1\n', "readable CSV"),
        ("\ufeffcaf\xe9".encode("latin-1", "replace") + b"\xff\xfe\n", "UTF-8"),
    ],
)
def test_unreadable_files(comp, tmp_path, content, reason):
    path = tmp_path / "sub.csv"
    path.write_bytes(content)
    r = grade_csv(path, comp)
    assert not r.valid_submission and reason in r.invalid_reason


def test_missing_and_non_csv_files(comp, tmp_path):
    r = grade_csv(tmp_path / "nope.csv", comp)
    assert not r.submission_exists and "does not exist" in r.invalid_reason
    txt = tmp_path / "sub.txt"
    txt.write_text("PassengerId,Transported\n")
    assert "must be a CSV" in grade_csv(txt, comp).invalid_reason
    assert "not a file" in grade_csv(tmp_path, comp).invalid_reason


def test_huge_file_is_refused_unread(comp, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:  # a sparse 1 GB file: no disk used, never read
        f.truncate(1 << 30)
    r = grade_csv(path, comp)
    assert not r.valid_submission and "larger than" in r.invalid_reason


def test_unprepared_competition_is_a_clear_error(registry, tmp_path):
    c = registry.get_competition(CID)
    with pytest.raises(DatasetNotPreparedError, match="mlebench prepare -c spaceship-titanic"):
        grade_csv(tmp_path / "x.csv", c)


def test_grade_jsonl_keeps_going_past_bad_lines(comp, answers, registry, tmp_path):
    good = tmp_path / "good.csv"
    perfect(answers).to_csv(good, index=False)
    lines = [
        json.dumps({"competition_id": CID, "submission_path": str(good)}),
        "{not json",
        json.dumps({"competition_id": "spaceship-titanc", "submission_path": str(good)}),
        json.dumps({"competition_id": CID}),
        "# a comment",
        json.dumps({"competition_id": CID, "submission_path": str(tmp_path / "missing.csv")}),
        json.dumps({"competition_id": "leaf-classification", "submission_path": str(good)}),
    ]
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    out = grade_jsonl(jsonl, tmp_path / "out", registry)
    summary = json.loads(out.read_text())
    assert summary["total_runs"] == 2 and summary["total_valid_submissions"] == 1
    errors = {e["line"]: e["error"] for e in summary["errors"]}
    assert "line 2 is not valid JSON" in errors[2]
    assert "Did you mean: spaceship-titanic" in errors[3]
    assert "submission_path" in errors[4]
    assert 7 in errors  # leaf-classification: not implemented or not prepared, said per line
    assert not any(p.name.endswith(".tmp") for p in out.parent.iterdir())
    assert os.path.getsize(out) > 0


@pytest.mark.parametrize("window", [5, 64, 1 << 22])
def test_an_overlong_line_is_named_wherever_it_falls_in_the_file(tmp_path, monkeypatch, window):
    """The line-length check scans in windows; the line it names is the right one even when the
    line spans windows, is the last line, or has no newline after it."""
    from mlebench.errors import InvalidSubmissionError
    from mlebench.grading import io as grading_io

    monkeypatch.setattr(grading_io, "_SCAN_WINDOW", window)
    caps = grading_io.SubmissionCaps(max_line_bytes=20)
    cases = {
        "id,y\n1,0.5\n2," + "9" * 30 + "\n3,0.1\n": (3, 32),
        "id,y\n1,0.5\n2,0.25\n3," + "7" * 40: (4, 42),
        "id,y\n" + "1," + "5" * 21 + "\n" + "2," + "5" * 21 + "\n": (2, 23),  # the first of equals
    }
    for text, (line_no, length) in cases.items():
        path = tmp_path / "submission.csv"
        path.write_text(text)
        with pytest.raises(InvalidSubmissionError,
                           match=f"line {line_no} is {length} bytes long"):
            grading_io.load_submission(path, caps=caps)
    path.write_text("id,y\n1,0.5\n2,0.25\n")
    assert len(grading_io.load_submission(path, caps=caps)) == 2
