"""The real bubblewrap sandbox against the attacks its seccomp filter and its staged mounts stop
(issue 14, hole 8): new user namespaces, mounts, ptrace, kernel keyrings, eBPF, perf, vsock, and
reading the data folder's host path from /proc/self/mountinfo; while ordinary agent work (numpy,
threads, processes, subprocesses, loopback sockets) keeps working. Each attack below succeeds
without the filter (checked by test_seccomp.py's probes of the same calls)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from mlebench.runtime import seccomp
from tests._sandbox import requires_sandbox
from tests.runtime._hardening import Layout

ATTACK_ERRNOS = {"ptrace attach": errno.EPERM, "process_vm_readv": errno.EPERM,
                 "keyctl": errno.EPERM, "add_key": errno.EPERM, "bpf": errno.EPERM,
                 "perf_event_open": errno.EPERM, "userfaultfd": errno.EPERM,
                 "io_uring_setup": errno.EPERM, "setns": errno.EPERM,
                 "open_by_handle_at": errno.EPERM, "clone3": errno.ENOSYS}


def syscall_numbers() -> dict[str, int]:
    arch = seccomp.machine()
    if arch is None or not seccomp.kernel_has_filters():
        pytest.skip("no seccomp filter for this machine or kernel")
    return {n: v[0 if arch == "x86_64" else 1] for n, v in seccomp.SYSCALLS.items()}


def check_attacks_fail(out: dict) -> None:
    assert out["seccomp_mode"] == "2"  # a filter is installed
    for cmd in ("unshare -Ur", "unshare -m", "unshare -n", "setarch -R"):
        assert out[cmd]["rc"] != 0, (cmd, out[cmd])
    assert "Operation not permitted" in out["unshare -Ur"]["err"]
    assert out["mount"] == -errno.EPERM
    for name, code in ATTACK_ERRNOS.items():
        assert out[name] == -code, (name, out[name])
    assert out["vsock"]["errno"] == errno.EAFNOSUPPORT, out["vsock"]
    assert out["thread"] == ["thread ran"]


@requires_sandbox
def test_attacks_that_need_forbidden_syscalls_fail(tmp_path: Path):
    numbers = syscall_numbers()
    result, out = Layout(tmp_path).run_agent("attacks", json.dumps(numbers))
    check_attacks_fail(out)
    assert result.enforcement["seccomp"].startswith("deny-list v1: ")


@requires_sandbox
def test_ordinary_agent_work_still_runs(tmp_path: Path):
    syscall_numbers()
    _, out = Layout(tmp_path).run_agent("work")
    assert out["numpy"] < 1e-6 and out["threads"] == 328350
    assert out["pool fork"] == out["pool spawn"] == out["pool forkserver"] == 55
    assert out["subprocess"] == "42" and out["posix_spawn"] == 0
    assert out["asyncio subprocess"] == "async" and out["loopback"] == "loopback"
    assert out["unix socketpair"] == 2 and out["tmp write"] == 100


def mount_roots(mountinfo: str) -> dict[str, str]:
    """mount point -> the `root` field (the source's path inside its filesystem)."""
    out = {}
    for line in mountinfo.splitlines():
        fields = line.split()
        out[fields[4]] = fields[3]
    return out


def check_mountinfo(layout: Layout, out: dict) -> None:
    info = out["mountinfo"]
    # Nothing names the data folder, its parent (where the answers are) or the run group...
    for host_path in (layout.public, layout.private.parent, layout.root / "data"):
        assert str(host_path) not in info
    roots = mount_roots(info)
    for target in ("/home/data", "/home/agent", "/home/instructions.txt"):
        assert str(layout.root) not in roots[target], (target, roots[target])
    assert "prepared" not in info and "comp_seed0" not in roots["/home/instructions.txt"]
    # ...and the agent sees exactly the same files, read-only.
    assert out["data"] == ["images", "link", "train.csv"] and out["data_nested"] == "nested"
    assert out["data_link"] == "train.csv" and out["instructions"] == "Do the task.\n"
    assert not out["write data"]["ok"]


@requires_sandbox
def test_mountinfo_does_not_show_where_the_data_lives(tmp_path: Path):
    layout = Layout(tmp_path)
    result, out = layout.run_agent("mountinfo")
    check_mountinfo(layout, out)
    record = result.enforcement["mountinfo"]
    assert set(record["hidden"]) == {"/home/data", "/home/agent", "/home/instructions.txt"}
    assert record["hidden"]["/home/data"] == "2 files hard-linked"
    assert record["visible"][sys.prefix] == "bound at its own path"
    # The staged links are gone with the run; the data is untouched.
    assert (layout.public / "train.csv").read_text() == "id,x\n1,2\n"
    assert (layout.public / "train.csv").stat().st_nlink == 1


@requires_sandbox
def test_data_on_another_filesystem_is_bound_and_recorded_as_visible(tmp_path: Path, monkeypatch):
    """Hard links cannot cross filesystems: with the staging folder on /dev/shm the data keeps its
    host path, the run still works, and the record says why."""
    if not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on another filesystem than the test's folder")
    staging = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        monkeypatch.setattr(tempfile, "tempdir", str(staging))
        layout = Layout(tmp_path)
        result, out = layout.run_agent("mountinfo")
        assert out["data"] == ["images", "link", "train.csv"]
        record = result.enforcement["mountinfo"]
        assert record["visible"]["/home/data"].startswith("host path shown (not staged: ")
        assert record["hidden"]["/home/instructions.txt"] == "copied"
        assert str(layout.public) in out["mountinfo"]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


NON_ROOT_HARNESS = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from tests.runtime._hardening import Layout
    layout = Layout(Path(sys.argv[2]), python=sys.executable)
    results = {}
    for mode, *args in (("attacks", sys.argv[3]), ("mountinfo",)):
        result, out = layout.run_agent(mode, *args)
        results[mode] = {"out": out, "enforcement": result.enforcement}
    print(json.dumps(results))
''')


@requires_sandbox
def test_non_root_harness_gets_the_same_filter_and_staging(tmp_path: Path):
    """The user-namespace path: the harness itself runs as an unprivileged user (the system
    Python, since the test's own interpreter may sit in a folder only root can enter)."""
    numbers = syscall_numbers()
    python = "/usr/bin/python3"
    if os.geteuid() != 0:
        pytest.skip("the other sandbox tests already run this harness unprivileged")
    if not (os.access(python, os.X_OK) and shutil.which("setpriv")):
        pytest.skip("needs /usr/bin/python3 and setpriv to run a harness as nobody")
    repo = Path(__file__).resolve().parents[2]
    work = Path(tempfile.mkdtemp(prefix="mlebench-nonroot-"))
    try:
        os.chown(work, 65534, 65534)
        r = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c",
             NON_ROOT_HARNESS, str(repo / "src"), str(work), json.dumps(numbers)],
            capture_output=True, text=True, timeout=300, cwd=repo,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(repo)})
        if r.returncode != 0 and "cannot create namespaces" in r.stderr:
            pytest.skip(f"unprivileged user namespaces are off here: {r.stderr[-200:]}")
        assert r.returncode == 0, r.stderr[-2000:]
        results = json.loads(r.stdout.strip().splitlines()[-1])
        assert "user namespace" in results["attacks"]["enforcement"]["user"]
        check_attacks_fail(results["attacks"]["out"])
        layout_paths = Layout.__new__(Layout)
        layout_paths.root = work
        prepared = work / "data" / "comp" / "prepared"
        layout_paths.public, layout_paths.private = prepared / "public", prepared / "private"
        check_mountinfo(layout_paths, results["mountinfo"]["out"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


MOUNTINFO_AGENT = textwrap.dedent('''
    import shutil
    shutil.copy("/proc/self/mountinfo", "/home/logs/mountinfo.txt")
    shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
''')


@requires_sandbox
def test_a_real_run_hides_the_data_and_harness_paths(prepare_synthetic, data_dir, tmp_path, capsys,
                                                      lite_env):
    """Through `mlebench run`: /home/data, the instructions, the validation script and the
    forwarder come from the staging folder; metadata records the filter and what is hidden."""
    from mlebench.cli import main
    from mlebench.runtime.runs import INSIDE_DIR

    syscall_numbers()
    comp = prepare_synthetic("spaceship-titanic")
    agent = tmp_path / "agent"
    agent.mkdir()
    (agent / "main.py").write_text(MOUNTINFO_AGENT)
    (agent / "agent.yaml").write_text(
        'name: mountinfo\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\n'
        'env_profile: lite\n')
    group = tmp_path / "group"
    assert main(["run", "--agent", str(agent / "agent.yaml"), "-c", comp.id, "--time-limit",
                 "60s", "--run-dir", str(group), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    rd = group / f"{comp.id}_seed0"
    roots = mount_roots((rd / "logs" / "mountinfo.txt").read_text())
    info = (rd / "logs" / "mountinfo.txt").read_text()
    assert str(data_dir) not in info and "prepared" not in info
    harness = str(INSIDE_DIR.parent)  # the installed package's folder
    for target in ("/home/data", "/home/instructions.txt", "/home/validate_submission.sh",
                   "/home/.mlebench/forward.py"):
        assert str(group) not in roots[target] and harness not in roots[target], roots[target]
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "completed"
    assert meta["enforcement"]["seccomp"].startswith("deny-list v1: ")
    assert set(meta["enforcement"]["mountinfo"]["hidden"]) == {
        "/home/data", "/home/instructions.txt", "/home/validate_submission.sh",
        "/home/.mlebench/forward.py"}
