"""Runs end to end on the real sandbox: the SIGTERM grace period (validation still reachable, the
submission saved then is graded; an agent that ignores SIGTERM is killed at limit + grace), and
a validation endpoint of its own for every run, also under `--network open` with several workers."""

import hashlib
import json
import shutil
import textwrap
import uuid

import psutil
import pytest

from mlebench.cli import main
from mlebench.runtime import netns
from tests._sandbox import requires_sandbox

# The test agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

CID = "spaceship-titanic"

SAVES_ON_SIGTERM = textwrap.dedent('''
    import shutil, signal, subprocess, sys, time

    def on_term(signum, frame):
        print("SIGTERM at", time.time(), flush=True)
        time.sleep(2)  # still working when the time is up: the grace period is for this
        r = subprocess.run(["bash", "/home/validate_submission.sh", "/home/data/sample_submission.csv"],
                           capture_output=True, text=True)
        print("VALIDATION", r.stdout.strip(), flush=True)
        shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
        print("saved at", time.time(), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    print("working", flush=True)
    while True:
        time.sleep(0.1)
''')

IGNORES_SIGTERM = textwrap.dedent('''
    import signal, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("ignoring SIGTERM", sys.argv[1], flush=True)
    while True:
        time.sleep(0.1)
''')

# Posts a body unique to its run several times while the other run does the same.
POSTS_OWN_BODY = textwrap.dedent('''
    import os, time, urllib.request, uuid
    url = os.environ["MLEBENCH_VALIDATION_URL"]
    body = open(os.path.join(os.environ["AGENT_DIR"], "body.txt")).read().replace("SEED", os.environ["MLEBENCH_SEED"])
    print("URL", url, flush=True)
    for _ in range(5):
        boundary = uuid.uuid4().hex
        data = (f"--{boundary}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
                f"filename=\\"s.csv\\"\\r\\n\\r\\n{body}\\r\\n--{boundary}--\\r\\n").encode()
        req = urllib.request.Request(url, data=data, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            print("ANSWER", urllib.request.urlopen(req, timeout=20).read().decode(), flush=True)
        except Exception as e:
            print("ERROR", e, flush=True)
        time.sleep(0.5)
''')


@pytest.fixture
def prepared(prepare_synthetic, data_dir):
    prepare_synthetic(CID)
    return data_dir


def _agent(tmp_path, name: str, script: str, extra: str = "") -> str:
    d = tmp_path / name
    d.mkdir()
    (d / "main.py").write_text(script)
    (d / "agent.yaml").write_text(f'name: {name}\ncommand: ["python3", "/home/agent/main.py"{extra}]\n'
                                  "files: .\nenv_profile: lite\n")
    return str(d / "agent.yaml")


def _meta(rd) -> dict:
    return json.loads((rd / "metadata.json").read_text())


@requires_sandbox
def test_submission_saved_on_sigterm_is_graded(capsys, prepared, tmp_path):
    group = tmp_path / "g"
    code = main(["run", "--agent", _agent(tmp_path, "saver", SAVES_ON_SIGTERM), "-c", CID,
                 "--time-limit", "10s", "--grace-period", "30s", "--run-dir", str(group),
                 "--data-dir", str(prepared)])
    capsys.readouterr()
    assert code == 0
    rd = group / f"{CID}_seed0"
    meta, out = _meta(rd), (rd / "agent.stdout.log").read_text()
    assert "SIGTERM at" in out and "saved at" in out, (out, (rd / "agent.stderr.log").read_text())
    # Validation answered during the grace period, from the run's own endpoint.
    answer = next(line for line in out.splitlines() if line.startswith("VALIDATION"))
    assert json.loads(answer.split(" ", 1)[1])["valid"] is True, out
    calls = [json.loads(line) for line in (rd / "validation_calls.jsonl").read_text().splitlines()]
    assert [c["valid"] for c in calls] == [True]
    assert meta["status"] == "timed-out" and meta["limits"]["grace_period_s"] == 30
    # It ended when the agent did (~2 s after SIGTERM), not at the end of the grace period.
    assert 10 + 2 <= meta["duration_s"] < 10 + 20, meta["duration_s"]
    assert json.loads((rd / "grading_report.json").read_text())["valid_submission"] is True
    assert meta["grading"]["valid_submission"] is True
    assert "30 seconds" in (rd / ".harness" / "instructions.txt").read_text()


