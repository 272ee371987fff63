"""Runs in their locked environment: inside the sandbox `python`, `python3` and `pip` are the
environment's and see only its packages (plus the agent's own layer), never the harness's or the
host's; the environment is recorded with every run and a group refuses to resume in another."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest

from mlebench.cli import main
from mlebench.envs import resolve_profile
from tests._sandbox import requires_sandbox

pytestmark = [requires_sandbox, pytest.mark.usefixtures("lite_env")]
CID = "practice-tabular-classification"

PROBE = r'''
import glob, json, os, shutil, subprocess, sys
out = {"executable": sys.executable, "prefix": sys.prefix, "imports": {}}
for name in ("numpy", "pandas", "sklearn", "scipy", "lightgbm", "PIL", "idna",
             "mlebench", "pytest", "fastapi", "yaml", "rich", "pydantic"):
    try:
        __import__(name)
        out["imports"][name] = True
    except ImportError:
        out["imports"][name] = False
def run(*cmd):
    r = subprocess.run(list(cmd), capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else f"rc={r.returncode} {r.stderr[-300:]}"
out["pip_list"] = json.loads(run("pip", "list", "--format", "json"))
out["which"] = {c: shutil.which(c) for c in ("python", "python3", "pip")}
out["python3_prefix"] = run("python3", "-c", "import sys; print(sys.prefix)")
out["host_site_dirs"] = {d: os.listdir(d) for d in sys.argv[1:] if os.path.isdir(d)}
out["env_writable"] = os.access("/opt/mlebench/env/lib", os.W_OK)
print(json.dumps(out))
shutil.copy(glob.glob("/home/data/sample_submission.csv")[0], "/home/submission/submission.csv")
'''


@pytest.fixture
def prepared(prepare_synthetic, data_dir):
    prepare_synthetic(CID)
    return data_dir


def probe_agent(tmp_path, requirements: list[str], host_dirs: list[str]):
    agent = tmp_path / "probe"
    agent.mkdir()
    (agent / "main.py").write_text(PROBE)
    args = json.dumps(["python3", "/home/agent/main.py", *host_dirs])
    (agent / "agent.yaml").write_text(textwrap.dedent(f"""
        name: probe
        command: {args}
        files: .
        env_profile: lite
        requirements: {json.dumps(requirements)}
    """))
    return agent / "agent.yaml"


def test_sandbox_python_sees_only_the_environment_and_the_agent_layer(prepared, tmp_path, lite_env,
                                                                      capsys, backend):
    host_dirs = [*lite_env.info["python"]["site_dirs"], "/usr/lib/python3/dist-packages"]
    spec = probe_agent(tmp_path, ["idna==3.7"], host_dirs)
    group = tmp_path / "g"
    argv = ["run", "--agent", str(spec), "-c", CID, "--time-limit", "120s", "--run-dir",
            str(group), "--data-dir", str(prepared), *backend]
    assert main(argv) == 0, capsys.readouterr().err
    rd = group / f"{CID}_seed0"
    out = json.loads((rd / "agent.stdout.log").read_text().splitlines()[-1])
    assert out["prefix"] == "/opt/mlebench/env" == out["python3_prefix"]
    assert out["which"] == {"python": "/opt/mlebench/env/bin/python",
                            "python3": "/opt/mlebench/env/bin/python3",
                            "pip": "/opt/mlebench/env/bin/pip"}
    imports = out["imports"]
    assert all(imports[m] for m in ("numpy", "pandas", "sklearn", "scipy", "lightgbm", "PIL", "idna"))
    # The harness's packages (its own venv) and the host's site-packages are nowhere inside.
    assert not any(imports[m] for m in ("mlebench", "pytest", "fastapi", "yaml", "rich", "pydantic"))
    assert all(v == [] for v in out["host_site_dirs"].values()), out["host_site_dirs"]
    assert out["env_writable"] is False
    # pip lists exactly the lock, plus the agent's layer.
    listed = {p["name"].lower(): p["version"] for p in out["pip_list"]}
    assert listed == {**resolve_profile("lite").packages(), "idna": "3.7"}

    meta = json.loads((rd / "metadata.json").read_text())
    env = meta["environment"]
    lite = resolve_profile("lite")
    assert (env["profile"], env["variant"], env["hash"], env["lock_sha256"]) == (
        "lite", "cpu", lite.hash, lite.lock_sha256)
    assert env["layer"]["packages"] == {"idna": "3.7"} and env["layer"]["overrides"] == {}
    assert "gpu_stack" in env
    assert hashlib.sha256((group / "environment.lock.txt").read_bytes()).hexdigest() == \
        lite.lock_sha256
    identity = json.loads((group / "group.json").read_text())["identity"]["environment"]
    assert identity["hash"] == lite.hash and identity["layer"]["packages"] == {"idna": "3.7"}
    assert not any(m["source"].endswith(".venv") or "/.venv/" in m["source"]
                   for m in meta["mounts"])

    # Resuming the group in another environment is refused, with a one-line error.
    group_file = group / "group.json"
    data = json.loads(group_file.read_text())
    data["identity"]["environment"]["hash"] = "0" * 64
    group_file.write_text(json.dumps(data))
    assert main(argv) == 2
    assert "different agent, limits or environment" in capsys.readouterr().err


def test_unbuilt_environment_and_conflicting_requirements_are_one_line_errors(
        prepared, tmp_path, monkeypatch, capsys):
    spec = probe_agent(tmp_path, ["numpy==1.26.3"], [])
    code = main(["run", "--agent", str(spec), "-c", CID, "--run-dir", str(tmp_path / "g1"),
                 "--data-dir", str(prepared)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot be installed on environment 'lite'" in err and "numpy" in err
    monkeypatch.setenv("MLEBENCH_ENVS_DIR", str(tmp_path / "empty-envs"))
    code = main(["run", "--agent", "dummy", "-c", CID, "--env", "reference",
                 "--run-dir", str(tmp_path / "g2"), "--data-dir", str(prepared)])
    err = capsys.readouterr().err
    assert code == 2 and "Environment 'reference' (cpu" in err
    assert "mlebench env build --profile reference" in err and "--env lite" in err
    assert not (tmp_path / "g2").exists()


def test_agent_layer_is_built_once_and_reused(prepared, tmp_path, capsys):
    spec = probe_agent(tmp_path, ["idna==3.7"], [])
    assert main(["env", "build", "--profile", "lite", "--agent", str(spec)]) == 0
    err = capsys.readouterr().err
    layer_json = Path(err.split("agent layer: ", 1)[1].split(" (", 1)[0]) / "layer.json"
    before = layer_json.stat().st_mtime_ns
    group = tmp_path / "g"
    assert main(["run", "--agent", str(spec), "-c", CID, "--time-limit", "120s", "--run-dir",
                 str(group), "--data-dir", str(prepared)]) == 0
    meta = json.loads((group / f"{CID}_seed0" / "metadata.json").read_text())
    info = json.loads(layer_json.read_text())
    assert meta["environment"]["layer"]["hash"] == info["hash"]
    assert layer_json.stat().st_mtime_ns == before  # reused, not rebuilt
