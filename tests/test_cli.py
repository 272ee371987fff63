"""Every CLI verb, as a user types it; user mistakes give one line, never a traceback."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from mlebench.cli import main

CID = "spaceship-titanic"


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_explains_every_verb(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for verb in ("list", "prepare", "grade", "grade-sample", "dev"):
        assert verb in text


def test_list_json_shows_all_82_and_status(capsys, data_dir):
    code, out, _ = run(capsys, "list", "--json", "--data-dir", str(data_dir))
    rows = json.loads(out)
    assert code == 0 and len([r for r in rows if r["complexity"] != "practice"]) == 82
    row = next(r for r in rows if r["id"] == CID)
    assert row["implemented"] and not row["prepared"] and row["metric"] == "accuracy"


def test_list_split_table(capsys, data_dir):
    code, out, _ = run(capsys, "list", "--split", "lite", "--table", "--data-dir", str(data_dir))
    assert code == 0 and "22 competitions" in out and "aerial-cactus-identification" in out


def test_list_piped_or_ids_prints_one_id_per_line(capsys, data_dir):
    from mlebench.registry import Registry

    lite = Registry(data_dir).get_split("lite")
    for extra in ([], ["--ids"]):  # capsys' stdout is not a terminal: piped
        code, out, _ = run(capsys, "list", "--split", "lite", *extra, "--data-dir", str(data_dir))
        assert code == 0 and out.splitlines() == lite


def test_prepare_grade_sample_and_grade(capsys, data_dir, tmp_path):
    code, _, err = run(capsys, "prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir))
    assert code == 0 and "prepared (synthetic)" in err
    code, _, err = run(capsys, "prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir))
    assert "already prepared" in _ + err
    sample = data_dir / CID / "prepared/public/sample_submission.csv"
    code, out, _ = run(capsys, "grade-sample", str(sample), CID, "--data-dir", str(data_dir), "--json")
    report = json.loads(out)
    assert code == 0 and report["valid_submission"] and report["synthetic"]
    code, out, _ = run(capsys, "grade-sample", str(sample), CID, "--data-dir", str(data_dir))
    assert "score" in out and "Synthetic" in out
    answers = pd.read_csv(data_dir / CID / "prepared/private/test.csv")
    perfect = tmp_path / "perfect.csv"
    answers[["PassengerId", "Transported"]].to_csv(perfect, index=False)
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text(json.dumps({"competition_id": CID, "submission_path": str(perfect)}) + "\n{bad\n")
    code, out, err = run(capsys, "grade", "--submission", str(jsonl), "--output",
                         str(tmp_path / "out"), "--data-dir", str(data_dir))
    assert code == 1 and "line 2 is not valid JSON" in err  # a bad line: not everything graded
    saved = json.loads(next((tmp_path / "out").glob("*_grading_report.json")).read_text())
    assert saved["competition_reports"][0]["score"] == 1.0
    code, out, _ = run(capsys, "validate", str(perfect), CID, "--data-dir", str(data_dir))
    assert code == 0 and "valid" in out and "1.0" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["grade-sample", "x.csv", "spaceship-titanc"], "Did you mean: spaceship-titanic"),
        (["grade-sample", "x.csv", CID], "not prepared"),
        (["prepare", "-c", "leaf-classifcation"], "Did you mean: leaf-classification"),
        (["prepare", "--split", "no-such-split"], "Unknown split"),
        (["prepare", "--list", "/no/such/file.txt"], "does not exist"),
        (["grade", "--submission", "/no/such.jsonl", "--output", "o"], "does not exist"),
        (["grade", "--submission", "/no/such.jsonl"], "--output is required"),
        (["prepare", "-c", CID, "--raw-dir", "/no/such/dir"], "does not exist"),
        (["report", "/no/such/group"], "does not exist"),
        (["view", "/no/such/group"], "does not exist"),
        (["run", "--agent", "dummy", "-c", CID, "--time-limit", "soon"], "Cannot read duration"),
        (["run", "--agent", "dummy", "-c", CID, "--memory", "lots"], "Cannot read size"),
    ],
)
def test_user_mistakes_are_one_line_errors(capsys, data_dir, argv, message):
    extra = [] if argv[0] in ("report", "view") else ["--data-dir", str(data_dir)]
    code, out, err = run(capsys, *argv, *extra)
    assert code == 2 and message in err and "Traceback" not in err


def test_prepare_from_kaggle_without_credentials_says_how(capsys, data_dir):
    code, _, err = run(capsys, "prepare", "-c", CID, "--data-dir", str(data_dir))
    assert code == 2 and "credentials" in err.lower() and "Traceback" not in err


def test_dev_fixture(capsys, tmp_path):
    code, out, _ = run(capsys, "dev", "fixture", "-c", CID, "--output", str(tmp_path), "--seed", "3")
    assert code == 0 and (tmp_path / f"{CID}.zip").is_file()


def test_console_script_and_module_entry_point(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mlebench", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "mlebench" in r.stdout


def test_gold_submission_scores_perfectly(capsys, data_dir, tmp_path):
    run(capsys, "prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir))
    gold = tmp_path / "gold.csv"
    code, _, _ = run(capsys, "dev", "gold-submission", "-c", CID, "--output", str(gold),
                     "--data-dir", str(data_dir))
    assert code == 0
    code, out, _ = run(capsys, "grade-sample", str(gold), CID, "--data-dir", str(data_dir), "--json")
    assert json.loads(out)["score"] == 1.0
