"""The docker backend on a real engine (tests/_docker.py starts one, or these skip saying why):
the local sandbox's hostile agent (tests/runtime/test_sandbox.py) run in containers, one attack
per test, then whole runs through `mlebench run --backend docker` (llm-only through the proxy's
socket, the time limit, what metadata records). No traffic leaves the host's loopback."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlebench.cli import main
from mlebench.runtime import sandbox as sb
from mlebench.runtime.docker_backend import run_in_docker
from tests.runtime.test_sandbox import SECRET, Box, _blocked, _leftovers

CID = "spaceship-titanic"


class DockerBox(Box):
    """The local sandbox tests' Box, run in a container of `image` (its own python3)."""

    def __init__(self, root: Path, image: str):
        super().__init__(root)
        self.image = image

    def run(self, *args: str, **kw) -> tuple[sb.SandboxResult, dict | None]:
        spec = self.spec(*args, **kw)
        # The image's own python3 and PATH, not the harness's interpreter.
        spec = dataclasses.replace(spec, command=["python3", *spec.command[1:]],
                                   mounts=[m for m in spec.mounts if m.target != sys.prefix],
                                   env={k: v for k, v in spec.env.items() if k != "PATH"})
        result = run_in_docker(spec, self.image, f"test-{args[0]}")
        self.stdout = (self.root / "run" / "stdout.log").read_text()
        self.stderr = (self.root / "run" / "stderr.log").read_text()
        lines = self.stdout.strip().splitlines()
        try:
            report = json.loads(lines[-1]) if lines else None
        except ValueError:
            report = None
        return result, report


@pytest.fixture
def dbox(tmp_path: Path, docker_image: str) -> DockerBox:
    return DockerBox(tmp_path, docker_image)


def _containers(label: str = "org.mlebench.run") -> list[str]:
    r = subprocess.run(["docker", "ps", "-a", "-q", "--filter", f"label={label}"],
                       capture_output=True, text=True, check=True)
    return r.stdout.split()


def test_identity_in_the_container(dbox: DockerBox, monkeypatch):
    monkeypatch.setenv("MLEBENCH_HOST_SECRET", SECRET)
    result, rep = dbox.run("identity")
    assert result.status == "completed" and result.exit_code == 0, dbox.stderr
    assert rep is not None
    assert rep["uid"] == sb.SANDBOX_UID and rep["gid"] == sb.SANDBOX_GID and 0 not in rep["groups"]
    assert set(rep["caps"].values()) == {"0000000000000000"}, rep["caps"]
    assert rep["no_new_privs"] == "1"
    # The spec's environment and what the engine adds (HOSTNAME, the image's PATH and LANG).
    assert set(rep["env"]) - {"HOSTNAME", "LANG", "LC_CTYPE"} == {"PATH", "HOME", "PYTHONUNBUFFERED"}
    assert SECRET not in json.dumps(rep)
    assert rep["cwd"] == "/home" and rep["pid"] < 10
    e = result.enforcement
    assert e["sandbox"] == "docker" and e["network_namespace"] is True and e["image"] == dbox.image
    assert e["image_id"].startswith("sha256:") and e["image_labels"]["org.mlebench.image"] == "base"
    assert e["capabilities"].startswith("all dropped") and "Docker" in e["engine"]
    assert not _containers()  # removed once the run is over


def test_answers_other_runs_and_host_files_are_unreachable(dbox: DockerBox):
    answers = str(dbox.private / "answers.csv")
    result, rep = dbox.run("private", answers, str(dbox.other_run / "submission.csv"),
                           dbox.root.name)
    assert result.status == "completed", dbox.stderr
    assert rep is not None
    for key in ("host_path", "other_run", "other_run_dir"):
        assert _blocked(rep[key]), (key, rep[key])
    # The init is the agent's user here (docker-init), and its root is the container's own.
    assert ".dockerenv" in rep["proc_1_root_ls"]["got"] and SECRET not in json.dumps(rep)
    assert rep["proc_root"] and all(_blocked(a) for a in rep["proc_root"].values())
    assert rep["search"] == []
    assert str(dbox.data) not in rep["proc_cmdlines"]
    assert SECRET not in dbox.stdout + dbox.stderr


def test_cannot_write_outside_writable_folders(dbox: DockerBox):
    allowed = "/home/submission/ok.txt"
    denied = ["/home/data/train.csv", "/home/data/new.csv", "/home/agent/hostile.py", "/evil.txt",
              "/home/evil.txt", "/usr/evil.txt", "/etc/passwd", "/proc/sys/kernel/hostname"]
    result, rep = dbox.run("write", *denied, allowed)
    assert result.status == "completed", dbox.stderr
    assert rep is not None
    for t in denied + ["mkdir_root", "chmod_data"]:
        assert not rep[t]["ok"], (t, rep[t])
    assert rep[allowed]["ok"] and (dbox.submission / "ok.txt").read_text() == "pwned"
    assert sorted(p.name for p in dbox.data.iterdir()) == ["train.csv"]


