"""The Docker backend's container specification: mounts, user, limits, network."""

from pathlib import Path

import pytest

sandbox = pytest.importorskip("mlebench.runtime.sandbox")

from mlebench.runtime.docker_backend import docker_run_args  # noqa: E402


def _spec(network="none", gpus=()):
    return sandbox.SandboxSpec(
        command=["python3", "/home/agent/main.py"],
        mounts=[sandbox.Mount(Path("/data/comp/prepared/public"), "/home/data", True)],
        writable_dirs=[sandbox.Mount(Path("/runs/g/r/submission"), "/home/submission", False)],
        env={"HOME": "/home", "COMPETITION_ID": "comp"},
        network=network,
        extra_sockets=[sandbox.Mount(Path("/tmp/s/validate.sock"), "/run/mlebench/validate.sock", False)],
        stdout_path=Path("/runs/g/r/out.log"),
        stderr_path=Path("/runs/g/r/err.log"),
        gpus=list(gpus),
        **({"limits": _limits()} if "limits" in sandbox.SandboxSpec.__dataclass_fields__ else {}),
    )


def _limits():
    return sandbox.Limits(time_limit_s=60, memory_bytes=2**30, cpus=2, pids_max=256)


def test_container_spec_enforces_limits_and_hides_answers():
    args = docker_run_args(_spec(), _limits(), "mlebench-env", "run1")
    joined = " ".join(args)
    assert "--network none" in joined and "--cap-drop ALL" in joined
    from mlebench.runtime.docker_backend import container_user

    assert f"--user {container_user()}" in joined and "no-new-privileges" in joined
    assert "--read-only" in joined and "--log-driver none" in joined  # output: the run's log files
    assert f"--memory {2**30}" in joined and "--cpus 2" in joined and "--pids-limit 256" in joined
    assert "source=/data/comp/prepared/public,target=/home/data,readonly" in joined
    assert "target=/home/submission" in joined and "target=/home/submission,readonly" not in joined
    assert "private" not in joined
    assert args[-3:] == ["mlebench-env", "python3", "/home/agent/main.py"]


def test_open_network_and_gpus():
    args = " ".join(docker_run_args(_spec("open", gpus=[1, 3]), _limits(), "img", "r"))
    assert "--network none" not in args and "--gpus device=1,3" in args


def test_docker_backend_without_an_engine_is_a_clear_error(prepare_synthetic, data_dir, tmp_path,
                                                          capsys, monkeypatch):
    from mlebench.cli import main

    prepare_synthetic("spaceship-titanic")
    monkeypatch.setenv("PATH", str(tmp_path))  # no docker client on PATH
    code = main(["run", "--agent", "dummy", "-c", "spaceship-titanic", "--backend", "docker",
                 "--run-dir", str(tmp_path / "g"), "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 2 and "docker" in err.lower() and "Traceback" not in err


def test_secrets_go_through_an_env_file_never_the_command_line(tmp_path):
    from mlebench.runtime.docker_backend import _write_env_file

    spec = _spec()
    env = {**spec.env, "OPENAI_API_KEY": "sk-secret-value"}
    _write_env_file(env, tmp_path / "env")
    args = docker_run_args(sandbox.SandboxSpec(**{**spec.__dict__, "env": env}), _limits(), "img",
                           "r", env_file=tmp_path / "env")
    assert "sk-secret-value" not in " ".join(args) and "--env-file" in args
    assert "OPENAI_API_KEY=sk-secret-value\n" in (tmp_path / "env").read_text()
    assert oct((tmp_path / "env").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(Exception, match="line break"):
        _write_env_file({"X": "a\nEVIL=1"}, tmp_path / "env2")


def test_paths_with_commas_stay_one_mount_field():
    from mlebench.runtime.docker_image import mount_arg

    arg = mount_arg(Path("/runs/a,b/sub"), "/home/submission", False)
    assert arg == 'type=bind,"source=/runs/a,b/sub",target=/home/submission'


def test_container_gets_the_environment_from_its_image(lite_env):
    from mlebench.agents import load_agent
    from mlebench.envs import INSIDE_ENV
    from mlebench.envs.run_env import prepare_run_environment
    from mlebench.runtime.docker_backend import container_name, for_container

    environment = prepare_run_environment("lite")
    base = _spec()
    spec = sandbox.SandboxSpec(**{
        **base.__dict__, "masked": environment.hidden(),
        "mounts": [*base.mounts, *(sandbox.Mount(s, t) for s, t in environment.binds())],
        "env": {**base.env, **environment.variables(inside=True)}})
    dummy = load_agent("dummy")
    got, image = for_container(spec, dummy, environment)
    assert image.startswith("mlebench-env:lite-") and image.endswith(environment.spec.hash[:12])
    assert [m.target for m in got.mounts] == ["/home/data"] and got.masked == []
    assert got.env["PATH"].startswith(f"{INSIDE_ENV}/bin")  # the same path inside the image
    # An image of the agent's own keeps its PATH and gets no environment.
    own = dummy.model_copy(update={"docker_image": "their/image:1"})
    got, image = for_container(spec, own, environment)
    assert image == "their/image:1" and "PATH" not in got.env and "VIRTUAL_ENV" not in got.env
    assert [m.target for m in got.mounts] == ["/home/data"]
    assert container_name("my group/run 1").startswith("mlebench-my-group-run-1-")
