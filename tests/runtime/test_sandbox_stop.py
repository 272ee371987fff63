"""`SandboxSpec.stop`: the caller ends a sandbox early (the inspect front end does when a sample
ends), with the time limit's SIGTERM, grace period and SIGKILL of everything inside."""

import threading
import time

from mlebench.runtime import sandbox as sb
from tests._sandbox import requires_sandbox


@requires_sandbox
def test_setting_stop_ends_the_sandbox_and_everything_in_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stop = threading.Event()
    spec = sb.SandboxSpec(
        # A child that would outlive its parent, and a parent that ignores SIGTERM.
        command=["/bin/sh", "-c", "trap '' TERM; (sleep 300 &) ; echo up > /home/out/up; "
                                  "while :; do sleep 1; done"],
        mounts=[], writable_dirs=[sb.Mount(out, "/home/out", False)],
        env={"PATH": "/usr/bin:/bin"}, stdout_path=tmp_path / "stdout.log",
        stderr_path=tmp_path / "stderr.log",
        limits=sb.Limits(time_limit_s=120, pids_max=64, grace_period_s=1), stop=stop)
    result: list[sb.SandboxResult] = []
    thread = threading.Thread(target=lambda: result.append(sb.run_sandboxed(spec)))
    thread.start()
    deadline = time.monotonic() + 30
    while not (out / "up").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (out / "up").exists(), (tmp_path / "stderr.log").read_text()
    t0 = time.monotonic()
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive() and time.monotonic() - t0 < 10
    assert result[0].status == "timed-out"  # ended as at the time limit, long before it
    assert (result[0].ended_at - result[0].started_at).total_seconds() < 60
