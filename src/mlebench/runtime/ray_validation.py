"""Validation for runs on Ray workers, answered on the head (the only node with answers).

The head runs one `ValidationGateway` actor per `mlebench run` (pinned to the driver's node, no
CPU). For each run attempt it holds the same validation app a local run serves
(`validation.create_app`: one call at a time, the upload cap, rate limit, every call logged), with
the call log written on the head (`<group>/.validation/<run>.jsonl`; the driver moves it into the
run folder when the run comes back, so the worker's own copy is never the record).

On the worker, `ValidationRelay` stands where the local `ValidationServer` stands: it listens on
the run's Unix socket (bound into the sandbox, where the in-sandbox forwarder exposes it as
`http://localhost:5000/validate`), takes one request at a time from before its body is read, reads
at most the cap the head gave for this competition (a request declaring more, or declaring
nothing, is passed on without its body and refused by the head as a local run refuses it), and
forwards method, path, content type, declared length and body to the gateway through Ray. A retried
attempt opens the run again with a new token: the gateway starts its log over and refuses calls
from the superseded attempt.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from mlebench.grading.io import max_submission_bytes
from mlebench.registry import Registry
from mlebench.runtime.validation import (
    FORM_OVERHEAD_BYTES,
    MAX_UPLOAD_BYTES,
    CallLog,
    RateLimit,
    SocketServer,
    create_app,
)

FORWARD_TIMEOUT_S = 600.0  # the head's grading worker gives up at 300 s
MAX_HEADER_CHARS = 1024
Response = tuple[int, str, bytes]


async def call_asgi(app: Any, method: str, path: str, headers: list[tuple[str, str]],
                    body: bytes) -> Response:
    """One HTTP request through an ASGI app in this process: (status, content type, body)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("ray-worker", 0),
             "server": ("validation", 80),
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]}
    delivered = False

    async def receive() -> dict:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    status, content_type, chunks = 500, "application/json", []

    async def send(message: dict) -> None:
        nonlocal status, content_type
        if message["type"] == "http.response.start":
            status = message["status"]
            for k, v in message.get("headers", []):
                if k.lower() == b"content-type":
                    content_type = v.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, content_type, b"".join(chunks)


class ValidationGateway:
    """The head's side (a Ray actor): one validation app per run attempt, logs on the head."""

    def __init__(self, data_dir: str, log_dir: str, rate_calls: int | None,
                 rate_per_s: float) -> None:
        self.registry = Registry(data_dir)
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.rate = (rate_calls, rate_per_s)
        self.apps: dict[str, tuple[str, Any]] = {}  # run name -> (attempt token, app)

    def open(self, run_name: str, competition_id: str, token: str) -> int:
        """Start (or restart, for a retried attempt) a run's validation; return the upload cap."""

        competition = self.registry.get_competition(competition_id)
        log_path = self.log_dir / f"{run_name}.jsonl"
        log_path.unlink(missing_ok=True)  # a retried attempt starts over, as its run folder does
        app = create_app(competition, CallLog(log_path), RateLimit(*self.rate))
        self.apps[run_name] = (token, app)
        return min(MAX_UPLOAD_BYTES, max_submission_bytes(competition.answers)) \
            + FORM_OVERHEAD_BYTES

    async def forward(self, run_name: str, token: str, method: str, path: str,
                      headers: list[tuple[str, str]], body: bytes) -> Response:
        current = self.apps.get(run_name)
        if current is None or current[0] != token:
            return (409, "application/json",
                    b'{"result": "This run attempt was superseded.", "valid": false}')
        return await call_asgi(current[1], method, path, headers, body)

    def ping(self) -> str:
        return "ok"


class ValidationRelay(SocketServer):
    """The worker's side: serves the run's validation socket, forwards each call to the head.
    Used like `validation.ValidationServer` (a context manager)."""

    def __init__(self, gateway: Any, run_name: str, token: str, cap: int, socket_path: Path):
        self.gateway, self.run_name, self.token, self.cap = gateway, run_name, token, cap
        self._one_at_a_time = asyncio.Lock()  # created here, used only on the server's loop
        super().__init__(self._app, socket_path, "validation-relay")

    async def _app(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        async with self._one_at_a_time:  # before the body is read, as on the head
            status, content_type, body = await self._relay(scope, receive)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type.encode("latin-1")),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _relay(self, scope: dict, receive: Any) -> Response:
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
                   if k.lower() in (b"content-type", b"content-length")
                   and len(v) <= MAX_HEADER_CHARS]
        declared = next((v for k, v in headers if k.lower() == "content-length"), None)
        body = b""
        if declared is not None and declared.isdigit() and int(declared) <= self.cap:
            parts, size = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":  # the caller left mid-upload
                    return 400, "application/json", (b'{"result": "The upload was cut short.", '
                                                     b'"valid": false}')
                chunk = message.get("body", b"")[: int(declared) - size]
                parts.append(chunk)
                size += len(chunk)
                if not message.get("more_body") or size >= int(declared):
                    break
            body = b"".join(parts)
        ref = self.gateway.forward.remote(self.run_name, self.token, scope["method"],
                                          scope["path"][:MAX_HEADER_CHARS], headers, body)
        try:  # not ray.get: that would give the task's CPUs back to Ray while it waits
            return await asyncio.wait_for(asyncio.wrap_future(ref.future()), FORWARD_TIMEOUT_S)
        except Exception as e:  # the head is unreachable: say so, leak nothing else
            return (503, "application/json", b'{"result": "Validation is unavailable ('
                    + type(e).__name__.encode() + b').", "valid": false}')
