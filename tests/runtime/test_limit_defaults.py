"""Safe defaults: memory, disk and process limits are on unless widened, chosen from the machine,
recorded with how they were chosen, and kept when a run group is resumed."""

import json
import shutil
from dataclasses import asdict

import psutil
import pytest

from mlebench.cli import main
from mlebench.runtime.group import GROUP_FILE
from mlebench.runtime.limit_defaults import (
    DEFAULT_PIDS,
    machine_memory_bytes,
    with_machine_defaults,
)
from mlebench.runtime.runs import RunLimits
from tests._sandbox import requires_sandbox

CID = "spaceship-titanic"
ALL = {"memory_bytes", "disk_bytes", "pids_max"}


def test_unset_limits_are_a_share_of_the_machine(tmp_path):
    one = with_machine_defaults(RunLimits(memory_bytes=None, disk_bytes=None), ALL, tmp_path / "g", 1)
    two = with_machine_defaults(RunLimits(memory_bytes=None, disk_bytes=None), ALL, tmp_path / "g", 2)
    memory, free = machine_memory_bytes(), shutil.disk_usage(tmp_path).free
    assert memory <= psutil.virtual_memory().total
    for limits, n in ((one, 1), (two, 2)):
        assert 0.75 * memory / n <= limits.memory_bytes <= 0.8 * memory / n
        # Free space moves while other tests write: a loose band around 80% / n.
        assert 0.6 * free / n <= limits.disk_bytes <= 0.9 * free / n
        assert limits.pids_max == DEFAULT_PIDS
        assert set(limits.machine_defaults) == ALL
    assert "2 runs at once" in two.machine_defaults["memory_bytes"]
    assert "80% of the machine's" in one.machine_defaults["memory_bytes"]


def test_given_limits_are_kept_and_not_marked_as_defaults(tmp_path):
    given = RunLimits(memory_bytes=None, disk_bytes=5 << 30, pids_max=100)
    limits = with_machine_defaults(given, {"memory_bytes"}, tmp_path, 1)
    assert limits.disk_bytes == 5 << 30 and limits.pids_max == 100
    assert list(limits.machine_defaults) == ["memory_bytes"] and limits.memory_bytes > 0
    # `none` (None, not in the unset fields): no limit, nothing chosen.
    none = with_machine_defaults(RunLimits(memory_bytes=None, pids_max=None), set(), tmp_path, 1)
    assert none.memory_bytes is None and none.pids_max is None and none.machine_defaults == {}


def test_a_resumed_group_keeps_the_limits_it_was_made_with(tmp_path):
    group = tmp_path / "g"
    group.mkdir()
    made = RunLimits(memory_bytes=123 << 20, disk_bytes=456 << 20, pids_max=4096,
                     machine_defaults={"memory_bytes": "on another machine",
                                       "disk_bytes": "when there was less free space"})
    (group / GROUP_FILE).write_text(json.dumps({"identity": {"limits": asdict(made)}}))
    resumed = with_machine_defaults(RunLimits(), {"memory_bytes", "disk_bytes"}, group, 4)
    assert (resumed.memory_bytes, resumed.disk_bytes) == (123 << 20, 456 << 20)
    assert resumed.machine_defaults == made.machine_defaults
    # A field that was given explicitly then is chosen afresh now (and the group refuses it).
    fresh = with_machine_defaults(RunLimits(), {"pids_max"}, group, 4)
    assert fresh.machine_defaults == {"pids_max": "mlebench's default 4096 processes"}


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--memory", "0", "allows nothing"),
    ("--disk", "lots", "Cannot read size"),
    ("--pids-limit", "many", "Cannot read count"),
    ("--pids-limit", "-3", "allows nothing"),
    ("--grace-period", "-5s", "cannot be negative"),
])
def test_bad_limit_flags_are_one_line_errors(capsys, data_dir, flag, value, message):
    code = main(["run", "--agent", "dummy", "-c", CID, f"{flag}={value}", "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


@requires_sandbox
def test_run_records_defaults_and_none_turns_a_limit_off(capsys, prepare_synthetic, data_dir,
                                                         tmp_path):
    prepare_synthetic(CID)
    group = tmp_path / "g"
    assert main(["run", "--agent", "dummy", "-c", CID, "--time-limit", "60s", "--memory", "none",
                 "--pids-limit", "300", "--run-dir", str(group), "--data-dir", str(data_dir)]) == 0
    err = capsys.readouterr().err  # a status line: stderr, so that --json output stays JSON
    assert "limits per run: memory no limit" in err and "processes 300" in err
    recorded = json.loads((group / GROUP_FILE).read_text())["identity"]["limits"]
    meta = json.loads((group / f"{CID}_seed0" / "metadata.json").read_text())
    for limits in (recorded, meta["limits"]):
        assert limits["memory_bytes"] is None and limits["pids_max"] == 300
        assert limits["disk_bytes"] > 0 and list(limits["machine_defaults"]) == ["disk_bytes"]
        assert limits["grace_period_s"] == 30
    assert str(meta["limits"]["disk_bytes"]) in meta["enforcement"]["disk"]
    e = meta["enforcement"]
    assert "pids" in e["cgroup_controllers"] or "RLIMIT_NPROC" in e["rlimits"]
    assert "RLIMIT_AS" not in e["rlimits"]  # memory: none
