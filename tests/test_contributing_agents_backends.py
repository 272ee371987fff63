"""CONTRIBUTING.md's "Add an agent" and "Add a sandbox backend", followed to the letter: the files
its `# file:` blocks show are written as shown and its `mlebench` commands run as the real CLI,
in the real sandbox, on a practice competition."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env

ROOT = Path(__file__).resolve().parents[1]
CID = "practice-tabular-regression"
pytestmark = pytest.mark.usefixtures("lite_env")  # agents run in the `lite` environment


def _section(title: str) -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else None]


def _blocks(section: str) -> list[tuple[str, str]]:
    """(language, dedented body) of every fenced block, list-indented or not."""
    found = re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", section, re.S | re.M)
    return [(m.group(2), textwrap.dedent(m.group(3))) for m in found]


def _write_files(section: str, into: Path) -> dict[str, Path]:
    written = {}
    for _, body in _blocks(section):
        first, _, rest = body.partition("\n")
        if first.startswith("# file: "):
            path = into / first.removeprefix("# file: ").strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rest)
            written[path.relative_to(into).as_posix()] = path
    return written


def _commands(section: str, verb: str) -> list[list[str]]:
    return [shlex.split(line) for lang, body in _blocks(section) if lang == "bash"
            for line in body.splitlines() if line.startswith(f"mlebench {verb} ")]


def _mlebench(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    assert argv[0] == "mlebench"
    return subprocess.run([sys.executable, "-m", "mlebench", *argv[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _runs(group: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(group.glob("*/metadata.json"))]


def test_add_an_agent(tmp_path: Path, data_dir: Path):
    section = _section("Add an agent")
    files = _write_files(section, tmp_path)
    assert set(files) == {"my-agent/agent.yaml", "my-agent/main.py"}
    env = cli_env(data_dir)
    (prepare,) = _commands(section, "prepare")
    assert _mlebench([*prepare, "--data-dir", str(data_dir)], tmp_path, env).returncode == 0
    (run,) = _commands(section, "run")
    assert CID in run and "my-agent/agent.yaml" in run
    group = tmp_path / "group"
    proc = _mlebench([*run, "--run-dir", str(group), "--data-dir", str(data_dir)], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    (meta,) = _runs(group)
    assert meta["agent"]["name"] == "my-agent" and meta["sandbox"] == "bubblewrap"
    assert meta["status"] == "completed" and meta["grading"]["valid_submission"], meta
    assert meta["validation"]["valid"] >= 1  # the agent checked its submission from inside
    run_dir = group / f"{CID}_seed0"
    assert "validation:" in (run_dir / "agent.stdout.log").read_text()
    # The mean predictor's score is the regression metric of a constant: a real, finite number.
    report = json.loads((run_dir / "grading_report.json").read_text())
    assert report["score"] is not None and report["score"] > 0


def _install_like_pip(project: Path, site: Path) -> None:
    """What `pip install -e` leaves for Python to find: the module importable, and a dist-info
    folder whose entry_points.txt lists the pyproject's entry points (read by importlib)."""
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    dist = site / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
    lines = [f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items())
             for group, eps in meta["entry-points"].items()]
    (dist / "entry_points.txt").write_text("\n".join(lines))
    for module in project.glob("*.py"):
        (site / module.name).write_text(module.read_text())


NICENESS_AGENT = """\
import os, shutil
print("niceness", os.nice(0), flush=True)
shutil.copy(os.path.join(os.environ["DATA_DIR"], "sample_submission.csv"),
            os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
"""


def test_add_a_sandbox_backend(tmp_path: Path, data_dir: Path):
    section = _section("Add a sandbox backend")
    files = _write_files(section, tmp_path)
    assert set(files) == {"nice-backend/nice_backend.py", "nice-backend/pyproject.toml"}
    site = tmp_path / "site"
    _install_like_pip(tmp_path / "nice-backend", site)
    env = cli_env(data_dir, PYTHONPATH=str(site))
    for cid in (CID, "practice-tabular-classification"):
        assert _mlebench(["mlebench", "prepare", "-c", cid, "--data-dir", str(data_dir)],
                         tmp_path, env).returncode == 0
    (run,) = _commands(section, "run")
    assert run[run.index("--backend") + 1] == "nice"
    # The recipe's own command, then two competitions at once through the scheduler, with an
    # agent that reports the priority it was given.
    group = tmp_path / "group"
    proc = _mlebench([*run, "--run-dir", str(group), "--data-dir", str(data_dir)], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    (meta,) = _runs(group)
    assert meta["sandbox"] == "bubblewrap (nice 10)" and meta["status"] == "completed"
    assert meta["enforcement"]["priority"] == "nice 10" and meta["grading"]["valid_submission"]

    agent = tmp_path / "niceness-agent"
    agent.mkdir()
    (agent / "main.py").write_text(NICENESS_AGENT)
    (agent / "agent.yaml").write_text('name: niceness\ncommand: ["python3", "/home/agent/main.py"]'
                                      "\nfiles: .\nenv_profile: lite\n")
    group = tmp_path / "group2"
    proc = _mlebench(["mlebench", "run", "--agent", str(agent / "agent.yaml"), "-c", CID, "-c",
                      "practice-tabular-classification", "--backend", "nice", "--workers", "2",
                      "--run-dir", str(group), "--data-dir", str(data_dir)], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    runs = _runs(group)
    assert len(runs) == 2 and {m["sandbox"] for m in runs} == {"bubblewrap (nice 10)"}
    for m in runs:
        log = (group / m["run_id"] / "agent.stdout.log").read_text()
        assert "niceness 10" in log, log


def test_unknown_backend_is_a_one_line_error(tmp_path: Path, data_dir: Path):
    env = cli_env(data_dir)
    assert _mlebench(["mlebench", "prepare", "-c", CID, "--data-dir", str(data_dir)], tmp_path,
                     env).returncode == 0
    proc = _mlebench(["mlebench", "run", "--agent", "dummy", "-c", CID, "--backend", "nicer",
                      "--run-dir", str(tmp_path / "g"), "--data-dir", str(data_dir)], tmp_path, env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "Unknown backend 'nicer'" in line and "local" in line and "docker" in line
