"""The Docker backend: the same layout, limits and network policy as the local sandbox, one
container per run. The private answers are never mounted: validation goes through the same
host-side service, its Unix socket bound into the container (and the LLM proxy's, under llm-only).

The container: an unprivileged user (the local sandbox's uid when the harness is root, else the
invoking user's, so that it owns its writable folders), every capability dropped,
no-new-privileges, a read-only root with a fresh /tmp, no network unless "open", memory (no swap),
CPU and process limits enforced by the engine's cgroup, the engine's json log switched off (output
goes to the run's log files, whose size the disk watch counts). The harness enforces wall-clock
time (SIGTERM to every process of the run, a grace period, then SIGKILL) and the disk limit, reads
the exit state, removes the container, and only then is the run graded on the host.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlebench.envs import INSIDE_LAYER, LAYER_VAR
from mlebench.errors import MLEBenchError
from mlebench.runtime.backends import BackendOutcome, SandboxBackend
from mlebench.runtime.docker_env_image import env_image_tag
from mlebench.runtime.docker_image import base_image_tag, image_info, mount_arg
from mlebench.runtime.limit_watch import disk_check
from mlebench.runtime.sandbox_layout import check_spec, give_to_sandbox_user, unreadable_mounts
from mlebench.runtime.sandbox_spec import (
    SANDBOX_GID,
    SANDBOX_UID,
    Limits,
    SandboxResult,
    SandboxSpec,
)

if TYPE_CHECKING:
    from mlebench.agents import AgentSpec
    from mlebench.envs.run_env import RunEnvironment

POLL_S = 0.05
# Without a memory limit /dev/shm is capped here (Docker's 64 MiB default breaks data loaders).
DEFAULT_SHM_BYTES = 8 * 2**30


def resolve_image(agent: AgentSpec, environment: RunEnvironment | None = None) -> str:
    """The agent spec's `docker_image` (an image of its own, e.g. the reference's
    `mlebench-env`), else the image of the run's environment (`mlebench docker build-image
    --profile P`), else the base image."""
    if agent.docker_image:
        return agent.docker_image
    if environment is not None:
        return env_image_tag(environment.spec)
    return base_image_tag()


def for_container(spec: SandboxSpec, agent: AgentSpec,
                  environment: RunEnvironment | None) -> tuple[SandboxSpec, str]:
    """The run's image and its spec as the container gets it: the environment comes with the
    image (at the same path), so its host folders are not bound, nor anything masked; the
    agent's requirements layer still is. An image of the agent's own keeps its own PATH and
    Python: no environment is mounted into it at all."""
    image = resolve_image(agent, environment)
    env_binds = set(environment.binds()) if environment is not None else set()
    keep_layer = not agent.docker_image
    mounts = [m for m in spec.mounts if (m.source, m.target) not in env_binds
              or (keep_layer and m.target == INSIDE_LAYER)]
    env = dict(spec.env)
    if agent.docker_image:
        for key in ("PATH", "VIRTUAL_ENV", LAYER_VAR):
            env.pop(key, None)
    return dataclasses.replace(spec, mounts=mounts, masked=[], env=env), image


def run_for_run_group(spec: SandboxSpec, agent: AgentSpec, environment: RunEnvironment | None,
                      recorded: dict | None, name: str,
                      ) -> tuple[SandboxSpec, SandboxResult, dict | None]:
    """One run of a run group in its container: (the spec as the container got it, the result,
    the environment as metadata names it: the image's, which must hold the run's environment)."""
    spec, image = for_container(spec, agent, environment)
    expect = environment.spec.hash if environment is not None and not agent.docker_image else None
    result = run_in_docker(spec, image, name, expect_env_hash=expect)
    e = result.enforcement
    if agent.docker_image:  # not an mlebench environment: named by the image itself
        recorded = {"profile": f"docker:{image}", "variant": None, "python": None,
                    "python_version": None, "platform": None, "lock_sha256": None,
                    "hash": e["image_id"], "source": "docker-image", "layer": None,
                    "gpu_stack": (recorded or {}).get("gpu_stack")}
    elif recorded is not None:  # the image's interpreter ran it (same minor, its own patch)
        python = e["image_labels"].get("org.mlebench.env.python") or recorded.get("python_version")
        recorded = {**recorded, "python_version": python, "image": image,
                    "image_id": e["image_id"]}
    return spec, result, recorded


class DockerBackend(SandboxBackend):
    """`--backend docker`: each run in a container of the run's environment image."""

    name, sandbox = "docker", "docker"

    def check(self, unsafe_no_sandbox: bool) -> None:
        check_engine()

    def check_ready(self, agent: AgentSpec, environment: RunEnvironment | None) -> None:
        check_engine(resolve_image(agent, environment), environment)  # its image is built

    def run(self, spec: SandboxSpec, *, agent: AgentSpec, environment: RunEnvironment | None,
            recorded_environment: dict | None, name: str,
            unsafe_no_sandbox: bool) -> BackendOutcome:
        spec, result, recorded = run_for_run_group(spec, agent, environment,
                                                   recorded_environment, name)
        return BackendOutcome(result, spec, recorded)


def container_user() -> str:
    """uid:gid inside: the local sandbox's agent uid as root, else the invoking user's."""
    if os.geteuid() == 0:
        return f"{SANDBOX_UID}:{SANDBOX_GID}"
    return f"{os.getuid()}:{os.getgid()}"



def docker_run_args(spec: SandboxSpec, limits: Limits, image: str, name: str,
                    user: str | None = None, env_file: Path | None = None,
                    cidfile: Path | None = None) -> list[str]:
    """`docker run` arguments equivalent to the local sandbox's specification."""
    args = ["docker", "run", "--name", name, "--init", "--label", "org.mlebench.run=1",
            "--user", user or container_user(), "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges",
            "--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev,mode=1777",
            "--log-driver", "none", "--workdir", spec.workdir]
    if cidfile is not None:
        args += ["--cidfile", str(cidfile)]
    # llm-only: the proxy's socket is the only way out. open: the host's network, as the local
    # sandbox gives it (and engines without a bridge, like scripts/docker-engine.sh's, can).
    args += ["--network", "host" if spec.network == "open" else "none"]
    if limits.memory_bytes:
        args += ["--memory", str(limits.memory_bytes), "--memory-swap", str(limits.memory_bytes)]
    args += ["--shm-size", str(limits.memory_bytes or DEFAULT_SHM_BYTES)]
    if limits.cpus:
        args += ["--cpus", f"{limits.cpus:g}"]
    if limits.pids_max:
        args += ["--pids-limit", str(limits.pids_max)]
    if spec.gpus:
        args += ["--gpus", "device=" + ",".join(map(str, spec.gpus))]
    for m in [*spec.mounts, *spec.writable_dirs, *spec.extra_sockets]:
        args += ["--mount", mount_arg(m.source, m.target, m.read_only)]
    if env_file is not None:
        args += ["--env-file", str(env_file)]  # values (secrets) never on a command line
    else:
        for key, value in sorted(spec.env.items()):
            args += ["--env", f"{key}={value}"]
    return [*args, image, *spec.command]


def _write_env_file(env: dict[str, str], path: Path) -> None:
    lines = []
    for key, value in sorted(env.items()):
        if "\n" in value or "\r" in value or "\0" in value:
            raise MLEBenchError(f"The docker backend cannot pass environment variable {key}: "
                                "its value has a line break.")
        lines.append(f"{key}={value}\n")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.writelines(lines)


def check_engine(image: str | None = None, environment: RunEnvironment | None = None) -> None:
    """Raise a one-line error unless a Docker engine answers (and has `image`, if given: the
    image of `environment`, if that is given)."""
    if not shutil.which("docker"):
        raise MLEBenchError("The docker backend needs the `docker` client and a running engine "
                            "(`bash scripts/docker-engine.sh start` installs and starts one).")
    try:
        r = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                           capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        r = None
    if r is None or r.returncode != 0:
        raise MLEBenchError("No Docker engine is reachable (`docker info` failed): start one with "
                            "`bash scripts/docker-engine.sh start`, or use --backend local.")
    if image is not None and image_info(image) is None:
        how = "`mlebench docker build-image`"
        if environment is not None:
            spec = environment.spec
            profile = spec.profile if spec.source == "builtin" else spec.source
            how = f"`mlebench docker build-image --profile {profile} --variant {spec.variant}`"
        raise MLEBenchError(f"The Docker image {image} is not built: build it with {how} "
                            "(locally: no registry is used).")


def engine_summary() -> str:
    r = _docker_quiet("info", "--format",
                      "Docker {{.ServerVersion}} ({{.Driver}}, cgroup v{{.CgroupVersion}})")
    return r.stdout.strip() if r is not None and r.returncode == 0 else "unknown"


def container_name(hint: str) -> str:
    """A valid, unique container name from a hint (run folder names are not always valid)."""
    clean = re.sub(r"[^a-zA-Z0-9_.-]", "-", hint).strip("-._")[:100] or "run"
    return f"mlebench-{clean}-{os.getpid()}-{time.time_ns() % 10**9}"


def _peak_memory_files(container_id: str) -> list[Path]:
    """Where the engine's cgroup for the container records peak memory (v1 or v2 layouts)."""
    base = Path("/sys/fs/cgroup")
    return [base / "memory" / "docker" / container_id / "memory.max_usage_in_bytes",
            base / "docker" / container_id / "memory.peak",
            base / "system.slice" / f"docker-{container_id}.scope" / "memory.peak"]


def run_in_docker(spec: SandboxSpec, image: str, name: str,
                  expect_env_hash: str | None = None) -> SandboxResult:
    """Run one container to completion under the spec's limits; same result as the sandbox's.
    The container is removed before this returns, whatever happened. `expect_env_hash`: the
    image must hold this environment (its label), e.g. not a stale image under the same tag."""
    limits = spec.limits
    check_spec(spec)
    info = image_info(image)
    if info is None:
        raise MLEBenchError(f"The Docker image {image} is not built: build it with "
                            "`mlebench docker build-image`.")
    held = info["labels"].get("org.mlebench.env.hash")
    if expect_env_hash is not None and held != expect_env_hash:
        raise MLEBenchError(f"The Docker image {image} holds environment {str(held)[:16]}, not "
                            f"{expect_env_hash[:16]}: rebuild it with `mlebench docker "
                            "build-image --rebuild`.")
    give_to_sandbox_user(spec)
    name = container_name(name)
    user = container_user()
    notes = unreadable_mounts(spec)
    enforcement: dict[str, Any] = {
        "sandbox": "docker", "engine": engine_summary(), "container": name,
        "image": image, "image_id": info["id"],
        "image_labels": {k: v for k, v in info["labels"].items() if k.startswith("org.mlebench")},
        "user": f"uid:gid {user}", "capabilities": "all dropped (no-new-privileges)",
        "network": spec.network, "network_namespace": spec.network != "open",
        "root_filesystem": "image, read-only; fresh /tmp",
        "cgroups": "docker engine", "cgroup_controllers": sorted(
            c for c, v in (("memory", limits.memory_bytes), ("cpu", limits.cpus),
                           ("pids", limits.pids_max)) if v),
        "wall_clock": f"harness watch loop: SIGTERM at {limits.time_limit_s:g}s, SIGKILL of "
                      f"the container {limits.grace_period_s:g}s later",
        "disk": ("harness polls the writable folders and logs, kills above "
                 f"{limits.disk_bytes} bytes") if limits.disk_bytes is not None else None,
        "gpus": {"ids": spec.gpus, "isolation": "docker --gpus"} if spec.gpus else None,
    }
    spec.stdout_path.parent.mkdir(parents=True, exist_ok=True)
    spec.stderr_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="mlebench-docker-"))
    proc: subprocess.Popen | None = None
    started = datetime.now(UTC)
    try:
        env_file, cidfile = tmp / "env", tmp / "cid"
        _write_env_file(spec.env, env_file)
        args = docker_run_args(spec, limits, image, name, user, env_file, cidfile)
        t0 = time.monotonic()
        with open(spec.stdout_path, "wb") as out, open(spec.stderr_path, "wb") as err:
            proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        reason, peak = _watch(proc, spec, cidfile, name, user, t0, enforcement)
        code = proc.returncode
        state = _inspect_state(name)
        if not state or not state.get("StartedAt", "").startswith(tuple("123456789")):
            raise MLEBenchError(f"Docker could not start the run's container: "
                                f"{_tail(spec.stderr_path)}")
        code = state.get("ExitCode", code)
        oom = bool(state.get("OOMKilled"))
    finally:
        if proc is not None and proc.poll() is None:
            _docker_quiet("kill", name)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=60)
        _docker_quiet("rm", "--force", name)
        shutil.rmtree(tmp, ignore_errors=True)
    status = reason or ("completed" if code == 0 else "crashed")
    if status == "crashed" and oom:
        status = "killed-for-memory"
    enforcement["oom_killed"] = oom
    if notes:
        enforcement["notes"] = notes
    return SandboxResult(status=status, exit_code=code, started_at=started,
                         ended_at=datetime.now(UTC), enforcement=enforcement,
                         peak_memory_bytes=peak)


