"""Small frictions: one flag vocabulary, messages that agree with the kaggle client and the README,
offline hints, LFS pointers as documented, exact pins where bytes depend on a version."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mlebench.cli import main
from tests.cli_helpers import cli_env, looks_real

ROOT = Path(__file__).resolve().parents[1]
CID = "spaceship-titanic"


def _help(capsys, *verb: str) -> str:
    with pytest.raises(SystemExit):
        main([*verb, "--help"])
    return capsys.readouterr().out


@pytest.mark.parametrize("verb", [("prepare",), ("run",), ("dev", "fixture"),
                                  ("dev", "gold-submission")])
def test_one_competition_flag(verb, capsys):
    text = _help(capsys, *verb)
    assert "-c COMPETITION, --competition COMPETITION" in text and "--competition-id" not in text


@pytest.mark.parametrize("verb", [("grade",), ("report",), ("keygen",), ("bundle",),
                                  ("dev", "fixture"), ("dev", "gold-submission")])
def test_one_output_flag(verb, capsys):
    text = _help(capsys, *verb)
    assert "--output" in text and "--output-dir" not in text and not re.search(r"--out\b", text)


def test_old_spellings_still_work(data_dir, tmp_path, capsys):
    assert main(["prepare", "--competition-id", CID, "--synthetic", "--data-dir", str(data_dir)]) == 0
    assert main(["dev", "gold-submission", "--competition-id", CID, "--out", str(tmp_path / "g.csv"),
                 "--data-dir", str(data_dir)]) == 0
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text(json.dumps({"competition_id": CID, "submission_path": str(tmp_path / "g.csv")}))
    assert main(["grade", "--submission", str(jsonl), "--output-dir", str(tmp_path / "o"),
                 "--data-dir", str(data_dir)]) == 0
    assert next((tmp_path / "o").glob("*_grading_report.json"))
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0


def test_credentials_message_names_where_the_kaggle_client_reads(tmp_path):
    """The message, the README and the installed kaggle client agree, with and without ~/.kaggle."""
    home = tmp_path / "home"
    home.mkdir()
    env = cli_env(tmp_path / "data", HOME=str(home))
    for key in ("KAGGLE_CONFIG_DIR", "XDG_CONFIG_HOME", "KAGGLE_USERNAME", "KAGGLE_KEY",
                "KAGGLE_API_TOKEN"):
        env.pop(key, None)
    client = [sys.executable, "-c", "from kaggle.api.kaggle_api_extended import KaggleApi; "
              "print(KaggleApi.config)"]
    readme = " ".join((ROOT / "README.md").read_text().split())
    for make_legacy in (False, True):
        if make_legacy:
            (home / ".kaggle").mkdir()
        prepare = subprocess.run([sys.executable, "-m", "mlebench", "prepare", "-c", CID],
                                 capture_output=True, text=True, env=env, timeout=120)
        expected = subprocess.run(client, capture_output=True, text=True, env=env,
                                  timeout=120).stdout.strip().splitlines()[-1]  # after its noise
        assert prepare.returncode == 2 and f"save the downloaded kaggle.json as {expected} " \
            in prepare.stderr.replace("\n", " ")
        for where in ("$KAGGLE_CONFIG_DIR", "~/.kaggle/", "~/.config/kaggle/"):
            assert where in readme and where in prepare.stderr.replace("\n", " ")


def test_offline_errors_point_at_synthetic_and_the_practice_split(data_dir, capsys):
    assert main(["prepare", "-c", CID, "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "No Kaggle credentials" in err and "--synthetic" in err
    assert "mlebench list --split practice" in err and "Traceback" not in err


def test_a_clone_with_lfs_pointer_leaderboards_gives_a_score_and_a_note(data_dir, tmp_path, capsys,
                                                                        monkeypatch):
    assert main(["prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir)]) == 0
    looks_real(data_dir, CID)
    clone = tmp_path / "mle-bench"  # cloned without `git lfs pull`
    board = clone / "mlebench" / "competitions" / CID / "leaderboard.csv"
    board.parent.mkdir(parents=True)
    board.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:" + "0" * 64
                     + "\nsize 123\n")
    monkeypatch.setenv("MLEBENCH_UPSTREAM_DIR", str(clone))
    sample = data_dir / CID / "prepared/public/sample_submission.csv"
    capsys.readouterr()
    code = main(["grade-sample", str(sample), CID, "--json", "--data-dir", str(data_dir)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["score"] is not None and report["valid_submission"]
    assert report["any_medal"] is None and report["gold_medal"] is None
    assert any("Git-LFS pointer" in n and "git lfs pull" in n for n in report["notes"])


def test_extras_pin_exactly_where_bytes_depend_on_the_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"]
    constraints = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split()
                       if "==" in line)
    assert extras["parquet"] == [f"fastparquet=={constraints['fastparquet']}"]
    assert extras["dicom"] == [f"pydicom=={constraints['pydicom']}"]
    assert project["project"]["license"] == "MIT"  # SPDX: no setuptools deprecation warning
    assert "setuptools>=77" in project["build-system"]["requires"][0]
