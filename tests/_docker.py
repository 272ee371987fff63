"""Session fixtures for tests on a real Docker engine: `docker_engine` (an engine answers; started
with scripts/docker-engine.sh when there is none, and stopped again at the end) and `docker_image`
(the base image, built locally when missing: about 2 minutes the first time, seconds once its root
filesystem tarball is cached). Tests skip, saying why, where neither can be had.
MLEBENCH_TEST_DOCKER=0 skips them on purpose."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "docker-engine.sh"


def _engine_up() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def docker_engine():
    if os.environ.get("MLEBENCH_TEST_DOCKER") == "0":
        pytest.skip("Docker engine tests disabled (MLEBENCH_TEST_DOCKER=0)")
    started = False
    if not _engine_up():
        if os.geteuid() != 0:
            pytest.skip("no Docker engine is running, and starting one needs root "
                        "(bash scripts/docker-engine.sh start)")
        r = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True,
                           timeout=600)
        if r.returncode != 0 or not _engine_up():
            pytest.skip(f"cannot start a Docker engine here: {(r.stderr or r.stdout).strip()[-300:]}")
        started = True
    yield
    if started:
        subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def docker_image(docker_engine) -> str:
    """The base image (Debian + Python, no environment)."""
    from mlebench.errors import MLEBenchError
    from mlebench.runtime.docker_image import build_base_image

    try:
        return build_base_image(log=lambda _: None)
    except MLEBenchError as e:
        pytest.skip(f"cannot build the docker backend's base image here: {e}")


@pytest.fixture(scope="session")
def docker_lite_image(docker_image, lite_env) -> str:
    """The `lite` environment's image, which runs of the built-in agents use."""
    from mlebench.errors import MLEBenchError
    from mlebench.runtime.docker_env_image import build_env_image

    try:
        return build_env_image("lite", log=lambda _: None)
    except MLEBenchError as e:
        pytest.skip(f"cannot build the lite environment's image here: {e}")
