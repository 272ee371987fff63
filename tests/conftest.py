"""Shared test fixtures. Tests never touch the network: assets come from loopback servers or are
reported unavailable (MLEBENCH_OFFLINE)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["MLEBENCH_OFFLINE"] = "1"
pytest_plugins = ["tests._docker"]  # docker_engine, docker_image (real engine, or a skip)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own data and asset cache dirs, and no Kaggle credentials."""
    base = tmp_path_factory.mktemp("mlebench-home")
    monkeypatch.setenv("MLEBENCH_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MLEBENCH_ASSETS_DIR", str(base / "assets"))
    monkeypatch.setenv("MLEBENCH_OFFLINE", "1")
    monkeypatch.delenv("MLEBENCH_UPSTREAM_DIR", raising=False)
    monkeypatch.delenv("KAGGLE_USERNAME", raising=False)
    monkeypatch.delenv("KAGGLE_KEY", raising=False)
    monkeypatch.delenv("KAGGLE_API_TOKEN", raising=False)
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(base / "kaggle-config"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def registry(data_dir: Path):
    from mlebench.registry import Registry

    return Registry(data_dir)


@pytest.fixture
def prepare_synthetic(registry):
    """`prepare_synthetic(id, seed=0)` prepares a competition from its fixture and returns it."""
    from mlebench.data import prepare_competition

    def _prepare(competition_id: str, seed: int = 0):
        competition = registry.get_competition(competition_id)
        prepare_competition(competition, synthetic=True, seed=seed, force=True)
        return competition

    return _prepare


@pytest.fixture(scope="session")
def lite_env():
    """The `lite` agent environment, built once: runs of the built-in agents need it. It lives
    in the envs dir (MLEBENCH_ENVS_DIR, else the user cache), so later sessions reuse it."""
    from mlebench.envs import build_env, resolve_profile

    return build_env(resolve_profile("lite"))