def _watch(proc: subprocess.Popen, spec: SandboxSpec, cidfile: Path, name: str, user: str,
           t0: float, enforcement: dict) -> tuple[str | None, int | None]:
    """Wait for the container, stopping it at the time or disk limit: (reason, peak memory)."""
    limits = spec.limits
    disk_paths = [m.source for m in spec.writable_dirs] + [spec.stdout_path, spec.stderr_path]
    next_disk, peak = t0, None
    peak_files: list[Path] = []
    while proc.poll() is None:
        now = time.monotonic()
        if not peak_files and cidfile.is_file() and (cid := cidfile.read_text().strip()):
            peak_files = [p for p in _peak_memory_files(cid) if p.exists()]  # once started
        for p in peak_files:
            with contextlib.suppress(OSError, ValueError):
                peak = max(peak or 0, int(p.read_text()))
        reason = None
        if now - t0 >= limits.time_limit_s:
            reason = "timed-out"
        elif limits.disk_bytes is not None and now >= next_disk:
            full, next_disk = disk_check(limits, disk_paths, enforcement)
            if full:
                reason = "killed-for-disk"
        if reason is not None:
            _stop(proc, name, user, limits.grace_period_s)
            return reason, peak
        time.sleep(POLL_S)
    return None, peak


def _stop(proc: subprocess.Popen, name: str, user: str, grace: float) -> None:
    """SIGTERM to every process of the run, a grace period, then SIGKILL of the container."""
    # kill(-1) from inside, as the agent's user, reaches every process of the run but the init
    # (which would end the container at once) and the killer itself.
    r = _docker_quiet("exec", "--user", user, name, "python3", "-c",
                      "import os, signal; os.kill(-1, signal.SIGTERM)")
    if r is None or r.returncode != 0:  # e.g. the process limit is exhausted: signal the init
        _docker_quiet("kill", "--signal", "TERM", name)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)
        return
    _docker_quiet("kill", name)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _docker_quiet(*args: str) -> subprocess.CompletedProcess | None:
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=60)
    return None


def _inspect_state(name: str) -> dict | None:
    r = _docker_quiet("inspect", "--format", "{{json .State}}", name)
    if r is None or r.returncode != 0 or not r.stdout.strip():
        return None
    with contextlib.suppress(ValueError):
        return json.loads(r.stdout)
    return None


def _tail(path: Path, limit: int = 300) -> str:
    with contextlib.suppress(OSError), open(path, "rb") as f:
        f.seek(max(0, os.fstat(f.fileno()).st_size - 4096))
        lines = [x for x in f.read().decode(errors="replace").splitlines() if x.strip()]
        if lines:
            return lines[-1][:limit]
    return "no message"
