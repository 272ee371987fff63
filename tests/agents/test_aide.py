"""The aide agent end to end against a scripted OpenAI-compatible server on loopback, through
`mlebench run` with the llm-only network policy: it drafts a failing solution, debugs it,
improves it and submits; the journal and token log are written; the key is in no file."""

import json

import pytest

from mlebench.cli import main
from tests._sandbox import requires_sandbox
from tests.agents.scripted_llm import ScriptedLLM

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

pytest.importorskip("openai")

CID = "spaceship-titanic"
SECRET = "sk-test-0123456789abcdef-secret"



@requires_sandbox
def test_aide_draft_debug_improve_submit(prepare_synthetic, data_dir, tmp_path, monkeypatch, capsys):
    prepare_synthetic(CID)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    group = tmp_path / "group"
    with ScriptedLLM() as llm:
        code = main(["run", "--agent", "aide", "-c", CID, "--time-limit", "120s",
                     "--network", "llm-only", "--llm-endpoint", llm.base_url,
                     "--agent-arg", f"base_url={llm.base_url}", "--agent-arg", "model=scripted",
                     "--agent-arg", "steps=3", "--agent-arg", "num_drafts=1",
                     "--agent-arg", "exec_timeout=60", "--agent-arg", "price_in_per_mtok=1",
                     "--env", "lite", "--run-dir", str(group), "--data-dir", str(data_dir)])
        requests = list(llm.requests)
    capsys.readouterr()
    rd = group / f"{CID}_seed0"
    assert code == 0, (rd / "agent.stdout.log").read_text() + (rd / "agent.stderr.log").read_text()
    meta = json.loads((rd / "metadata.json").read_text())
    assert meta["status"] == "completed" and meta["network_policy"] == "llm-only"
    journal = json.loads((rd / "logs" / "journal.json").read_text())
    stages = [n["stage"] for n in journal["nodes"]]
    assert stages == ["draft", "debug", "improve"]
    assert journal["nodes"][0]["is_buggy"] and "deliberate bug" in journal["nodes"][0]["output"]
    assert journal["nodes"][2]["metric"] == 0.8 and journal["best_node"] == 2
    assert all(n["messages"] for n in journal["nodes"])
    tokens = [json.loads(line) for line in (rd / "logs" / "tokens.jsonl").read_text().splitlines()]
    assert len(tokens) == len(requests) == 6  # 3 steps x (solution + review)
    assert journal["tokens"]["prompt_tokens"] == 600
    # 600 prompt tokens at $1/M (overridden) + 300 completion tokens at the spec's $10/M
    assert journal["tokens"]["cost_usd"] == pytest.approx(600 / 1e6 * 1 + 300 / 1e6 * 10)
    assert all(r["auth"] == f"Bearer {SECRET}" for r in requests)
    net = meta["network_requests"]
    assert net["requests"] >= 6 and net["denied"] == 0
    assert meta["validation"]["calls"] == 1 and meta["validation"]["valid"] == 1
    assert meta["agent_reported_llm_usage"]["calls"] == 6
    assert meta["agent_reported_llm_usage"]["prompt_tokens"] == 600
    report = json.loads((rd / "grading_report.json").read_text())
    assert report["valid_submission"]
    for path in group.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
