"""One competition selector for `prepare`, `run` and `grade`: the same flags, help and errors,
through the real `mlebench` process."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli_helpers import cli_env, run_piped

REG, CLS = "practice-tabular-regression", "practice-tabular-classification"
SELECTOR = ("-c COMPETITION, --competition COMPETITION", "--split NAME|FILE", "--lite", "-a, --all",
            "-l FILE, --list FILE")
VERBS = {"prepare": [], "run": ["--agent", "dummy"], "grade": ["--submission", "s.jsonl",
                                                              "--output", "o"]}


def _one_line_error(proc, needle: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_offers_the_same_selector(verb, data_dir):
    proc = run_piped([verb, "--help"], cli_env(data_dir))
    assert proc.returncode == 0
    text = re.sub(r"\s+", " ", proc.stdout)
    for flag in SELECTOR:
        assert flag in text, (verb, flag)
    assert "--competition-id" not in text  # the old spelling works, unlisted


@pytest.mark.parametrize("verb", list(VERBS))
def test_unknown_id_split_or_file_is_a_one_line_error(verb, data_dir, tmp_path):
    env = cli_env(data_dir)
    base = [verb, *VERBS[verb], "--data-dir", str(data_dir)]
    _one_line_error(run_piped([*base, "-c", REG, "-c", "practice-tabular-regresion"], env),
                    f"Did you mean: {REG}")
    _one_line_error(run_piped([*base, "--split", "no-such-split"], env), "Unknown split")
    _one_line_error(run_piped([*base, "--list", str(tmp_path / "none.txt")], env),
                    "does not exist")
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{REG}\nnot-a-competition\n")
    _one_line_error(run_piped([*base, "--list", str(ids)], env), "not-a-competition")
    proc = run_piped([*base, "-c", REG, "--lite"], env)  # two selections at once: argparse's
    assert proc.returncode == 2 and "not allowed with" in proc.stderr


def test_prepare_several_ids_old_spelling_and_a_file(data_dir, tmp_path):
    env = cli_env(data_dir)
    proc = run_piped(["prepare", "-c", REG, "-c", CLS, "-c", REG, "--data-dir", str(data_dir)],
                     env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("prepared (builtin)") == 2  # the repeated id prepared once
    assert (data_dir / REG / "prepared" / "public").is_dir()
    assert (data_dir / CLS / "prepared" / "public").is_dir()
    proc = run_piped(["prepare", "--competition-id", REG, "--data-dir", str(data_dir)], env)
    assert proc.returncode == 0 and "already prepared" in proc.stderr + proc.stdout
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{CLS}\n")
    proc = run_piped(["prepare", "--list", str(ids), "--data-dir", str(data_dir)], env)
    assert proc.returncode == 0 and "already prepared" in proc.stderr + proc.stdout
    assert REG not in proc.stderr + proc.stdout


@pytest.mark.usefixtures("lite_env")
def test_run_and_grade_select_the_same_way(data_dir, tmp_path):
    env = cli_env(data_dir)
    assert run_piped(["prepare", "--split", "practice", "--data-dir", str(data_dir)],
                     env, timeout=300).returncode == 0
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{REG}\n{CLS}\n")
    group = tmp_path / "group"
    proc = run_piped(["run", "--agent", "dummy", "--list", str(ids), "--time-limit", "60s",
                      "--run-dir", str(group), "--data-dir", str(data_dir), "--json"], env,
                     timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert [r["competition_id"] for r in json.loads(proc.stdout)["runs"]] == [REG, CLS]

    # grade: only the selected competitions' submissions, from a run group or a JSONL file.
    proc = run_piped(["grade", "--run-group", str(group), "-c", CLS, "--json",
                      "--data-dir", str(data_dir)], env)
    assert proc.returncode == 0, proc.stderr
    assert [r["competition_id"] for r in json.loads(proc.stdout)["competition_reports"]] == [CLS]
    jsonl = group / "_grading" / "submissions.jsonl"
    assert len(jsonl.read_text().splitlines()) == 2
    proc = run_piped(["grade", "--submission", str(jsonl), "--output", str(tmp_path / "out"),
                      "--list", str(ids), "--json", "--data-dir", str(data_dir)], env)
    assert proc.returncode == 0, proc.stderr
    graded = [r["competition_id"] for r in json.loads(proc.stdout)["competition_reports"]]
    assert sorted(graded) == sorted([REG, CLS])
    proc = run_piped(["grade", "--submission", str(jsonl), "--output", str(tmp_path / "out"),
                      "--split", "lite", "--data-dir", str(data_dir)], env)
    _one_line_error(proc, "holds no submission for the selected competitions")