def test_cannot_unmount_or_remount(dbox: DockerBox):
    result, rep = dbox.run("mount")
    assert result.status == "completed", dbox.stderr
    assert rep is not None
    for key in ("umount_data", "umount_tmp", "remount_rw", "mount_tmpfs", "setuid0", "chroot"):
        assert not rep[key]["ok"], (key, rep[key])
    assert rep["umount_cmd"] != 0 and rep["userns_umount"]["rc"] != 0
    assert rep["data_after"] == ["train.csv"]


@pytest.fixture
def loopback_server():
    from tests.runtime.test_sandbox import _LoopbackServer

    server = _LoopbackServer()
    yield server
    server.close()


@pytest.mark.parametrize("network", ["none", "llm-only"])
def test_no_network_even_to_host_loopback(dbox: DockerBox, loopback_server, network):
    result, rep = dbox.run("tcp", str(loopback_server.port), network=network)
    assert result.status == "completed", dbox.stderr
    assert rep is not None and not rep["tcp"]["ok"] and loopback_server.hits == 0


def test_open_network_is_the_hosts(dbox: DockerBox, loopback_server):
    # The negative test above is meaningful: the same attempt succeeds when allowed.
    result, rep = dbox.run("tcp", str(loopback_server.port), network="open")
    assert rep == {"tcp": {"ok": True, "got": "'hello-from-host'"}}, dbox.stderr
    assert result.enforcement["network_namespace"] is False


def test_bound_unix_socket_is_the_way_out(dbox: DockerBox, tmp_path: Path):
    import socket

    path = tmp_path / "sock" / "service.sock"
    path.parent.mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        conn.sendall(b"validated")
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        result, rep = dbox.run("unix", "/run/mlebench/service.sock",
                               extra_sockets=[sb.Mount(path, "/run/mlebench/service.sock", False)])
    finally:
        server.close()
    assert rep is not None and rep["unix"] == {"ok": True, "got": "'validated'"}, dbox.stderr


def test_memory_limit_kills_for_memory(dbox: DockerBox):
    result, _ = dbox.run("memory", limits=sb.Limits(time_limit_s=30, memory_bytes=96 << 20,
                                                    grace_period_s=1))
    assert result.status == "killed-for-memory", (result, dbox.stderr)
    assert result.enforcement["oom_killed"] is True
    assert result.peak_memory_bytes is not None and result.peak_memory_bytes <= 100 << 20


def test_fork_bomb_is_contained(dbox: DockerBox):
    marker = f"forkbomb-{uuid.uuid4().hex}"
    result, rep = dbox.run("forkbomb", marker, limits=sb.Limits(
        time_limit_s=20, pids_max=32, memory_bytes=512 << 20, grace_period_s=1))
    assert result.status == "completed", (result, dbox.stderr)
    assert rep is not None and rep["fork_failures"] > 0 and rep["forked"] < 32
    assert not _leftovers(marker) and not _containers()


def test_time_limit_sigterm_grace_then_sigkill(dbox: DockerBox):
    marker = f"ignore-term-{uuid.uuid4().hex}"
    t0 = time.monotonic()
    result, _ = dbox.run("ignore-term", marker, limits=sb.Limits(time_limit_s=3, grace_period_s=1))
    elapsed = time.monotonic() - t0
    assert result.status == "timed-out", (result, dbox.stderr)
    assert "ignoring SIGTERM" in dbox.stdout
    assert 3 <= elapsed < 15  # 3 s + 1 s grace, with slack for container start on a loaded host
    assert not _leftovers(marker) and not _containers()


def test_cpu_quota(dbox: DockerBox):
    result, rep = dbox.run("cpu", limits=sb.Limits(time_limit_s=30, cpus=0.1, grace_period_s=1))
    assert result.status == "completed", dbox.stderr
    assert rep is not None and rep["cpu_s"] <= 0.2 * rep["wall_s"], rep


def test_disk_limit_kills_for_disk(dbox: DockerBox):
    result, _ = dbox.run("disk", "/home/submission",
                         limits=sb.Limits(time_limit_s=30, disk_bytes=8 << 20, grace_period_s=0.5))
    assert result.status == "killed-for-disk", (result, dbox.stderr)
    assert result.enforcement["disk_used_bytes"] > 8 << 20


# --------------------------------------------------------------------------- whole runs

