"""Profiles and locks as data: parsing, content hashes, the shipped profiles' contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlebench.envs import clean_requirements, parse_lock, resolve_profile
from mlebench.envs.profiles import PROFILES_DIR, normalize
from mlebench.errors import MLEBenchError

H1, H2 = "a" * 64, "b" * 64


def pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.split(r"\[[^\]]*\]==|==", line)
            out[normalize(name)] = version
    return out


def test_parse_lock_reads_pip_hash_format():
    text = (f"# header\nNumPy==1.26.4 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\n"
            f"    # via pandas\nruamel_yaml==0.18.6 --hash=sha256:{H1}  # comment\n")
    assert parse_lock(text) == {"numpy": ("1.26.4", [H1, H2]), "ruamel-yaml": ("0.18.6", [H1])}


@pytest.mark.parametrize("text, message", [
    ("numpy==1.26.4\n", "has no --hash"),
    (f"--index-url https://evil.example/simple\nnumpy==1.26.4 --hash=sha256:{H1}\n", "options"),
    (f"numpy>=1.26 --hash=sha256:{H1}\n", "expected `name==version"),
    (f"numpy==1.26.4 --hash=sha256:{H1}\nnumpy==1.26.3 --hash=sha256:{H2}\n", "listed twice"),
    ("# nothing\n", "no packages"),
])
def test_parse_lock_refuses_what_is_not_a_lock(text, message):
    with pytest.raises(MLEBenchError, match=message):
        parse_lock(text, "x.lock")


def test_content_hash_is_the_lock_and_python(tmp_path):
    lock = tmp_path / "a.lock.txt"
    lock.write_text(f"six==1.16.0 --hash=sha256:{H1}\n")
    a = resolve_profile(str(lock))
    assert (a.profile, a.variant, a.python) == ("a", "default", "3.11")
    copy = tmp_path / "b.lock.txt"
    copy.write_bytes(lock.read_bytes())
    assert resolve_profile(str(copy)).hash == a.hash  # same bytes, same environment
    lock.write_text(f"six==1.16.0 --hash=sha256:{H2}\n")
    assert resolve_profile(str(lock)).hash != a.hash
    assert resolve_profile("lite").hash != resolve_profile("lite").lock_sha256


def test_builtin_profiles_and_errors():
    lite = resolve_profile("lite")
    assert (lite.profile, lite.variant, lite.python, lite.source) == ("lite", "cpu", "3.11", "builtin")
    ref = resolve_profile(None)
    assert (ref.profile, ref.variant) == ("reference", "cpu")
    assert resolve_profile("reference", "cuda").hash != ref.hash
    with pytest.raises(MLEBenchError, match="no variant 'rocm'"):
        resolve_profile("reference", "rocm")
    with pytest.raises(MLEBenchError, match="Unknown environment profile 'nope'.*lite, reference"):
        resolve_profile("nope")


def test_profile_folder_given_by_path(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "profile.yaml").write_text(
        "python: '3.11'\nplatform: host\ndefault_variant: cpu\nvariants: {cpu: {lock: l.txt}}\n")
    (tmp_path / "mine" / "l.txt").write_text(f"six==1.16.0 --hash=sha256:{H1}\n")
    spec = resolve_profile(str(tmp_path / "mine"))
    assert (spec.profile, spec.variant, spec.source) == ("mine", "cpu", str(tmp_path / "mine"))
    assert spec.packages() == {"six": "1.16.0"}


def test_reference_profile_locks_the_references_92_pins_and_its_dockerfile_extras():
    folder = PROFILES_DIR / "reference"
    wanted = pins(folder / "requirements.in")
    assert len(wanted) == 92
    for variant in ("cpu", "cuda"):
        locked = resolve_profile("reference", variant).packages()
        for name, version in wanted.items():
            assert name in locked and locked[name].removesuffix(".0") == version.removesuffix(
                ".0"), (variant, name, locked.get(name), version)
        assert locked["tensorflow"] == "2.17.0" and locked["torch"] == "2.2.0"
        assert locked["torchvision"] == "0.17.0" and locked["torchaudio"] == "2.2.0"
        # torch's CUDA 12.1 runtime wheels win, as after the reference's last pip step
        assert locked["nvidia-cudnn-cu12"] == "8.9.2.26"
    cuda = resolve_profile("reference", "cuda").packages()
    assert cuda["nvidia-cuda-nvcc-cu12"] == "12.3.107"  # TensorFlow's and-cuda extra
    assert "nvidia-cuda-nvcc-cu12" not in resolve_profile("reference", "cpu").packages()


def test_lite_profile_is_the_references_versions():
    ref = pins(PROFILES_DIR / "reference" / "requirements.in")
    lite = resolve_profile("lite").packages()
    for name in ("numpy", "pandas", "scikit-learn", "scipy", "lightgbm", "pillow"):
        assert lite[name] == ref[name]


def test_agent_requirement_lines_are_pypi_requirements_only():
    ok = clean_requirements(["tqdm==4.66.5  # progress", "", "openai>=1.30,<2",
                             "torch[extra]~=2.2; python_version >= '3.10'", "tqdm==4.66.5"], "x")
    assert ok == ["openai>=1.30,<2", "torch[extra]~=2.2; python_version >= '3.10'", "tqdm==4.66.5"]
    for bad in ("-e .", "--index-url https://evil.example", "-r other.txt",
                "pkg @ https://evil.example/pkg.whl", "./local/path", "/etc/passwd",
                "git+https://github.com/x/y"):
        with pytest.raises(MLEBenchError, match="not a PyPI requirement"):
            clean_requirements([bad], "agent 'x' requirements")
