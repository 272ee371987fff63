"""`mlebench env build` for real: uv installs a small lock from PyPI (or, offline, a wheel folder)
into a content-addressed folder, verified; interrupted builds resume and never count as built."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlebench.cli import main
from mlebench.envs import build_env, find_built, require_built, resolve_profile, verify_built
from mlebench.envs.profiles import PROFILES_DIR
from mlebench.errors import MLEBenchError

DEAD_INDEX = "http://127.0.0.1:9/simple"  # nothing listens there: any use of it fails


def entry(name: str) -> str:
    """The lite lock's entry for `name` (real hashes of real PyPI files)."""
    text = (PROFILES_DIR / "lite" / "cpu.lock.txt").read_text()
    block = text.split(f"\n{name}==", 1)[1].split("\n    #", 1)[0]
    return f"{name}=={block}\n"


@pytest.fixture
def envs(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "envs"
    monkeypatch.setenv("MLEBENCH_ENVS_DIR", str(d))
    return d


@pytest.fixture
def small_lock(tmp_path) -> Path:
    lock = tmp_path / "small.lock.txt"
    lock.write_text(entry("six") + entry("tzdata"))
    return lock


class Interrupt(Exception):
    pass


def test_build_resumes_after_interruption_and_ignores_machine_config(envs, small_lock, tmp_path,
                                                                     monkeypatch):
    # The machine's pip/uv settings must not change what is installed.
    (tmp_path / "cap.txt").write_text("six<1.16\n")
    for var in ("PIP_CONSTRAINT", "UV_CONSTRAINT"):
        monkeypatch.setenv(var, str(tmp_path / "cap.txt"))
    monkeypatch.setenv("UV_INDEX_URL", DEAD_INDEX)
    monkeypatch.setenv("PIP_INDEX_URL", DEAD_INDEX)
    spec = resolve_profile(str(small_lock))

    def stop_after_first(stage, done, total):
        if stage == "install" and done == 1:
            raise Interrupt

    with pytest.raises(Interrupt):
        build_env(spec, progress=stop_after_first)
    partial = envs / f".partial-{spec.short}"
    first = next((partial / "lib").glob("python*/site-packages/six-1.16.0.dist-info"))
    assert find_built(spec.hash) is None and not (envs / spec.short).exists()
    with pytest.raises(MLEBenchError, match=r"is not built: build it with `mlebench env build "
                       rf"--profile {small_lock}`"):
        require_built(spec)
    before = first.stat().st_ino

    built = build_env(spec)
    assert built.path == envs / spec.short and not partial.exists()
    again = next((built.path / "lib").glob("python*/site-packages/six-1.16.0.dist-info"))
    assert again.stat().st_ino == before  # the partial build was continued, not redone
    assert built.info["packages"] == {"six": "1.16.0", "tzdata": "2024.2"}
    assert built.info["hash"] == spec.hash and built.info["lock_sha256"] == spec.lock_sha256
    assert (built.path / "lock.txt").read_bytes() == small_lock.read_bytes()
    assert verify_built(built) == []
    out = subprocess.run([str(built.python_bin), "-c", "import six, sys; print(six.__version__,"
                          " sys.prefix)"], capture_output=True, text=True)
    assert out.stdout.split() == ["1.16.0", str(built.path)]
    assert build_env(spec).path == built.path  # built once


def test_offline_build_from_a_wheel_folder(envs, small_lock, tmp_path, monkeypatch):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "download", "--isolated", "--quiet", "--no-deps",
                    "--only-binary=:all:", "--index-url", "https://pypi.org/simple", "-d",
                    str(wheels), "six==1.16.0", "tzdata==2024.2"], check=True)
    monkeypatch.setenv("MLEBENCH_INDEX_URL", DEAD_INDEX)
    spec = resolve_profile(str(small_lock))
    built = build_env(spec, wheels=wheels)
    assert built.info["from"] == "wheels" and verify_built(built) == []
    # A wheel folder lacking a locked package: a clear error, and nothing counts as built.
    spec2 = resolve_profile(str(small_lock))
    (wheels / next(p.name for p in wheels.glob("tzdata*"))).unlink()
    with pytest.raises(MLEBenchError, match="tzdata"):
        build_env(spec2, wheels=wheels, force=True)
    assert find_built(spec2.hash) is None


def test_a_file_that_does_not_match_the_lock_is_refused(envs, tmp_path):
    lock = tmp_path / "bad.lock.txt"
    lock.write_text("six==1.16.0 --hash=sha256:" + "0" * 64 + "\n")
    spec = resolve_profile(str(lock))
    with pytest.raises(MLEBenchError, match="(?i)hash"):
        build_env(spec)
    assert find_built(spec.hash) is None


def test_env_list_and_verify_show_drift(envs, small_lock, capsys):
    spec = resolve_profile(str(small_lock))
    built = build_env(spec)
    assert main(["env", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    mine = next(r for r in rows if r["hash"] == spec.hash)
    assert mine["built"] and mine["size_bytes"] > 100_000 and mine["profile"] == "small"
    assert next(r for r in rows if r["profile"] == "lite")["built"] is False
    # Something installed behind the lock's back, and a package removed.
    site = next((built.path / "lib").glob("python*/site-packages"))
    extra = site / "sneaky-1.0.dist-info"
    extra.mkdir()
    (extra / "METADATA").write_text("Metadata-Version: 2.1\nName: sneaky\nVersion: 1.0\n")
    for p in site.glob("tzdata-*.dist-info"):
        for f in p.iterdir():
            f.unlink()
        p.rmdir()
    assert sorted(verify_built(built)) == ["sneaky==1.0 is not in the lock",
                                           "tzdata==2024.2 missing"]
    assert main(["env", "list", "--verify"]) == 1
    assert "DIFFERS" in capsys.readouterr().out


def test_build_cli_reports_the_folder(envs, small_lock, capsys):
    assert main(["env", "build", "--profile", str(small_lock)]) == 0
    err = capsys.readouterr().err
    spec = resolve_profile(str(small_lock))
    assert f"hash {spec.short}" in err and f"built: {envs / spec.short}" in err
    assert main(["env", "build", "--profile", "nope"]) == 2
    assert "Unknown environment profile 'nope'" in capsys.readouterr().err


def test_shipped_lite_lock_is_what_env_lock_resolves(tmp_path, envs):
    import shutil

    from mlebench.envs.lock import lock_profile

    folder = tmp_path / "lite"
    shutil.copytree(PROFILES_DIR / "lite", folder)
    (folder / "cpu.lock.txt").unlink()
    lock_profile(folder)
    assert (folder / "cpu.lock.txt").read_text() == (PROFILES_DIR / "lite" / "cpu.lock.txt").read_text()