class _LLM(BaseHTTPRequestHandler):
    """An OpenAI-style endpoint on the host's loopback that records who called it."""

    calls: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                 "body": json.loads(body)})
        out = json.dumps({"choices": [{"message": {"content": "hello from the llm"}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


LLM_AGENT = '''
import json, os, shutil, socket, sys, urllib.request
base = sys.argv[1].split("=", 1)[1]
req = urllib.request.Request(base + "/chat/completions", data=json.dumps({"model": "m"}).encode(),
                             headers={"Authorization": "Bearer " + os.environ["MY_KEY"],
                                      "Content-Type": "application/json"})
out = {"llm": json.load(urllib.request.urlopen(req, timeout=20))["choices"][0]["message"]["content"]}
host, port = base.split("//")[1].split("/")[0].split(":")
try:  # around the proxy: nothing
    socket.create_connection((host, int(port)), timeout=3); out["direct"] = "connected"
except OSError as e:
    out["direct"] = type(e).__name__
try:  # through the proxy to an endpoint that is not allowed: 403
    urllib.request.urlopen("http://127.0.0.1:9/", timeout=10); out["other"] = "reached"
except urllib.error.HTTPError as e:
    out["other"] = e.code
except OSError as e:
    out["other"] = type(e).__name__
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
print(json.dumps(out))
'''


def _agent(tmp_path: Path, main_py: str, extra: str = "") -> Path:
    d = tmp_path / "agent-src"
    d.mkdir()
    (d / "main.py").write_text(main_py)
    (d / "agent.yaml").write_text('name: t\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\n'
                                  'env_profile: lite\n' + extra)
    return d / "agent.yaml"


def test_llm_only_run_reaches_only_its_endpoint(prepare_synthetic, data_dir, tmp_path,
                                                monkeypatch, capsys, docker_lite_image):
    prepare_synthetic(CID)
    monkeypatch.setenv("TEST_LLM_KEY", "sk-docker-test-secret-0123")
    _LLM.calls = []
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _LLM)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}/v1"
    spec = _agent(tmp_path, LLM_AGENT, 'env: {MY_KEY: "${TEST_LLM_KEY}"}\nnetwork: llm-only\n')
    group = tmp_path / "g"
    try:
        code = main(["run", "--agent", str(spec), "-c", CID, "--backend", "docker",
                     "--time-limit", "60s", "--llm-endpoint", base, "--agent-arg", f"base={base}",
                     "--run-dir", str(group), "--data-dir", str(data_dir)])
    finally:
        srv.shutdown()
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stderr.log").read_text()
    out = json.loads((rd / "agent.stdout.log").read_text().strip().splitlines()[-1])
    assert out["llm"] == "hello from the llm" and out["other"] == 403
    assert out["direct"] != "connected"
    assert [c["auth"] for c in _LLM.calls] == ["Bearer sk-docker-test-secret-0123"]
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["network_policy"] == "llm-only" and meta["enforcement"]["network"] == "llm-only"
    assert meta["network_requests"]["requests"] == 2 and meta["network_requests"]["denied"] == 1
    assert json.loads((rd / "grading_report.json").read_text())["valid_submission"]
    for path in group.rglob("*"):
        if path.is_file():
            assert b"sk-docker-test-secret-0123" not in path.read_bytes(), path


SLOW_AGENT = '''
import signal, subprocess, sys, time, shutil
def on_term(*_):
    open("/home/logs/term.txt", "w").write("got SIGTERM, saving")
    shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
subprocess.Popen(["python3", "-c", "import signal, time; signal.signal(signal.SIGTERM, "
                  "signal.SIG_IGN); time.sleep(600)"], start_new_session=True)
print("working", flush=True)
time.sleep(600)
'''


def test_timed_out_run_keeps_what_it_saved_in_its_grace_period(prepare_synthetic, data_dir,
                                                                tmp_path, capsys,
                                                                docker_lite_image):
    prepare_synthetic(CID)
    group = tmp_path / "g"
    code = main(["run", "--agent", str(_agent(tmp_path, SLOW_AGENT)), "-c", CID, "--backend",
                 "docker", "--time-limit", "4s", "--memory", "512M", "--cpus", "1",
                 "--run-dir", str(group), "--data-dir", str(data_dir)])
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "timed-out" and meta["sandbox"] == "docker"
    assert (rd / "logs" / "term.txt").read_text() == "got SIGTERM, saving"
    # Graded on the host after the container was gone: the submission written in the grace period.
    report = json.loads((rd / "grading_report.json").read_text())
    assert report["valid_submission"] and report["graded_at"] >= meta["ended_at"]
    assert not _containers()
    e = meta["enforcement"]
    assert e["image_id"].startswith("sha256:") and e["image"] == docker_lite_image
    assert e["cgroup_controllers"] == ["cpu", "memory", "pids"] and meta["peak_memory_bytes"] > 0
    assert not any("private" in m["source"] for m in meta["mounts"])
    assert all(m["target"].startswith(("/home/", "/run/mlebench/")) for m in meta["mounts"])


def test_missing_image_is_a_one_line_error(prepare_synthetic, data_dir, tmp_path, capsys,
                                           docker_engine, lite_env):
    prepare_synthetic(CID)
    spec = _agent(tmp_path, "print('never runs')", "docker_image: mlebench-missing:nope\n")
    code = main(["run", "--agent", str(spec), "-c", CID, "--backend", "docker",
                 "--run-dir", str(tmp_path / "g"), "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 2 and "mlebench-missing:nope" in err and "mlebench docker build-image" in err
    assert "Traceback" not in err and not (tmp_path / "g").exists()


def test_docker_cli_builds_and_lists_the_images(docker_image, docker_lite_image, capsys):
    assert main(["docker", "build-image", "--profile", "lite"]) == 0
    cap = capsys.readouterr()
    assert cap.out == f"{docker_lite_image}\n" and "already built" in cap.err
    assert main(["docker", "build-image", "--base-only"]) == 0
    assert capsys.readouterr().out == f"{docker_image}\n"
    assert main(["docker", "images"]) == 0
    rows = {r.split()[0]: r for r in capsys.readouterr().out.splitlines()}
    assert rows[docker_image].endswith(" base")
    assert "env lite (cpu, Python 3.11." in rows[docker_lite_image]


ENV_AGENT = """
import json, os, shutil, sys
found = {}
for name in ("numpy", "pandas", "sklearn", "scipy", "lightgbm", "PIL", "psutil", "mlebench", "uv"):
    try:
        __import__(name)
        found[name] = True
    except ImportError:
        found[name] = False
shutil.copy("/home/data/sample_submission.csv", "/home/submission/submission.csv")
print(json.dumps({"found": found, "executable": sys.executable, "prefix": sys.prefix,
                  "version": sys.version.split()[0], "path": os.environ.get("PATH")}))
"""


def test_agent_gets_its_environment_from_the_image(prepare_synthetic, data_dir, tmp_path,
                                                   capsys, docker_lite_image, lite_env):
    prepare_synthetic(CID)
    group = tmp_path / "g"
    code = main(["run", "--agent", str(_agent(tmp_path, ENV_AGENT)), "-c", CID, "--backend",
                 "docker", "--time-limit", "60s", "--run-dir", str(group),
                 "--data-dir", str(data_dir)])
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stderr.log").read_text()
    out = json.loads((rd / "agent.stdout.log").read_text().strip().splitlines()[-1])
    assert (rd / "agent.stderr.log").read_text() == ""  # e.g. no broken .pth hook at startup
    lite = ("numpy", "pandas", "sklearn", "scipy", "lightgbm", "PIL")
    assert out["found"] == {**dict.fromkeys(lite, True), "psutil": False, "mlebench": False,
                            "uv": False}, out  # the lock's packages, nothing of the harness's
    assert out["prefix"] == "/opt/mlebench/env" and out["path"].startswith("/opt/mlebench/env/bin")
    meta = json.loads((rd / "metadata.json").read_text())
    env = meta["environment"]
    assert env["profile"] == "lite" and env["hash"] == lite_env.hash
    assert env["python_version"] == out["version"] and env["image"] == docker_lite_image
    assert env["python"] == "3.11"  # the lock's Python, part of the environment's hash
    labels = meta["enforcement"]["image_labels"]
    assert labels["org.mlebench.env.hash"] == lite_env.hash
    # The environment comes with the image: no host folder of it is bound.
    assert not any(str(lite_env.path) in m["source"] for m in meta["mounts"])
    # A signed bundle of the group verifies, its environment check included.
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    assert main(["bundle", str(group), "--key", str(tmp_path / "keys" / "mlebench-signing-key.pem"),
                 "--out", str(tmp_path / "b.tar.gz"), "--data-dir", str(data_dir)]) == 0
    assert main(["verify", str(tmp_path / "b.tar.gz")]) == 0
    assert "PASS  spaceship-titanic_seed0: environment: lite/cpu" in capsys.readouterr().out


def test_an_agents_own_image_is_named_as_its_environment(prepare_synthetic, data_dir, tmp_path,
                                                         capsys, docker_image, lite_env):
    prepare_synthetic(CID)
    group = tmp_path / "g"
    spec = _agent(tmp_path, ENV_AGENT, f"docker_image: {docker_image}\n")
    code = main(["run", "--agent", str(spec), "-c", CID, "--backend", "docker",
                 "--time-limit", "60s", "--run-dir", str(group), "--data-dir", str(data_dir)])
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stderr.log").read_text()
    out = json.loads((rd / "agent.stdout.log").read_text().strip().splitlines()[-1])
    assert out["executable"] == "/usr/bin/python3" and not out["found"]["numpy"]  # its own PATH
    env = json.loads((rd / "metadata.json").read_text())["environment"]
    assert env["profile"] == f"docker:{docker_image}" and env["hash"].startswith("sha256:")
    assert env["lock_sha256"] is None
