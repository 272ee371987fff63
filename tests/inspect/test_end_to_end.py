"""`inspect eval` end to end with inspect's mockllm model scripted to issue bash tool calls: the
react agent acts in the mlebench sandbox and the host scorer grades what it left."""

import json
import os
from pathlib import Path

import pytest

from .conftest import PRACTICE, SKIP_REASON

pytest.importorskip("inspect_ai", reason=SKIP_REASON)

from inspect_ai import eval as inspect_eval  # noqa: E402
from inspect_ai.model import ModelOutput, ModelUsage, get_model  # noqa: E402

from tests._sandbox import requires_sandbox  # noqa: E402

pytestmark = requires_sandbox


MODEL = "mockllm/model"


def scripted(*commands: str):
    """A model that runs `commands` one per turn with the bash tool, then calls submit(). It
    reads the conversation, so concurrent samples and epochs each get the whole script."""

    def next_output(messages, tools, tool_choice, config):
        step = sum(1 for m in messages if m.role == "tool")
        if step < len(commands):
            out = ModelOutput.for_tool_call(MODEL, "bash", {"command": commands[step]})
        else:
            out = ModelOutput.for_tool_call(MODEL, "submit", {"answer": "done"})
        # Given, so that mockllm does not count tokens (tiktoken would download its tables).
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return out

    return get_model(MODEL, custom_outputs=next_output)


def run_eval(tmp_path: Path, *commands: str, epochs: int = 1):
    from mlebench.inspect.tasks import competitions

    task = competitions(competitions=PRACTICE, env_profile="lite", time_limit="10m",
                        run_group=str(tmp_path / "group"), memory="2G", disk="256M",
                        grace_period_s=2)
    [log] = inspect_eval(task, model=scripted(*commands), epochs=epochs,
                         log_dir=str(tmp_path / "logs"), display="none", max_samples=2)
    assert log.status == "success", log.error
    return log


def processes_with(marker: str) -> list[int]:
    """Host processes whose command line holds `marker` (the sandbox's included)."""
    out = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                out.append(int(proc.name))
        except OSError:
            continue
    return out


def test_copying_the_sample_submission_is_graded_on_the_host(tmp_path, lite_env):
    marker = f"left-behind-{tmp_path.name}"
    log = run_eval(tmp_path, "cp /home/data/sample_submission.csv /home/submission/submission.csv",
                   f"nohup sh -c 'sleep 600; : {marker}' >/dev/null 2>&1 & ls -l /home/submission")
    [sample] = log.samples
    [score] = sample.scores.values()
    assert score.value == {"any_medal": 0.0, "above_median": 0.0, "valid_submission": 1.0}
    report = score.metadata["grading_report"]
    assert report["valid_submission"] and report["score"] is not None
    assert report["submission_intake"]["status"] == "regular"
    # The agent's tool output came from inside the sandbox.
    tool_messages = [m for m in sample.messages if m.role == "tool"]
    assert "submission.csv" in tool_messages[1].text
    # The run folder is a `mlebench run` run folder, linked from the log.
    run_dir = Path(score.metadata["run_dir"])
    assert run_dir.parent == tmp_path / "group"
    meta = json.loads((run_dir / "metadata.json").read_text())
    assert meta["status"] == "completed" and meta["front_end"] == "inspect_ai"
    assert meta["grading"]["valid_submission"] is True
    assert meta["environment"]["profile"] == "lite"
    on_disk = json.loads((run_dir / "grading_report.json").read_text())
    assert on_disk["score"] == report["score"]
    assert (run_dir / "submission" / "submission.csv").is_file()
    assert not (run_dir / ".harness" / "workspace").exists()  # released after the sample
    assert processes_with(marker) == []  # graded after everything in the sandbox was gone
    metrics = {(s.name, name): m.value for s in log.results.scores
               for name, m in s.metrics.items()}
    assert metrics[("valid_submission", "mean")] == 1.0
    assert metrics[("any_medal", "mean")] == 0.0 and ("any_medal", "stderr") in metrics


