"""The run's writable folders on a filesystem of their own: sized to the disk limit, taken in
through the intake afterwards, and never left mounted by a harness that died."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlebench.runtime import workspace

can_mount = workspace._can_mount() is None
needs_mount = pytest.mark.skipif(not can_mount, reason="an ext4 image of its own needs root, "
                                 f"loop devices and mkfs.ext4 ({workspace._can_mount()})")


def _mounted(path: Path) -> bool:
    return str(path) in workspace._mountpoints()


@needs_mount
@pytest.mark.parametrize("limit_mib", [40, 300])
def test_the_filesystem_holds_the_limit_within_five_percent(tmp_path, limit_mib):
    ws = workspace.create(tmp_path / ".harness", limit_mib << 20, None, None)
    try:
        assert ws.kind == "ext4-image" and _mounted(ws.root)
        written = 0
        with pytest.raises(OSError) as err, open(ws.dirs["logs"] / "big.bin", "wb") as f:
            while True:
                f.write(b"\0" * (1 << 20))
                f.flush()
                written += 1 << 20
        assert err.value.errno == 28  # ENOSPC: refused, not noticed later
        assert 0.95 * (limit_mib << 20) <= written <= 1.05 * (limit_mib << 20), written
    finally:
        ws.close()
    assert not _mounted(ws.root) and not ws.root.exists()


@needs_mount
def test_a_workspace_left_by_a_killed_harness_is_unmounted(tmp_path):
    """A harness killed mid-run (a lost Ray worker, kill -9) cannot unmount its workspace; the
    next workspace made on the machine does."""
    script = textwrap.dedent(f'''
        import os
        from pathlib import Path
        from mlebench.runtime import workspace
        ws = workspace.create(Path({str(tmp_path / "dead" / ".harness")!r}), 32 << 20, None, None)
        print(ws.root, flush=True)
        os._exit(0)  # no close(): as if killed
    ''')
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    left = Path(out.stdout.strip())
    assert _mounted(left)
    ws = workspace.create(tmp_path / "next" / ".harness", 32 << 20, None, None)
    try:
        assert not _mounted(left)
        assert _mounted(ws.root)  # its own is not a stale one
    finally:
        ws.close()


def test_take_in_copies_plain_files_and_lists_the_rest(tmp_path):
    ws = workspace.create(tmp_path / ".harness", None, None, None)  # a plain folder
    try:
        (ws.dirs["submission"] / "submission.csv").write_text("id,y\n1,0\n")
        (ws.dirs["logs"] / "secret.log").symlink_to("/etc/shadow")
        os.mkfifo(ws.dirs["code"] / "pipe")
        ws.stdout_path.write_text("hello\n")
        run = tmp_path / "run"
        run.mkdir()
        report = workspace.take_in(ws, run)
    finally:
        ws.close()
    record = json.loads((run / workspace.INTAKE_FILE).read_text())
    assert record["workspace"] == "folder"
    assert {r["path"]: r["kind"] for r in record["refused"]} == {"logs/secret.log": "symlink",
                                                                 "code/pipe": "fifo"}
    assert (run / "submission" / "submission.csv").read_text() == "id,y\n1,0\n"
    assert (run / "agent.stdout.log").read_text() == "hello\n"
    assert report.find("submission/submission.csv").size == 9
    assert not any(p.is_symlink() for p in run.rglob("*"))
