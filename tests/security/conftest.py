"""Helpers for the hostile-agent suite: run an agent script in the real sandbox through
`mlebench run` and read back what the harness recorded."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from mlebench.cli import main

PRACTICE = "practice-tabular-classification"


@dataclass
class Run:
    dir: Path
    meta: dict
    report: dict
    intake: dict | None
    meta_data_dir: Path

    @property
    def stdout(self) -> str:
        return (self.dir / "agent.stdout.log").read_text(errors="replace")


@pytest.fixture
def hostile_run(tmp_path: Path, data_dir: Path, prepare_synthetic, registry, lite_env):
    """`hostile_run(script, competition=PRACTICE, *run_args)` runs `script` (Python, run as the
    agent inside the sandbox) and returns the finished `Run`."""
    prepared: set[str] = set()
    count = [0]

    def run(script: str, *args: str, competition: str = PRACTICE, seeds: int = 1,
            expect_exit: int | None = None) -> Run:
        if competition not in prepared:
            if registry.get_competition(competition).is_practice:
                from mlebench.data import prepare_competition

                prepare_competition(registry.get_competition(competition), force=True)
            else:
                prepare_synthetic(competition)
            prepared.add(competition)
        count[0] += 1
        agent = tmp_path / f"agent{count[0]}"
        agent.mkdir()
        (agent / "main.py").write_text(textwrap.dedent(script))
        (agent / "agent.yaml").write_text(
            'name: hostile\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\n'
            'env_profile: lite\n')
        group = tmp_path / f"group{count[0]}"
        code = main(["run", "--agent", str(agent / "agent.yaml"), "-c", competition,
                     "--time-limit", "60s", "--seeds", str(seeds), "--run-dir", str(group),
                     "--data-dir", str(data_dir), *args])
        if expect_exit is not None:
            assert code == expect_exit
        rd = group / f"{competition}_seed0"
        intake = rd / "intake.json"
        return Run(rd, json.loads((rd / "metadata.json").read_text()),
                   json.loads((rd / "grading_report.json").read_text()),
                   json.loads(intake.read_text()) if intake.is_file() else None, data_dir)

    return run
