"""One exit-code table for every verb (README): 0 graded and valid, 1 a submission missing or
invalid (the report still printed), 2 a usage error or nothing could be read, 130 interrupted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlebench.cli import common, main

CID = "spaceship-titanic"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("exit-codes") / "data"
    assert main(["prepare", "-c", CID, "--synthetic", "--data-dir", str(data)]) == 0
    return data


@pytest.fixture
def sample(prepared: Path) -> Path:
    return prepared / CID / "prepared/public/sample_submission.csv"


@pytest.fixture
def invalid(sample: Path, tmp_path: Path) -> Path:
    lines = sample.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",maybe"
    path = tmp_path / "invalid.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_readme_table_is_the_codes_the_cli_uses():
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", README.read_text(), flags=re.M))
    assert set(table) == {"0", "1", "2", "130"}
    assert (common.EXIT_OK, common.EXIT_FAILED, common.EXIT_USAGE, common.EXIT_INTERRUPTED) == \
        (0, 1, 2, 130)
    assert "missing or invalid" in table["1"] and "usage error" in table["2"]
    assert "Interrupted" in table["130"]


@pytest.mark.parametrize("verb", ["grade-sample", "validate"])
def test_grade_sample_and_validate_agree(verb, prepared, sample, invalid, tmp_path, capsys):
    data = ["--data-dir", str(prepared)]
    assert main([verb, str(sample), CID, "--json", *data]) == 0
    capsys.readouterr()
    assert main([verb, str(invalid), CID, "--json", *data]) == 1
    printed = json.loads(capsys.readouterr().out)  # the report is still printed
    assert printed.get("valid_submission", printed.get("valid")) is False
    assert main([verb, str(tmp_path / "missing.csv"), CID, "--json", *data]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed.get("submission_exists", False) is False
    assert main([verb, str(sample), CID, "--data-dir", str(tmp_path / "empty")]) == 2  # unprepared
    assert "not prepared" in capsys.readouterr().err


def test_grade_of_a_binary_file_reads_nothing_and_says_so(prepared, tmp_path, capsys):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 200)
    code = main(["grade", "--submission", str(garbage), "--output", str(tmp_path / "out"),
                 "--data-dir", str(prepared)])
    captured = capsys.readouterr()
    assert code == 2 and "binary" in captured.err and len(captured.err.splitlines()) == 1
    assert "graded" not in captured.out and not (tmp_path / "out").exists()


def test_grade_of_text_with_no_submission_line(prepared, tmp_path, capsys):
    garbage = tmp_path / "notes.txt"
    garbage.write_text("".join(f"not json {i}\n" for i in range(216)))
    code = main(["grade", "--submission", str(garbage), "--output", str(tmp_path / "out"),
                 "--data-dir", str(prepared)])
    captured = capsys.readouterr()
    assert code == 2 and "No submission could be read" in captured.err and "216 bad" in captured.err
    assert len(captured.err.splitlines()) == 1 and "0 medal(s)" not in captured.out


def test_grade_exits_1_for_an_invalid_submission_or_bad_lines(prepared, sample, invalid, tmp_path,
                                                              capsys):
    def grade(*lines: str) -> tuple[int, str, str]:
        jsonl = tmp_path / "subs.jsonl"
        jsonl.write_text("".join(f"{line}\n" for line in lines))
        code = main(["grade", "--submission", str(jsonl), "--output", str(tmp_path / "out"),
                     "--data-dir", str(prepared)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    good = json.dumps({"competition_id": CID, "submission_path": str(sample)})
    bad = json.dumps({"competition_id": CID, "submission_path": str(invalid)})
    assert grade(good, good)[0] == 0
    code, out, _ = grade(good, bad)
    assert code == 1 and "2 graded, 1 valid" in out
    code, out, err = grade(good, *["{oops"] * 15)
    assert code == 1 and "1 graded" in out and "15 line(s) skipped" in out
    assert err.count("skipped: line") == 10 and "and 5 more bad line(s)" in err
