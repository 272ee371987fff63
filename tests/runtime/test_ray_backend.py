"""The Ray backend on a real multi-node Ray cluster on this machine (a head with no CPUs, so
agents run only on the two worker nodes; each worker node has its own temporary folder and a
Python audit hook logging file accesses under `prepared/`): runs spread over the nodes, the
answers never reach a worker, validation is answered by the head, a node killed mid-run is
retried and recorded once, and an interrupted `mlebench run` resumes."""

import contextlib
import itertools
import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from mlebench.cli import main
from tests._sandbox import sandbox_available

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")

CID = "spaceship-titanic"
AUDIT_DIR = Path(__file__).parent / "ray_audit"

AGENT = """
import http.client, json, os, shutil, sys, time, urllib.parse, urllib.request, uuid
ctl = {ctl!r}
seed = os.environ["MLEBENCH_SEED"]
url = os.environ["MLEBENCH_VALIDATION_URL"]
sample = os.path.join(os.environ["DATA_DIR"], "sample_submission.csv")

def validate(data):
    boundary = uuid.uuid4().hex
    body = (f"--{{boundary}}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
            f"filename=\\"submission.csv\\"\\r\\nContent-Type: text/csv\\r\\n\\r\\n").encode() \\
        + data + f"\\r\\n--{{boundary}}--\\r\\n".encode()
    req = urllib.request.Request(url, data=body, headers={{
        "Content-Type": f"multipart/form-data; boundary={{boundary}}"}})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())

def declared_too_large():
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.putrequest("POST", u.path)
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(10**12))
    conn.endheaders()
    r = conn.getresponse()
    return r.status, json.loads(r.read())

logs = os.environ["LOGS_DIR"]
if os.path.exists(os.path.join(ctl, f"block-seed{{seed}}")) and \\
        not os.path.exists(os.path.join(ctl, f"blocked-seed{{seed}}")):
    # A first attempt: one (invalid) validation call, then wait to be interrupted.
    validate(b"not,a,submission\\n")
    with open(os.path.join(ctl, f"blocked-seed{{seed}}"), "w") as f:
        f.write(str(os.getpid()))
    deadline = time.time() + 120
    while not os.path.exists(os.path.join(ctl, "release")) and time.time() < deadline:
        time.sleep(0.2)
    sys.exit(3)
calls = [validate(open(sample, "rb").read())]
if os.path.exists(os.path.join(os.environ["AGENT_DIR"], "oversize")):
    calls.append(declared_too_large())
with open(os.path.join(logs, "calls.json"), "w") as f:
    json.dump(calls, f)
shutil.copy(sample, os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A head (no CPU: agents never run there) and two worker nodes of one CPU each, each with
    its own TMPDIR (where the node caches public data and keeps run scratch) and audit log."""
    base = tmp_path_factory.mktemp("raycluster")
    c = cluster_utils.Cluster(initialize_head=True, head_node_args={
        "num_cpus": 0, "include_dashboard": False})
    workers = {}

    def add_worker(name: str):
        tmp = base / name
        tmp.mkdir()
        node = c.add_node(num_cpus=1, resources={name: 1}, env_vars={
            "TMPDIR": str(tmp), "PYTHONPATH": str(AUDIT_DIR),
            "MLEBENCH_TEST_AUDIT_LOG": str(base / f"{name}.audit")})
        workers[name] = {"node": node, "tmp": tmp, "audit": base / f"{name}.audit"}
        return node

    for name in ("worker0", "worker1"):
        add_worker(name)
    ray.init(address=c.address, include_dashboard=False, log_to_driver=False)
    c.wait_for_nodes()
    yield {"cluster": c, "workers": workers, "add_worker": add_worker}
    ray.shutdown()
    c.shutdown()


def _agent(tmp_path: Path) -> tuple[Path, Path]:
    ctl = tmp_path / "ctl"
    ctl.mkdir()
    agent_dir = tmp_path / "agent"
    agent_dir.mkdir()
    (agent_dir / "main.py").write_text(textwrap.dedent(AGENT.format(ctl=str(ctl))))
    (agent_dir / "agent.yaml").write_text(
        'name: probe\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\nenv_profile: lite\n')
    return agent_dir / "agent.yaml", ctl


def _run_args(agent: Path, group: Path, data_dir: Path, seeds: int = 2,
              sandboxed: bool = False) -> list[str]:
    """Agents that must reach the test's control folder run unsandboxed."""
    return ["run", "--agent", str(agent), "-c", CID, "--seeds", str(seeds), "--backend", "ray",
            "--time-limit", "120s", "--run-dir", str(group), "--data-dir", str(data_dir),
            *([] if sandboxed else ["--unsafe-no-sandbox"])]


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def _node_id(node) -> str:
    return node.node_id if hasattr(node, "node_id") else node.unique_id


