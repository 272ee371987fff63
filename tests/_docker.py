"""Session fixtures for tests on a real Docker engine.

- `docker_engine`: an engine answers; as root, scripts/docker-engine.sh installs and starts one
  when there is none (about a second once installed) and stops it again at the end.
- `docker_image`: the base image. The default suite never builds it from scratch (debootstrap
  takes minutes): it uses it when built, imports it from its cached root filesystem (seconds),
  and otherwise skips, saying how to build it. The slow tests/runtime/test_docker_images.py
  builds it.
- `docker_lite_image`: the `lite` environment's image, built on the base image when missing or
  when the lite lock changed (about a minute).
- `backend`: extra `mlebench run` arguments, once per backend, so that run-group tests run on
  bubblewrap and on a real Docker engine alike.
MLEBENCH_TEST_DOCKER=0 skips every engine test on purpose.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "docker-engine.sh"
BUILD_HINT = ("build them once with `bash scripts/docker-engine.sh start && mlebench docker "
              "build-image --profile lite` (minutes), or run the slow tests (`bash scripts/test.sh "
              "-m slow`)")


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
    """The base image (Debian + Python and the reference image's tools, no environment)."""
    from mlebench.runtime.docker_image import (
        base_image_tag,
        build_base_image,
        image_info,
        rootfs_tarball,
    )

    tag = base_image_tag()
    if image_info(tag) is None and not rootfs_tarball().is_file():
        pytest.skip(f"the docker backend's images are not built: {BUILD_HINT}")
    return build_base_image(log=lambda _: None)  # at most an import of the cached tarball


@pytest.fixture(scope="session")
def docker_lite_image(docker_image, lite_env) -> str:
    """The `lite` environment's image, which runs of the built-in agents use: built on the base
    image when missing (about a minute, offline from the lite build's cache)."""
    from mlebench.errors import MLEBenchError
    from mlebench.runtime.docker_env_image import build_env_image

    try:
        return build_env_image("lite", log=lambda _: None)
    except MLEBenchError as e:
        pytest.skip(f"cannot build the lite environment's image here: {e}")


@pytest.fixture(params=["local", "docker"])
def backend(request) -> list[str]:
    if request.param == "docker":
        request.getfixturevalue("docker_lite_image")  # skips, saying why, without an engine
        return ["--backend", "docker"]
    from tests._sandbox import sandbox_available

    if not sandbox_available():
        pytest.skip("bubblewrap is not installed or cannot run here (apt-get install bubblewrap)")
    return []
