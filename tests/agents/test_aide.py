"""The aide agent (WecoAI's aideml, installed as the agent's layer on the `lite` environment) end
to end through `mlebench run --network llm-only`, against a scripted OpenAI-compatible server on
loopback: a buggy draft, a debug, an improvement, the best node's submission graded valid on the
host; the API key reaches the LLM and no file of the run folder, nor the code AIDE runs.

The same run in the reference environment is slow (it builds that environment once):

    .venv/bin/python -m pytest -m slow tests/agents/test_aide.py
"""

import json

import pytest

from mlebench.cli import main
from tests._sandbox import requires_sandbox
from tests.agents.scripted_llm import ScriptedLLM

# Agents run in the `lite` environment (built once per machine); the aide layer is built on it
# on first use and cached.
pytestmark = [pytest.mark.usefixtures("lite_env"), requires_sandbox]

CID = "practice-tabular-classification"
SECRET = "sk-test-0123456789abcdef-secret"


@pytest.fixture
def practice(data_dir, capsys):
    assert main(["prepare", "-c", CID, "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    return data_dir


def run_aide(data_dir, group, llm, *agent_args: str, time_limit: str = "300s",
             profile: str = "lite") -> int:
    args = ["run", "--agent", "aide", "-c", CID, "--time-limit", time_limit, "--env", profile,
            "--network", "llm-only", "--llm-endpoint", llm.base_url,
            "--agent-arg", f"base_url={llm.base_url}", "--run-dir", str(group),
            "--data-dir", str(data_dir)]
    for a in agent_args:
        args += ["--agent-arg", a]
    return main(args)


def stages(journal: dict) -> list[str]:
    """Each node's kind, as aideml defines it: no parent = draft; a buggy parent = debug."""
    buggy = {n["id"]: n["is_buggy"] for n in journal["nodes"]}
    parents = journal["node2parent"]
    return ["draft" if n["id"] not in parents else "debug" if buggy[parents[n["id"]]] else "improve"
            for n in journal["nodes"]]


# The reference environment (slow: 9 GiB, built once per machine) has openai 0.28 and anthropic
# 0.34.1; aideml's layer brings the clients it needs, recorded as overrides.
@pytest.mark.parametrize("profile, overrides", [
    ("lite", set()), pytest.param("reference", {"openai", "anthropic"}, marks=pytest.mark.slow)])
def test_aide_drafts_debugs_improves_and_submits(practice, tmp_path, monkeypatch, capsys, profile,
                                                 overrides):
    if profile != "lite":
        assert main(["env", "build", "--profile", profile]) == 0
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    group = tmp_path / "group"
    with ScriptedLLM() as llm:
        code = run_aide(practice, group, llm, "agent.steps=3", "agent.search.num_drafts=1",
                        "exec.timeout=60", "price_in_per_mtok=1", profile=profile)
        requests = list(llm.requests)
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    logs = (rd / "agent.stdout.log").read_text() + (rd / "agent.stderr.log").read_text()
    assert code == 0, logs
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "completed" and meta["network_policy"] == "llm-only", logs
    layer = meta["environment"]["layer"]
    assert layer["packages"]["aideml"] == "0.2.0" and not layer["deps"]
    assert meta["environment"]["profile"] == profile and set(layer["overrides"]) == overrides

    journal = json.loads((rd / "logs" / "journal.json").read_text())
    nodes = journal["nodes"]
    assert stages(journal) == ["draft", "debug", "improve"], logs
    assert nodes[0]["is_buggy"] and nodes[0]["exc_type"] == "KeyError"
    assert "OPENAI_API_KEY is not set" in "".join(nodes[0]["_term_out"])
    debug, improve = (n["metric"]["value"] for n in nodes[1:])
    assert not nodes[1]["is_buggy"] and not nodes[2]["is_buggy"] and improve > debug
    # The reference's settings reached aideml (the spec's defaults, the test's overrides).
    config = (rd / "logs" / "config.yaml").read_text()
    for line in ("copy_data: false", "steps: 3", "debug_prob: 1.0", "max_debug_depth: 20",
                 "model: gpt-4o-2024-08-06", "timeout: 60"):
        assert line in config, line

    # The best node (the improvement) is exported as regular files; no link is left behind.
    assert (rd / "code" / "node_id.txt").read_text() == nodes[2]["id"]
    assert (rd / "code" / "solution.py").read_text() == nodes[2]["code"]
    assert not [p for p in rd.rglob("*") if p.is_symlink()]
    report = json.loads((rd / "grading_report.json").read_text())
    assert report["valid_submission"] and report["score"] > 0.9, report
    assert meta["grading"]["valid_submission"]

    # Six calls (3 x code + review), reviews by forced tool call, all with the key, all logged.
    assert len(requests) == 6
    assert [bool(r["body"].get("tools")) for r in requests] == [False, True] * 3
    assert {r["body"]["model"] for r in requests} == {"gpt-4o-2024-08-06"}
    assert all(r["auth"] == f"Bearer {SECRET}" for r in requests)
    assert meta["network_requests"]["requests"] >= 6 and meta["network_requests"]["denied"] == 0
    usage = meta["agent_reported_llm_usage"]
    assert usage["calls"] == 6 and usage["prompt_tokens"] == 600
    assert usage["cost_usd"] == pytest.approx(600 / 1e6 * 1 + 300 / 1e6 * 10)
    for path in group.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_aide_stops_before_its_time_limit_with_its_best_submission(practice, tmp_path,
                                                                  monkeypatch, capsys):
    """Told 100 steps in 45 s, it starts no step with under 30 s left and exits on its own."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with ScriptedLLM() as llm:
        code = run_aide(practice, tmp_path / "group", llm, "agent.steps=100",
                        "agent.search.num_drafts=1", time_limit="45s")
        first_prompt = llm.requests[0]["body"]["messages"][0]["content"]
    capsys.readouterr()
    rd = tmp_path / "group" / f"{CID}_seed0"
    meta = json.loads((rd / "metadata.json").read_text())
    stdout = (rd / "agent.stdout.log").read_text()
    assert code == 0 and meta["status"] == "completed" and meta["exit_code"] == 0, stdout
    assert "Time is up" in stdout
    steps = len(json.loads((rd / "logs" / "journal.json").read_text())["nodes"])
    assert 2 <= steps < 100
    assert "Steps left: 100." in first_prompt and "Time left for the whole task: 0hrs 0mins" in first_prompt
    assert meta["grading"]["valid_submission"]


@pytest.mark.parametrize("arg, message", [
    ("agent.stepz=3", "aide: AIDE config:"),
    ("agent.feedback.model=local-model", "aide: agent.feedback.model=local-model: aideml reviews "
                                         "with function calling only for"),
])
def test_aide_refuses_bad_settings_in_one_line(practice, tmp_path, monkeypatch, capsys, arg,
                                               message):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with ScriptedLLM() as llm:
        run_aide(practice, tmp_path / "group", llm, arg)
        assert not llm.requests
    capsys.readouterr()
    rd = tmp_path / "group" / f"{CID}_seed0"
    assert json.loads((rd / "metadata.json").read_text())["exit_code"] == 2
    err = (rd / "agent.stderr.log").read_text().strip()
    assert err.startswith(message) and "\n" not in err, err
