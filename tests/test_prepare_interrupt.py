"""Ctrl-C during `mlebench prepare` (a real process receiving SIGINT): it reports the truth, exits
130 only when work was left unfinished, and leaves nothing stale behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from mlebench.cli import main
from tests.cli_helpers import cli_env

QUICK = "leaf-classification"  # about a second to prepare
SLOW = "tabular-playground-series-may-2022"  # about ten seconds: interrupted well before the end


def _interrupt_after_first_prepared(argv: list[str], data: Path, delay: float):
    """Start `mlebench prepare ...`, send SIGINT `delay` seconds after its first ✓ line."""
    proc = subprocess.Popen([sys.executable, "-u", "-m", "mlebench", "prepare", *argv,
                             "--synthetic"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=cli_env(data))
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("✓"):
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, "".join(seen) + err, out


def _prepared(data: Path, cid: str) -> bool:
    return (data / cid / "prepared" / "PREPARED.json").is_file()


def test_interrupt_mid_way_names_what_was_and_was_not_prepared(tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text(f"{QUICK}\n{SLOW}\n")
    data = tmp_path / "data"
    code, err, _ = _interrupt_after_first_prepared(["--list", str(ids)], data, delay=0.3)
    assert code == 130, err
    assert f"✓ {QUICK}: prepared (synthetic)" in err and f"✓ {SLOW}" not in err
    assert f"✗ {SLOW}: interrupted; nothing was prepared" in err
    assert f"interrupted: 1 of 2 competition(s) not prepared ({SLOW})" in err
    assert _prepared(data, QUICK) and not _prepared(data, SLOW)  # what it said is what happened


def test_interrupt_after_the_work_is_done_is_not_an_interruption(tmp_path):
    data = tmp_path / "data"
    code, err, _ = _interrupt_after_first_prepared(["-c", QUICK], data, delay=0)
    assert code == 0, err
    assert "interrupted" not in err and "Traceback" not in err and _prepared(data, QUICK)


def test_stale_scratch_and_partial_folders_go_on_the_next_run_and_with_force(tmp_path, capsys):
    data = tmp_path / "data"
    argv = ["prepare", "-c", QUICK, "--synthetic", "--data-dir", str(data)]
    assert main(argv) == 0
    comp_dir = data / QUICK

    def leave_stale_work() -> None:  # what a killed run leaves behind
        for name in (".scratch-abc123", "prepared.partial", "raw.partial"):
            (comp_dir / name / "deep").mkdir(parents=True)
            (comp_dir / name / "deep" / "file").write_text("stale")
        (comp_dir / f"{QUICK}.zip.part").write_text("a resumable download")

    leave_stale_work()
    assert main(argv) == 0 and "already prepared" in capsys.readouterr().out
    assert sorted(p.name for p in comp_dir.iterdir()) == [".lock", f"{QUICK}.zip.part", "prepared"]
    leave_stale_work()
    assert main([*argv, "--force"]) == 0
    assert sorted(p.name for p in comp_dir.iterdir()) == [".lock", f"{QUICK}.zip.part", "prepared"]
    assert json.loads((comp_dir / "prepared" / "PREPARED.json").read_text())["synthetic"]
