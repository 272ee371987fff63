"""A scripted OpenAI-compatible chat-completions server on loopback (real HTTP) for testing the
aide agent, which runs WecoAI's aideml: its coding prompts get a plan and a script, its reviews
(requests with a `submit_review` tool) get a tool call computed from the execution output shown.

The scripts walk AIDE through a practice tabular-classification competition (train.csv with an
`id` and a label column that test.csv lacks): a first draft with a bug (a wrong column name), a
debug step that fits a logistic regression on two features, an improvement that uses them all.
Each script prints its hold-out AUC, which the review reports as the metric.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUGGY_DRAFT = '''A logistic regression on the tabular features, scored by hold-out AUC.

```python
import os

import pandas as pd

print("OPENAI_API_KEY", os.environ.get("OPENAI_API_KEY", "is not set"))  # never inherited
train = pd.read_csv("./input/train.csv")
print(train["diagnosis"].mean())  # no such column
```'''

MODEL_SCRIPT = '''{plan}

```python
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

train = pd.read_csv("./input/train.csv")
test = pd.read_csv("./input/test.csv")
label = [c for c in train.columns if c not in test.columns][0]
features = [c for c in test.columns if c != "id"]{feature_slice}
x_tr, x_va, y_tr, y_va = train_test_split(train[features], train[label], test_size=0.25,
                                          random_state=0, stratify=train[label])
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(x_tr, y_tr)
print(f"Validation AUC: {{roc_auc_score(y_va, model.predict_proba(x_va)[:, 1]):.4f}}")
model.fit(train[features], train[label])
pd.DataFrame({{"id": test["id"], label: model.predict_proba(test[features])[:, 1]}}).to_csv(
    "./working/submission.csv", index=False)
```'''

DEBUG_FIX = MODEL_SCRIPT.format(
    plan="The label column is not `diagnosis`: take it as the train column that test lacks. "
         "Start from two features.", feature_slice="[:2]")
IMPROVEMENT = MODEL_SCRIPT.format(
    plan="Use all the features, standardised, instead of two.", feature_slice="")


def code_answer(prompt: str) -> str:
    if "# Previous (buggy) implementation" in prompt:
        return DEBUG_FIX
    if "# Previous solution" in prompt:
        return IMPROVEMENT
    return BUGGY_DRAFT


def review(prompt: str) -> dict:
    output = prompt.split("# Execution output", 1)[-1]
    metric = re.findall(r"Validation AUC: ([0-9.]+)", output)
    if "Traceback" in output or not metric:
        return {"is_bug": True, "summary": "The script failed; see the traceback.",
                "metric": None, "lower_is_better": False}
    return {"is_bug": False, "summary": f"Hold-out AUC {metric[-1]}.",
            "metric": float(metric[-1]), "lower_is_better": False}


class ScriptedLLM:
    """`with ScriptedLLM() as llm:` serves on `llm.base_url`; `llm.requests` records each request
    (path, Authorization header, JSON body)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                       "body": body})
                if not self.path.endswith("/chat/completions"):
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(outer.completion(body, len(outer.requests))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    @staticmethod
    def completion(body: dict, n: int) -> dict:
        prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
        tools = body.get("tools") or []
        if tools:  # the review: answer with a call of the (forced) tool
            name = tools[0]["function"]["name"]
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{n}", "type": "function",
                "function": {"name": name, "arguments": json.dumps(review(prompt))}}]}
            finish = "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": code_answer(prompt)}, "stop"
        return {"id": f"chatcmpl-{n}", "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model", "scripted"),
                "choices": [{"index": 0, "finish_reason": finish, "message": message}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}}

    def __enter__(self) -> ScriptedLLM:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