def test_runs_spread_over_workers_graded_on_head_and_answers_never_leave_it(
        cluster, prepare_synthetic, data_dir, tmp_path, capsys):
    competition = prepare_synthetic(CID)
    agent, _ = _agent(tmp_path)
    (agent.parent / "oversize").touch()
    group = tmp_path / "group"
    # In the real sandbox where there is one: the agent's validation goes from inside it through
    # the forwarder and the worker's relay to the head.
    sandboxed = sandbox_available()
    code = main(_run_args(agent, group, data_dir, sandboxed=sandboxed))
    capsys.readouterr()
    assert code == 0

    worker_ids = {_node_id(w["node"]) for w in cluster["workers"].values()}
    runs = sorted(p.name for p in group.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert runs == [f"{CID}_seed0", f"{CID}_seed1"]
    nodes = []
    for name in runs:
        rd = group / name
        meta = json.loads((rd / "metadata.json").read_text())
        report = json.loads((rd / "grading_report.json").read_text())
        assert meta["status"] == "completed" and meta["backend"] == "ray"
        assert meta["sandbox"] == ("bubblewrap" if sandboxed else "UNSAFE: --unsafe-no-sandbox")
        assert report["valid_submission"] and meta["grading"]["valid_submission"]
        assert report["submission_intake"]["status"] == "regular"
        nodes.append(meta["ray_node_id"])
        # The head's data checksums are recorded, though the worker never had the manifest.
        assert meta["data"]["checksums"] and meta["data"]["synthetic"] is True
        # Validation was answered on the head and logged there, moved into the run folder.
        calls = json.loads((rd / "logs" / "calls.json").read_text())
        assert calls[0][0] == 200 and calls[0][1]["valid"] is True
        assert calls[1][1]["valid"] is False and "larger than" in calls[1][1]["result"]
        log = [json.loads(line) for line in (rd / "validation_calls.jsonl").read_text().splitlines()]
        assert [c["valid"] for c in log] == [True, False]
        assert log[0]["sha256"] == __import__("hashlib").sha256(
            competition.sample_submission.read_bytes()).hexdigest()
        assert meta["validation"] == {"calls": 2, "valid": 1, "invalid": 1}
    assert set(nodes) == worker_ids  # one run on each worker node, none on the head
    assert not (group / ".validation").exists()

    # No worker ever held a private file: the staged copy is exactly the public folder, the
    # answers' bytes are in nothing a worker node wrote, and the workers' processes (audit hook)
    # touched staged public files but never a path under prepared/private.
    public = sorted(p.relative_to(competition.public_dir).as_posix()
                    for p in _files(competition.public_dir))
    answers = competition.answers.read_bytes()
    probe = answers[len(answers) // 3: len(answers) // 3 + 256]
    assert probe not in competition.sample_submission.read_bytes()
    for name, w in cluster["workers"].items():
        cache = w["tmp"] / "mlebench-ray-cache"
        staged = [d for d in cache.iterdir() if d.is_dir() and not d.name.startswith(".")]
        assert len(staged) == 1, name
        staged_public = staged[0] / "data" / CID / "prepared" / "public"
        assert sorted(p.relative_to(staged_public).as_posix()
                      for p in _files(staged_public)) == public
        assert not (staged[0] / "data" / CID / "prepared" / "private").exists()
        for f in _files(w["tmp"]):
            data = f.read_bytes()
            assert answers not in data and probe not in data, f
        audit = w["audit"].read_text().splitlines()
        assert any("/prepared/public/" in line for line in audit), name  # the hook was active
        assert not [line for line in audit if "prepared/private" in line], name


def test_public_data_is_fetched_once_per_node_and_reused(cluster, prepare_synthetic, data_dir,
                                                         tmp_path, capsys):
    prepare_synthetic(CID)
    agent, _ = _agent(tmp_path)
    before = {n: {d.name: d.stat().st_mtime_ns for d in
                  (w["tmp"] / "mlebench-ray-cache").glob("[0-9a-f]*")}
              for n, w in cluster["workers"].items()}
    group = tmp_path / "group"
    assert main(_run_args(agent, group, data_dir, seeds=4)) == 0
    capsys.readouterr()
    # One run at a time per one-CPU node: a task never gives its CPU back while it waits on Ray
    # (staged data, validation), so no node ever ran two agents at once.
    spans: dict[str, list] = {}
    for meta_path in group.glob("*/metadata.json"):
        meta = json.loads(meta_path.read_text())
        assert meta["status"] == "completed"
        spans.setdefault(meta["ray_node_id"], []).append((meta["started_at"], meta["ended_at"]))
    assert sum(map(len, spans.values())) == 4 and len(spans) == 2
    for runs in spans.values():
        runs.sort()
        assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(runs))
    for n, w in cluster["workers"].items():
        after = {d.name: d.stat().st_mtime_ns for d in
                 (w["tmp"] / "mlebench-ray-cache").glob("[0-9a-f]*")}
        assert after == before[n]  # same bytes as the first test: the node's copy was reused


def test_a_worker_node_killed_mid_run_is_retried_and_recorded_once(
        cluster, prepare_synthetic, data_dir, tmp_path, capsys):
    import psutil

    prepare_synthetic(CID)
    agent, ctl = _agent(tmp_path)
    (ctl / "block-seed0").touch()
    group = tmp_path / "group"
    result = {}
    driver = threading.Thread(target=lambda: result.setdefault(
        "code", main(_run_args(agent, group, data_dir))))
    driver.start()
    blocked = ctl / "blocked-seed0"
    deadline = time.time() + 120
    while not blocked.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert blocked.exists()
    time.sleep(0.3)
    agent = psutil.Process(int(blocked.read_text()))
    raylets = {w["node"].all_processes["raylet"][0].process.pid: n
               for n, w in cluster["workers"].items()}
    chain = [agent]  # the agent and the Ray worker process running its task, up to the raylet
    for parent in agent.parents():
        if parent.pid in raylets:
            victim = raylets[parent.pid]
            break
        chain.append(parent)
    survivor = next(n for n in cluster["workers"] if n != victim)
    # A lost node: its raylet and every process of the task die at once (a worker process left
    # running could still hand its result to the driver, as after a network partition).
    cluster["cluster"].remove_node(cluster["workers"].pop(victim)["node"], allow_graceful=False)
    for proc in chain:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    (ctl / "release").touch()
    driver.join(timeout=240)
    assert not driver.is_alive()
    capsys.readouterr()
    cluster["add_worker"](victim + "b")  # the next test gets two worker nodes again
    cluster["cluster"].wait_for_nodes()

    assert result["code"] == 0
    runs = sorted(p.name for p in group.iterdir() if p.is_dir())
    assert runs == [f"{CID}_seed0", f"{CID}_seed1"]  # no partial or duplicate folders
    survivor_id = _node_id(cluster["workers"][survivor]["node"])
    for name in runs:
        meta = json.loads((group / name / "metadata.json").read_text())
        assert meta["status"] == "completed" and meta["grading"]["valid_submission"]
        assert meta["ray_node_id"] == survivor_id
        # Recorded once: the lost attempt's (invalid) validation call is not in the record.
        log = (group / name / "validation_calls.jsonl").read_text().splitlines()
        assert [json.loads(line)["valid"] for line in log] == [True]


def test_an_interrupted_driver_resumes_without_redoing_finished_runs(
        cluster, prepare_synthetic, data_dir, tmp_path):
    prepare_synthetic(CID)
    agent, ctl = _agent(tmp_path)
    (ctl / "block-seed1").touch()
    group = tmp_path / "group"
    cmd = [sys.executable, "-m", "mlebench", *_run_args(agent, group, data_dir),
           "--ray-address", cluster["cluster"].address]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seed0 = group / f"{CID}_seed0"
    deadline = time.time() + 180
    while not ((seed0 / "grading_report.json").exists() and (ctl / "blocked-seed1").exists()):
        assert time.time() < deadline and first.poll() is None, first.stdout.read().decode()
        time.sleep(0.2)
    time.sleep(0.5)
    finished = (seed0 / "metadata.json").read_bytes()
    assert json.loads((group / f"{CID}_seed1" / "metadata.json").read_text())["status"] == \
        "submitted"
    first.send_signal(signal.SIGINT)
    out, _ = first.communicate(timeout=60)
    assert first.returncode == 130, out.decode()
    assert not (group / ".validation").exists()  # nothing of the driver's own left in the group
    (ctl / "release").touch()

    second = subprocess.run(cmd, capture_output=True, timeout=240)
    assert second.returncode == 0, second.stdout.decode() + second.stderr.decode()
    assert (seed0 / "metadata.json").read_bytes() == finished  # kept, not redone
    meta1 = json.loads((group / f"{CID}_seed1" / "metadata.json").read_text())
    assert meta1["status"] == "completed" and meta1["attempt"] == 2
    assert meta1["grading"]["valid_submission"]
