"""CONTRIBUTING.md's recipes, walked through: the files its code blocks show are written into a copy
of the package, and the steps it lists are run there as a contributor would run them (real
processes: the CLI, scripts/write_splits.py, lint-imports)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^( *)```[a-z]*\n(.*?)^\1```", re.M | re.S)


def read_recipe(section: str) -> str:
    """The text of one `## ` section of CONTRIBUTING.md."""
    text = (ROOT / "CONTRIBUTING.md").read_text()
    return text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]


def recipe_files(section: str) -> dict[str, str]:
    """{path under the repository: content} of the code blocks of one `## ` section that start
    with a `# src/...` comment naming the file."""
    body = read_recipe(section)
    files = {}
    for indent, code in BLOCK.findall(body):
        code = textwrap.dedent(code) if indent else code
        first, _, rest = code.partition("\n")
        if first.startswith("# src/"):
            files[first[2:].strip()] = rest
    return files


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A copy of the package (and the import contracts) that a recipe may change."""
    shutil.copytree(ROOT / "src" / "mlebench", tmp_path / "src" / "mlebench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def run(house: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(house / "src"), "MLEBENCH_OFFLINE": "1"}
    return subprocess.run(args, cwd=house, env=env, capture_output=True, text=True, timeout=300)


def test_the_copy_is_what_runs(house):
    result = run(house, sys.executable, "-c", "import mlebench; print(mlebench.__file__)")
    assert result.stdout.strip() == str(house / "src" / "mlebench" / "__init__.py")


def test_add_a_competition(house):
    files = recipe_files("Add a competition")
    folder = "src/mlebench/competitions/toy-house-prices"
    assert sorted(files) == [f"{folder}/{name}" for name in
                             ("config.yaml", "fixture.py", "grade.py", "prepare.py")]
    for path, content in files.items():  # step 1-4: one folder
        (house / path).parent.mkdir(parents=True, exist_ok=True)
        (house / path).write_text(content)

    # Step 5: the split files follow the config.
    result = run(house, sys.executable, str(ROOT / "scripts" / "write_splits.py"))
    assert result.returncode == 0, result.stderr
    dev = (house / "src/mlebench/splits/dev.txt").read_text().split()
    assert "toy-house-prices" in dev and dev == sorted(dev)
    assert "toy-house-prices" not in (ROOT / "src/mlebench/splits/dev.txt").read_text()
    listed = run(house, sys.executable, "-m", "mlebench", "list", "--split", "dev", "--ids")
    assert "toy-house-prices" in listed.stdout.split()

    # Step 6: prepared offline from the fixture, and its sample submission graded.
    data = house / "data"
    prepared = run(house, sys.executable, "-m", "mlebench", "prepare", "-c", "toy-house-prices",
                   "--synthetic", "--data-dir", str(data))
    assert prepared.returncode == 0, prepared.stderr
    sample = data / "toy-house-prices/prepared/public/sample_submission.csv"
    graded = run(house, sys.executable, "-m", "mlebench", "grade-sample", str(sample),
                 "toy-house-prices", "--data-dir", str(data), "--json")
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    answers = pd.read_csv(data / "toy-house-prices/prepared/private/test.csv")
    assert len(answers) == 40 and report["valid_submission"] is True
    # The sample predicts 0 everywhere: its RMSE is the root mean square of the prices.
    assert report["score"] == pytest.approx(math.sqrt((answers["price"] ** 2).mean()), rel=1e-5)


def test_add_a_metric(house):
    files = recipe_files("Add a metric")
    assert list(files) == ["src/mlebench/metrics/max_error.py"]
    (house / "src/mlebench/metrics/max_error.py").write_text(files["src/mlebench/metrics/max_error.py"])
    init = house / "src/mlebench/metrics/__init__.py"  # step 2: exported
    entry = '    "max_error": ("max_abs_error",),\n'
    assert entry.strip() in read_recipe("Add a metric")
    marker = "_MODULES: dict[str, tuple[str, ...]] = {\n"
    init.write_text(init.read_text().replace(marker, marker + entry, 1))

    check = textwrap.dedent("""
        import pandas as pd
        from mlebench.errors import InvalidSubmissionError
        from mlebench.metrics import max_abs_error

        answers = pd.DataFrame({"id": [1, 2, 3], "y": [1, 2, 3]})
        print(max_abs_error(pd.DataFrame({"id": [3, 1, 2], "y": [2, 1, 4]}), answers, "id", "y"))
        for bad in ({"id": [1, 2, 9], "y": [1, 2, 3]}, {"id": [1, 2, 3], "y": ["a", 2, 3]},
                    {"id": [1, 2, 3]}):
            try:
                max_abs_error(pd.DataFrame(bad), answers, "id", "y")
            except InvalidSubmissionError as e:
                print("refused:", e)
    """)
    result = run(house, sys.executable, "-c", check)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2.0"  # the docstring's example
    assert len(lines) == 4 and all(line.startswith("refused: ") for line in lines[1:])

    # Step 4: the import contracts still hold with the new module.
    lint = run(house, str(Path(sys.executable).parent / "lint-imports"))
    assert lint.returncode == 0, lint.stdout[-2000:]
    assert "BROKEN" not in lint.stdout
