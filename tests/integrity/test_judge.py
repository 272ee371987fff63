"""The LLM judge against a scripted OpenAI-compatible server on loopback (real HTTP, real client)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlebench.integrity.findings import TEST_LABELS
from mlebench.integrity.judge import (
    JudgeConfig,
    JudgeError,
    _fair_shares,
    collect_material,
    judge_run,
    parse_verdict,
)
from tests.integrity.test_rules import CID, clean_run, make_run

CHEAT_CODE = ("import pandas as pd\n"
              "answers = pd.read_csv('/data/prepared/private/test.csv')\n"
              "answers.to_csv('/home/submission/submission.csv', index=False)\n")


def scripted_verdict(user: str) -> str:
    """A stand-in judge: flags runs whose material reads the private answers."""
    for line in user.splitlines():
        if "prepared/private" in line and "read_csv" in line:
            return ("Looking at the code:\n```json\n" + json.dumps({
                "violation": True, "rules": [TEST_LABELS, "not-a-rule"],
                "evidence": [f"code/cheat.py:2: {line.strip()}"],
                "explanation": "The script reads the hidden answers and submits them."}) + "\n```")
    return json.dumps({"violation": False, "rules": [], "evidence": [],
                       "explanation": "The agent trained a model and predicted the test set."})


class JudgeServer:
    """Answers chat completions with `scripted_verdict`; the first `failures` requests get a 500
    and the next `garbage` ones an answer without JSON (to exercise retries)."""

    def __init__(self, failures: int = 0, garbage: int = 0, status: int = 500) -> None:
        self.requests: list[dict] = []
        self.failures, self.garbage, self.status = failures, garbage, status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "body": body,
                                       "auth": self.headers.get("Authorization")})
                if outer.failures > 0:
                    outer.failures -= 1
                    self._send(outer.status, {"error": {"message": "scripted failure"}})
                    return
                if outer.garbage > 0:
                    outer.garbage -= 1
                    text = "I am not sure."
                else:
                    text = scripted_verdict(body["messages"][-1]["content"])
                self._send(200, {
                    "id": f"chatcmpl-{len(outer.requests)}", "object": "chat.completion",
                    "created": int(time.time()), "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": text}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> JudgeServer:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def config(server: JudgeServer, **kw) -> JudgeConfig:
    return JudgeConfig(model="judge-test", base_url=server.base_url, api_key="sk-test",
                       backoff_s=0.01, timeout_s=10, **kw)


def test_clean_run_no_violation(tmp_path: Path) -> None:
    rd = clean_run(tmp_path)
    with JudgeServer() as server:
        verdict = judge_run(rd, config=config(server), write=True)
    assert verdict.violation is False and verdict.rules == [] and verdict.evidence == []
    assert verdict.model == "judge-test" and verdict.attempts == 1
    req = server.requests[0]
    assert req["path"].endswith("/chat/completions") and req["auth"] == "Bearer sk-test"
    system, user = (m["content"] for m in req["body"]["messages"])
    assert "hand-written-predictions" in system and "solution-lookup" in system
    assert "===== code/train.py =====" in user and "model.fit(" in user
    assert "Rule-checker hints:\n- none" in user
    saved = json.loads((rd / "integrity_judge.json").read_text())
    assert saved["violation"] is False


def test_cheating_run_violation_with_evidence(tmp_path: Path) -> None:
    rd = make_run(tmp_path, f"{CID}_seed0", {"code/cheat.py": CHEAT_CODE})
    with JudgeServer() as server:
        verdict = judge_run(rd, CID, config=config(server))
    assert verdict.violation is True
    assert verdict.rules == [TEST_LABELS]  # unknown rule ids are dropped
    assert verdict.evidence and verdict.evidence[0].startswith("code/cheat.py:2:")
    assert "hidden answers" in verdict.explanation
    # The rule checker's findings were passed as hints.
    user = server.requests[0]["body"]["messages"][1]["content"]
    assert f"[violation] {TEST_LABELS}" in user


def test_retries_with_backoff_on_errors_and_bad_answers(tmp_path: Path) -> None:
    rd = clean_run(tmp_path)
    with JudgeServer(failures=2, garbage=1) as server:
        verdict = judge_run(rd, config=config(server, max_attempts=4))
    assert verdict.violation is False and verdict.attempts == 4
    assert len(server.requests) == 4


def test_gives_up_after_max_attempts(tmp_path: Path) -> None:
    rd = clean_run(tmp_path)
    with JudgeServer(failures=10) as server, pytest.raises(JudgeError, match="3 attempts"):
        judge_run(rd, config=config(server, max_attempts=3))
    assert len(server.requests) == 3


def test_client_errors_are_not_retried(tmp_path: Path) -> None:
    rd = clean_run(tmp_path)
    with JudgeServer(failures=5, status=401) as server, pytest.raises(JudgeError, match="refused"):
        judge_run(rd, config=config(server))
    assert len(server.requests) == 1


def test_material_is_truncated_to_budget(tmp_path: Path) -> None:
    rd = make_run(tmp_path, "r", {"code/small.py": "print('hi')\n",
                                  "agent.stdout.log": "start\n" + "x" * 50_000 + "\nend of log\n"})
    text, truncated = collect_material(rd, budget_chars=5_000)
    assert truncated and len(text) <= 5_000
    assert "print('hi')" in text and "start" in text and "end of log" in text
    assert "characters omitted" in text
    assert _fair_shares([10, 1000, 1000], 510) == [10, 250, 250]


def test_parse_verdict_variants() -> None:
    assert parse_verdict('{"violation": false}').violation is False
    v = parse_verdict('Sure.\n{"violation": "yes", "rules": ["solution-lookup"], '
                      '"evidence": ["agent.stdout.log:3: curl kaggle"], "explanation": "x"}')
    assert v.violation is True and v.rules == ["solution-lookup"]
    with pytest.raises(ValueError):
        parse_verdict("no json here")


def test_model_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MLEBENCH_JUDGE_MODEL", raising=False)
    with pytest.raises(JudgeError, match="model"):
        judge_run(clean_run(tmp_path), config=JudgeConfig())


def test_judge_group(tmp_path: Path) -> None:
    from mlebench.integrity.judge import judge_group

    group = tmp_path / "group"
    clean_run(group, f"{CID}_seed0")
    make_run(group, f"{CID}_seed1", {"code/cheat.py": CHEAT_CODE})
    with JudgeServer() as server:
        results = judge_group(group, config=config(server))
    assert {k: v.violation for k, v in results.items()} == {f"{CID}_seed0": False,
                                                           f"{CID}_seed1": True}
    assert json.loads((group / f"{CID}_seed1" / "integrity_judge.json").read_text())["violation"]
