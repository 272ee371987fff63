"""The full reference environment (slow: 9.3 GiB, about 12 minutes to build from PyPI on 2
cores): built with `mlebench env build`, then every one of the reference's 92 top-level packages
is imported inside the sandbox by an agent run in it. 91 import; bayespy cannot, in the
reference's image either (KNOWN_BROKEN).

    .venv/bin/python -m pytest -m slow tests/envs/test_reference_env.py
"""

from __future__ import annotations

import json
import textwrap
import time

import pytest

from mlebench.cli import main
from mlebench.envs import dir_size
from mlebench.envs.profiles import PROFILES_DIR
from tests._sandbox import requires_sandbox

pytestmark = [pytest.mark.slow, requires_sandbox]
CID = "practice-tabular-classification"
# Broken by the reference's own pins, so in its image too (kept, so that a fix shows up here).
KNOWN_BROKEN = {
    "bayespy": "bayespy 0.5.1 reads scipy.optimize.optimize._epsilon, which SciPy 1.14.1 (also "
               "pinned by the reference) no longer has",
}

# Each package imported in its own interpreter (TensorFlow and PyTorch in one process is not what
# is being tested), two at a time; the module comes from the distribution's own file list.
PROBE = r'''
import concurrent.futures, glob, importlib.metadata as md, json, os, shutil, subprocess, sys

def modules(dist):
    d = md.distribution(dist)
    top = (d.read_text("top_level.txt") or "").split()
    if not top:
        top = sorted({f.parts[0].removesuffix(".py") for f in d.files or []
                      if len(f.parts) > 1 and f.parts[1] == "__init__.py"
                      or len(f.parts) == 1 and f.suffix == ".py"})
    want = dist.lower().replace("-", "_")
    top = [t for t in top if not t.startswith("_") and t not in ("tests", "test")] or top
    return sorted(top, key=lambda t: (t.lower() != want, t.lower().replace("_", "") not in want,
                                      len(t)))

def check(dist):
    try:
        mod = modules(dist)[0]
    except Exception as e:
        return dist, None, f"no distribution: {e}"
    r = subprocess.run([sys.executable, "-c", f"import {mod}"], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "KAGGLE_USERNAME": "x", "KAGGLE_KEY": "x"})
    return dist, mod, None if r.returncode == 0 else r.stderr.strip().splitlines()[-1][-300:]

names = [l.split("==")[0] for l in open(sys.argv[1]).read().splitlines()
         if l.strip() and not l.startswith("#")]
with concurrent.futures.ThreadPoolExecutor(2) as ex:
    results = list(ex.map(check, names))
print(json.dumps({"python": sys.executable, "results": results}))
shutil.copy(glob.glob("/home/data/sample_submission.csv")[0], "/home/submission/submission.csv")
'''


def test_reference_environment_imports_all_92_packages(prepare_synthetic, data_dir, tmp_path,
                                                       capsys):
    t0 = time.monotonic()
    assert main(["env", "build", "--profile", "reference"]) == 0
    build_s = time.monotonic() - t0
    from mlebench.envs import find_built, resolve_profile

    built = find_built(resolve_profile("reference").hash)
    assert built is not None
    prepare_synthetic(CID)
    agent = tmp_path / "probe"
    agent.mkdir()
    (agent / "probe.py").write_text(PROBE)
    (agent / "requirements.in").write_text((PROFILES_DIR / "reference" / "requirements.in")
                                           .read_text())
    (agent / "agent.yaml").write_text(textwrap.dedent("""
        name: import-probe
        command: ["python3", "/home/agent/probe.py", "/home/agent/requirements.in"]
        files: .
    """))
    group = tmp_path / "g"
    code = main(["run", "--agent", str(agent / "agent.yaml"), "-c", CID, "--env", "reference",
                 "--time-limit", "40m", "--memory", "12G", "--run-dir", str(group),
                 "--data-dir", str(data_dir)])
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stderr.log").read_text()[-3000:]
    out = json.loads((rd / "agent.stdout.log").read_text().splitlines()[-1])
    assert out["python"].startswith("/opt/mlebench/env/")
    results = out["results"]
    assert len(results) == 92
    failed = {dist: (mod, err) for dist, mod, err in results if err}
    print(f"reference env: {dir_size(built.path) / 2**30:.2f} GiB, build/check {build_s:.0f} s, "
          f"imports {len(results) - len(failed)}/92, failing: {failed}")
    assert set(failed) == set(KNOWN_BROKEN), failed
    assert "_epsilon" in failed["bayespy"][1]
