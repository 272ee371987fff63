"""The Ray backend on a local Ray instance: runs land in the run group; a run whose worker dies
mid-run is retried and recorded once."""

import json
import textwrap

import pytest

from mlebench.cli import main

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

ray = pytest.importorskip("ray")
sandbox = pytest.importorskip("mlebench.runtime.sandbox")

CID = "spaceship-titanic"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield
    ray.shutdown()


def test_runs_land_in_group_and_lost_worker_is_retried_once(local_ray, prepare_synthetic,
                                                             data_dir, tmp_path, capsys):
    prepare_synthetic(CID)
    marker = tmp_path / "first-attempt-done"
    agent_dir = tmp_path / "crashy"
    agent_dir.mkdir()
    # First attempt: kill the Ray worker running this task (as a lost node would), then retry.
    (agent_dir / "main.py").write_text(textwrap.dedent(f"""
        import glob, os, shutil, signal, sys
        import psutil
        marker = {str(marker)!r}
        if os.environ.get("MLEBENCH_SEED") == "0" and not os.path.exists(marker):
            open(marker, "w").close()
            for p in psutil.Process().parents():
                if "ray::" in " ".join(p.cmdline()) or p.name().startswith("ray::"):
                    os.kill(p.pid, signal.SIGKILL)
            sys.exit(3)
        data = os.environ["DATA_DIR"]
        shutil.copy(glob.glob(os.path.join(data, "sample_submission.csv"))[0],
                    os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
    """))
    (agent_dir / "agent.yaml").write_text(
        'name: crashy\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\nenv_profile: lite\nrequirements: [psutil==6.0.0]\n')
    group = tmp_path / "group"
    code = main(["run", "--agent", str(agent_dir / "agent.yaml"), "-c", CID, "--seeds", "2",
                 "--backend", "ray", "--time-limit", "60s", "--run-dir", str(group),
                 "--data-dir", str(data_dir), "--unsafe-no-sandbox"])
    capsys.readouterr()
    assert code == 0
    assert marker.exists()
    runs = sorted(p.name for p in group.iterdir() if p.is_dir())
    assert runs == [f"{CID}_seed0", f"{CID}_seed1"]
    for name in runs:
        meta = json.loads((group / name / "metadata.json").read_text())
        assert meta["status"] == "completed" and meta["backend"] == "ray"
        assert json.loads((group / name / "grading_report.json").read_text())["valid_submission"]