@requires_sandbox
def test_agent_ignoring_sigterm_is_killed_at_limit_plus_grace(capsys, prepared, tmp_path):
    marker = f"ignores-{uuid.uuid4().hex}"
    group = tmp_path / "g"
    code = main(["run", "--agent", _agent(tmp_path, "stubborn", IGNORES_SIGTERM, f', "{marker}"'),
                 "-c", CID, "--time-limit", "2s", "--grace-period", "2s", "--run-dir", str(group),
                 "--data-dir", str(prepared)])
    capsys.readouterr()
    assert code == 1  # no submission: exit 1 (README exit codes)
    rd = group / f"{CID}_seed0"
    meta = _meta(rd)
    assert "ignoring SIGTERM" in (rd / "agent.stdout.log").read_text()
    assert meta["status"] == "timed-out"
    assert 2 + 2 <= meta["duration_s"] < 2 + 2 + 4, meta["duration_s"]  # slack for a busy machine
    assert not [p for p in psutil.process_iter(["cmdline"])
                if marker in " ".join(p.info["cmdline"] or [])]
    assert json.loads((rd / "grading_report.json").read_text())["submission_exists"] is False


@pytest.mark.parametrize("mode", ["open", "unsafe-no-sandbox"])
def test_concurrent_runs_each_reach_only_their_own_endpoint(capsys, prepared, tmp_path, mode):
    # With two runs at once, each run's validation log holds its own calls and nothing else (the
    # runs shared host port 5000 under open: one received the other's submissions).
    if mode == "open":
        from tests._sandbox import sandbox_available

        if not sandbox_available():
            pytest.skip("bubblewrap is not installed or cannot run here (apt-get install bubblewrap)")
        if netns.slirp4netns() is None:
            pytest.skip("slirp4netns is not installed (apt-get install slirp4netns)")
        flags = ["--network", "open"]
    else:
        if not shutil.which("python3"):
            pytest.skip("no python3 on PATH")
        flags = ["--unsafe-no-sandbox"]
    agent = _agent(tmp_path, "poster", POSTS_OWN_BODY)
    (tmp_path / "poster" / "body.txt").write_text(f"id,seed\n{uuid.uuid4().hex},SEED\n")
    body = (tmp_path / "poster" / "body.txt").read_text()
    group = tmp_path / "g"
    code = main(["run", "--agent", agent, "-c", CID, "--seeds", "2", "--workers", "2",
                 "--time-limit", "60s", "--run-dir", str(group), "--data-dir", str(prepared),
                 *flags])
    capsys.readouterr()
    assert code == 1  # the agents exit 0 without a submission: completed, exit 1 (no valid one)
    starts, ends = [], []
    for seed in (0, 1):
        rd = group / f"{CID}_seed{seed}"
        meta, out = _meta(rd), (rd / "agent.stdout.log").read_text()
        mine = hashlib.sha256(body.replace("SEED", str(seed)).encode()).hexdigest()
        calls = [json.loads(line) for line in (rd / "validation_calls.jsonl").read_text().splitlines()]
        assert [c["sha256"] for c in calls] == [mine] * 5, (out, (rd / "agent.stderr.log").read_text())
        assert out.count("ANSWER") == 5 and "ERROR" not in out
        assert "address already in use" not in (rd / "agent.stderr.log").read_text()
        if mode == "open":
            assert "URL http://localhost:5000/validate" in out
            assert meta["enforcement"]["validation_endpoint"].startswith("http://localhost:5000")
            assert "slirp4netns" in meta["enforcement"]["outbound"]
        else:
            assert "URL http://localhost:5000/validate" not in out
            assert "kernel-chosen port" in meta["enforcement"]["validation_endpoint"]
        starts.append(meta["started_at"])
        ends.append(meta["ended_at"])
    assert max(starts) < min(ends), "the two runs did not overlap"