def test_a_symlink_to_the_answers_is_an_invalid_submission_not_a_score(tmp_path, lite_env):
    from mlebench.registry import Registry

    answers = Registry().get_competition(PRACTICE).private_dir
    # The issue-14 attack: a link whose target is the answers' host path, which the host would
    # reach if it followed links; and the same through the path mountinfo shows for /home/data.
    log = run_eval(
        tmp_path,
        f"ln -s {answers}/test.csv /home/submission/submission.csv",
        "d=$(awk '$5==\"/home/data\"{print $4}' /proc/self/mountinfo); "
        "ln -s \"$d/../private/test.csv\" /home/code/answers.csv; ls -l /home/submission",
    )
    [sample] = log.samples
    [score] = sample.scores.values()
    assert score.value == {"any_medal": 0.0, "above_median": 0.0, "valid_submission": 0.0}
    report = score.metadata["grading_report"]
    assert report["score"] is None and report["valid_submission"] is False
    assert report["submission_intake"]["status"] == "refused"
    assert "link" in report["invalid_reason"]
    assert "Invalid submission" in score.explanation
    run_dir = Path(score.metadata["run_dir"])
    assert not (run_dir / "submission" / "submission.csv").exists()  # never copied, never read
    refused = json.loads((run_dir / "intake.json").read_text())["refused"]
    assert {r["path"] for r in refused} >= {"submission/submission.csv", "code/answers.csv"}


