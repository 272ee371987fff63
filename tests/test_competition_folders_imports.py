"""The competition folders' modules import only what lies below them. import-linter cannot see
them (their folder names are not identifiers), so this checks the same contract by reading every
import of every `competitions/<id>/*.py` and `competitions/_kit/*.py`."""

import ast
from pathlib import Path

from mlebench.registry import COMPETITIONS_DIR

# What a preparer, grader or fixture may use: metrics, table reading, errors, data helpers, the
# pinned upstream assets, the shared kit and its own folder (relative imports).
ALLOWED = ("mlebench.metrics", "mlebench.tables", "mlebench.errors", "mlebench.data",
           "mlebench.upstream", "mlebench.competitions._kit")


def imports_of(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return [n for n in names if n == "mlebench" or n.startswith("mlebench.")]


def upward_imports(root: Path) -> list[str]:
    return [f"{path.relative_to(root)}: {name}"
            for path in sorted(root.rglob("*.py"))
            for name in imports_of(path)
            if not any(name == a or name.startswith(a + ".") for a in ALLOWED)]


def test_competition_folders_import_nothing_above_them():
    assert upward_imports(COMPETITIONS_DIR) == []


def test_an_upward_import_is_caught(tmp_path):
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "grade.py").write_text(
        "from mlebench.metrics import rmse\nfrom .classes import X\n"
        "def grade(s, a):\n    from mlebench.grading.medals import thresholds\n    return 0\n")
    assert upward_imports(tmp_path) == ["toy/grade.py: mlebench.grading.medals"]


# Libraries only preparers and fixtures use: a grader module that imports one (directly or through
# a shared kit module) makes every grading worker pay its import time and memory.
PREPARING_ONLY = ("py7zr", "kaggle", "PIL", "pydicom", "sklearn.model_selection", "matplotlib",
                  "httpx")


def test_grader_modules_import_no_preparing_library():
    """Every grader, imported as the grading worker imports it (after the libraries the worker
    loads at start-up), pulls in none of the preparers' libraries."""
    import subprocess
    import sys

    code = (
        "import sys, importlib\n"
        "import pandas, scipy.stats, sklearn.metrics, pyarrow.csv, pyarrow.compute  # the worker's\n"
        "from mlebench.registry import Registry\n"
        f"banned = {PREPARING_ONLY!r}\n"
        "reg = Registry('/nonexistent')\n"
        "for cid in reg.list_competition_ids():\n"
        "    if not reg.get_competition(cid).implemented: continue\n"
        "    before = set(sys.modules)\n"
        "    reg.get_competition(cid).module('grade')\n"
        "    new = set(sys.modules) - before\n"
        "    hits = sorted(b for b in banned if b in new)\n"
        "    if hits: print(cid, *hits)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
