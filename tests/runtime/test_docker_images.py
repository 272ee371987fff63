"""Slow: the docker backend's images built locally (debootstrap, docker import, the `lite` lock
installed offline), what they hold, and the baseline agent running in one end to end. Run with
`bash scripts/test.sh -m slow` (or `pytest -m slow tests/runtime/test_docker_images.py`); the
first build takes minutes (see README), later ones reuse the cached root filesystem and images."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from mlebench.cli import main

pytestmark = pytest.mark.slow
CID = "spaceship-titanic"


@pytest.fixture(scope="module")
def built(docker_engine, lite_env) -> tuple[str, str]:
    from mlebench.runtime.docker_env_image import build_env_image
    from mlebench.runtime.docker_image import build_base_image

    return build_base_image(log=print), build_env_image("lite", log=print)


def _in(image: str, script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", "run", "--rm", "--network", "none", image, "sh", "-c", script],
                          capture_output=True, text=True, timeout=300)


def test_base_image_has_python_and_the_reference_images_tools(built):
    from mlebench.runtime.docker_image import LABEL, image_info, rootfs_tarball

    base, _ = built
    assert re.fullmatch(r"mlebench-base:bookworm-[0-9a-f]{12}", base)
    labels = image_info(base)["labels"]
    assert labels[f"{LABEL}.image"] == "base"
    assert (rootfs_tarball().with_suffix(".tar.sha256").read_text()
            == labels[f"{LABEL}.rootfs_sha256"])  # cached, so rebuilding is an import
    r = _in(base, "python3 --version && for t in curl wget git unzip zip 7z ffmpeg; do "
                  "command -v $t >/dev/null || echo missing $t; done && id agent && "
                  "ls /usr/lib/x86_64-linux-gnu/libgomp.so.1 /usr/lib/x86_64-linux-gnu/libGL.so.1")
    assert r.returncode == 0 and "missing" not in r.stdout, r.stdout + r.stderr
    assert "Python 3.11." in r.stdout and "uid=61000(agent)" in r.stdout


def test_lite_image_holds_exactly_the_lock(built, lite_env):
    from mlebench.envs import resolve_profile
    from mlebench.runtime.docker_image import LABEL, image_info

    base, image = built
    spec = resolve_profile("lite")
    assert image == f"mlebench-env:lite-{spec.hash[:12]}"
    labels = image_info(image)["labels"]
    assert labels[f"{LABEL}.env.hash"] == spec.hash == lite_env.hash
    assert labels[f"{LABEL}.env.lock_sha256"] == spec.lock_sha256 and labels[f"{LABEL}.base"] == base
    r = _in(image, "python -c 'import importlib.metadata as m, json, sys; print(json.dumps("
                   "[sys.prefix, {d.metadata[\"Name\"].lower(): d.version for d in m.distributions()}]))'")
    prefix, found = json.loads(r.stdout)
    assert prefix == "/opt/mlebench/env"
    assert {k.replace("_", "-"): v for k, v in found.items()} == {
        k.replace("_", "-"): v for k, v in spec.packages().items()}


def test_baseline_agent_runs_in_the_lite_image(built, prepare_synthetic, data_dir, tmp_path,
                                               capsys):
    prepare_synthetic(CID)
    group = tmp_path / "g"
    code = main(["run", "--agent", "baseline", "-c", CID, "--backend", "docker",
                 "--time-limit", "600s", "--memory", "4G", "--cpus", "2",
                 "--run-dir", str(group), "--data-dir", str(data_dir)])
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stderr.log").read_text()[-2000:]
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "completed" and meta["environment"]["image"] == built[1]
    report = json.loads((rd / "grading_report.json").read_text())
    assert report["valid_submission"] and report["score"] is not None