def test_mlebench_report_reads_inspect_logs_with_epochs_as_seeds(tmp_path, lite_env, capsys):
    from mlebench.cli import main

    run_eval(tmp_path, "cp /home/data/sample_submission.csv /home/submission/submission.csv",
             epochs=2)
    reports = {}
    for name, source in (("logs", tmp_path / "logs"), ("group", tmp_path / "group")):
        code = main(["report", str(source), "--output", str(tmp_path / name), "--json"])
        out = capsys.readouterr().out
        assert code == 0
        reports[name] = json.loads(out)
    from_logs, from_folders = reports["logs"], reports["group"]
    assert from_logs["seeds"] == 2 and from_logs["agents"] == ["inspect:mockllm/model"]
    practice = from_logs["splits"]["practice"]["metrics"]
    assert practice["valid_submission"]["mean"] > 0 and practice["valid_submission"]["n"] == 2
    seeds = from_logs["competitions"][PRACTICE]["seeds"]
    assert sorted(seeds) == ["0", "1"] and all(s["valid"] for s in seeds.values())
    assert from_logs["environment"]["profile"] == "lite"
    # One report, either front end: the run folders the samples wrote say the same.
    assert from_folders["seeds"] == 2
    assert (from_folders["splits"]["practice"]["metrics"]["valid_submission"]
            == from_logs["splits"]["practice"]["metrics"]["valid_submission"])
    log_file = next((tmp_path / "logs").glob("*.eval"))
    assert main(["report", str(log_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["seeds"] == 2
    # The group is a run group like any other: signed, verified and re-graded from the data.
    group, keys, bundle = tmp_path / "group", tmp_path / "keys", tmp_path / "results.tar.gz"
    assert {"group.json", "environment.lock.txt"} <= {p.name for p in group.iterdir()}
    assert main(["keygen", "--output", str(keys)]) == 0
    assert main(["bundle", str(group), "--key", str(keys / "mlebench-signing-key.pem"),
                 "--output", str(bundle)]) == 0
    assert main(["verify", str(bundle), "--data-dir", os.environ["MLEBENCH_DATA_DIR"]]) == 0
    assert "all" in capsys.readouterr().out


@pytest.mark.slow  # a fresh `inspect` process (~25 s); the registry test below runs by default
def test_inspect_cli_finds_the_tasks_and_provider_through_the_entry_point(tmp_path, lite_env):
    """`inspect eval mlebench/competitions` in a fresh process: the task and `sandbox="mlebench"`
    come from the `inspect_ai` entry point; `--solver` replaces the react agent."""
    import os
    import subprocess
    import sys

    from inspect_ai.log import read_eval_log

    solver = Path(__file__).with_name("solvers.py")
    inspect = Path(sys.executable).with_name("inspect")
    proc = subprocess.run(
        [str(inspect), "eval", "mlebench/competitions", "-T", f"competitions={PRACTICE}",
         "-T", "env_profile=lite", "-T", f"run_group={tmp_path / 'group'}", "-T", "memory=2G",
         "-T", "disk=256M", "--solver", f"{solver}@copy_sample_submission",
         "--model", "mockllm/model", "--log-dir", str(tmp_path / "logs"), "--display", "none"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    [log_file] = (tmp_path / "logs").glob("*.eval")
    log = read_eval_log(str(log_file))
    assert log.eval.task.endswith("competitions") and log.eval.sandbox.type == "mlebench"
    [score] = log.samples[0].scores.values()
    assert score.value["valid_submission"] == 1.0
    assert Path(score.metadata["run_dir"]).parent == tmp_path / "group"


def test_the_entry_point_registers_every_task_and_the_provider():
    """What `inspect eval mlebench/<name>` and `sandbox="mlebench"` look up (loaded through the
    `inspect_ai` entry point of the installed package)."""
    from importlib.metadata import entry_points

    from inspect_ai._util.registry import registry_lookup
    from inspect_ai.util._sandbox.registry import registry_find_sandboxenv

    [ep] = [e for e in entry_points(group="inspect_ai") if e.name == "mlebench"]
    assert ep.value == "mlebench.inspect._registry"

    for name in ("lite", "all", "low", "medium", "high", "dev", "systemcard", "practice",
                 "competitions"):
        assert registry_lookup("task", f"mlebench/{name}") is not None, name
    assert registry_find_sandboxenv("mlebench").__name__ == "MLEBenchSandbox"


def test_a_failing_solver_still_ends_the_sandbox_and_keeps_the_record(tmp_path, lite_env):
    from inspect_ai.solver import solver
    from inspect_ai.util import sandbox

    from mlebench.inspect.tasks import competitions

    marker = f"orphan-{tmp_path.name}"

    @solver
    def crash():
        async def solve(state, generate):
            await sandbox().exec(["sh", "-c", f"nohup sh -c 'sleep 600; : {marker}' "
                                  ">/dev/null 2>&1 & echo started > /home/logs/agent.log"])
            raise RuntimeError("the agent broke")

        return solve

    task = competitions(competitions=PRACTICE, env_profile="lite", time_limit="10m",
                        run_group=str(tmp_path / "group"), memory="2G", disk="256M",
                        grace_period_s=2, solver=crash())
    [log] = inspect_eval(task, model="mockllm/model", log_dir=str(tmp_path / "logs"),
                         display="none")
    assert log.status == "error" and "the agent broke" in log.samples[0].error.message
    [run_dir] = (tmp_path / "group").glob(f"{PRACTICE}_seed*")
    meta = json.loads((run_dir / "metadata.json").read_text())
    assert meta["status"] in ("completed", "crashed") and meta["ended_at"]
    assert (run_dir / "logs" / "agent.log").read_text() == "started\n"  # taken in all the same
    assert not (run_dir / "grading_report.json").exists()  # never scored: not a finished run
    assert processes_with(marker) == []
    assert not (run_dir / ".harness" / "workspace").exists()


def test_inspect_tools_that_install_themselves_work_too(tmp_path, lite_env):
    """text_editor() installs inspect's tool server in /var/tmp of the sandbox, as the agent."""
    from inspect_ai.agent import react
    from inspect_ai.tool import bash, text_editor

    from mlebench.inspect.tasks import competitions

    steps = [("text_editor", {"command": "create", "path": "/home/code/solve.py",
                              "file_text": "print('written by text_editor')\n"}),
             ("bash", {"command": "python3 /home/code/solve.py"})]

    def next_output(messages, tools, tool_choice, config):
        k = sum(1 for m in messages if m.role == "tool")
        out = ModelOutput.for_tool_call(MODEL, *steps[k]) if k < len(steps) else \
            ModelOutput.for_tool_call(MODEL, "submit", {"answer": "done"})
        out.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return out

    task = competitions(competitions=PRACTICE, env_profile="lite", time_limit="10m",
                        run_group=str(tmp_path / "group"), memory="2G", disk="256M",
                        solver=react(tools=[bash(), text_editor()]))
    [log] = inspect_eval(task, model=get_model(MODEL, custom_outputs=next_output),
                         log_dir=str(tmp_path / "logs"), display="none")
    assert log.status == "success", log.error
    tool_texts = [m.text for m in log.samples[0].messages if m.role == "tool"]
    assert "created" in tool_texts[0] and tool_texts[1].strip() == "written by text_editor"
    [score] = log.samples[0].scores.values()
    run_dir = Path(score.metadata["run_dir"])
    assert (run_dir / "code" / "solve.py").read_text() == "print('written by text_editor')\n"
