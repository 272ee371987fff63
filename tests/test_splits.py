"""Split membership lives in each competition's config; the split files are generated from the
configs by scripts/write_splits.py, and this test keeps the two from drifting apart."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from mlebench.registry import SPLITS_DIR

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "write_splits.py"


def _script():
    spec = importlib.util.spec_from_file_location("write_splits", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_split_files_are_the_ones_the_configs_make():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_hand_edited_missing_or_extra_split_file_is_caught(tmp_path):
    script = _script()
    splits = tmp_path / "splits"
    shutil.copytree(SPLITS_DIR, splits)
    assert script.stale(splits) == []
    low = (splits / "low.txt").read_text().splitlines()
    (splits / "low.txt").write_text("\n".join(low[1:]) + "\n")  # one competition dropped by hand
    (splits / "dev.txt").unlink()
    (splits / "mine.txt").write_text("spaceship-titanic\n")
    assert script.stale(splits) == ["dev.txt", "low.txt", "mine.txt"]


def test_membership_follows_the_configs(registry):
    from mlebench.registry import load_config

    for name in ("low", "medium", "high", "dev", "systemcard", "all"):
        ids = registry.get_split(name)
        assert ids == sorted(ids)
        assert all(name in load_config(cid).splits for cid in ids)
