"""The validation service: answers "valid" / "invalid + reason" for a submission, never a score.

It runs on the host, next to the answers, and is reached from inside the sandbox through a Unix
socket bound into it (a forwarder inside exposes it at the reference's address,
`http://localhost:5000/validate`, form field `file`). Every call is logged with its time, the
submitted file's sha256 and the answer. Validation uses the grading code path itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, UploadFile
from fastapi.responses import JSONResponse

from mlebench.intake import json_records

if TYPE_CHECKING:
    from mlebench.registry import Competition

MAX_UPLOAD_BYTES = 2 * 1024**3  # never more, whatever the competition's answers weigh
FORM_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and headers around the file


@dataclass(frozen=True)
class RateLimit:
    """At most `calls` validations per `per_seconds` (sliding window); None = unlimited."""

    calls: int | None = None
    per_seconds: float = 3600.0


class CallLog:
    """Append-only JSONL log of validation calls (one line each, flushed at once)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def append(self, record: dict) -> None:
        with self._lock, open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()

    def read(self) -> list[dict]:
        return json_records(self.path.parent, self.path.name) or []


def create_app(competition: Competition, log: CallLog, rate_limit: RateLimit = RateLimit()) -> FastAPI:
    # Deferred: grading loads pandas, which readers of run folders (reports, bundles) never need.
    from mlebench.grade import validate_submission
    from mlebench.grading.io import max_submission_bytes

    app = FastAPI(title="mlebench validation", docs_url=None, redoc_url=None, openapi_url=None)
    recent: deque[float] = deque()
    lock = threading.Lock()
    # One validation at a time per run (see `validate`); uploads capped by what a submission of
    # this competition may weigh.
    one_at_a_time = threading.Lock()
    max_upload = min(MAX_UPLOAD_BYTES, max_submission_bytes(competition.answers))

    def record(sha256: str | None, size: int, valid: bool | None, message: str) -> None:
        log.append({
            "time": datetime.now(UTC).isoformat(),
            "sha256": sha256, "bytes": size, "valid": valid, "result": message,
        })

    @app.get("/health")
    def health() -> dict:
        return {"status": "running"}

    @app.post("/validate")
    async def validate(request: Request) -> JSONResponse:
        # One call at a time per run, from before its body is read: a flood of concurrent
        # uploads must neither queue graders nor spool gigabytes onto the host.
        held = await _acquire(one_at_a_time)
        try:
            return await _validate(request)
        finally:
            held.release()

    async def _validate(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared is None or not declared.isdigit():
            message = "Send the submission with a Content-Length (curl -F file=@submission.csv)."
            record(None, 0, None, message)
            return JSONResponse({"result": message, "valid": False}, status_code=411)
        if int(declared) > max_upload + FORM_OVERHEAD_BYTES:
            message = (f"Submission invalid! The file is larger than {max_upload:,} bytes, "
                       "far larger than this competition's answers.")
            record(None, int(declared), False, message)
            return JSONResponse({"result": message, "valid": False})
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) and not hasattr(upload, "read"):
            message = "Send the submission as multipart form field 'file' (curl -F file=@submission.csv)."
            record(None, 0, None, message)
            return JSONResponse({"result": message, "valid": False}, status_code=400)
        with lock:
            now = time.monotonic()
            while recent and now - recent[0] > rate_limit.per_seconds:
                recent.popleft()
            limited = rate_limit.calls is not None and len(recent) >= rate_limit.calls
            if not limited:
                recent.append(now)
        with tempfile.TemporaryDirectory(prefix="mlebench-validate-") as tmp:
            path = Path(tmp) / "submission.csv"
            digest, size = hashlib.sha256(), 0
            with open(path, "wb") as f:
                while chunk := await upload.read(1 << 20):
                    size += len(chunk)
                    if size > max_upload:
                        break
                    digest.update(chunk)
                    f.write(chunk)
            sha = digest.hexdigest()
            if limited:
                message = (f"Rate limit: at most {rate_limit.calls} validations per "
                           f"{rate_limit.per_seconds:g} s; try again later.")
                record(sha, size, None, message)
                return JSONResponse({"result": message, "valid": False}, status_code=429)
            if size > max_upload:
                message = (f"Submission invalid! The file is larger than {max_upload:,} bytes, "
                           "far larger than this competition's answers.")
                record(sha, size, False, message)
                return JSONResponse({"result": message, "valid": False})
            try:
                # Graded in a worker process (grading.isolated): this thread only waits, so
                # no upload can stall the harness or its time limit.
                valid, message = await _in_thread(validate_submission, path, competition)
            except Exception as e:  # never leak a traceback or any data to the agent
                message = f"Validation failed on the server ({type(e).__name__})."
                record(sha, size, None, message)
                return JSONResponse({"result": message, "valid": False}, status_code=500)
        record(sha, size, valid, message)
        return JSONResponse({"result": message, "valid": valid})

    return app


async def _acquire(lock: threading.Lock) -> threading.Lock:
    while not lock.acquire(blocking=False):
        await asyncio.sleep(0.05)
    return lock


async def _in_thread(fn, *args):  # type: ignore[no-untyped-def]
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


class SocketServer:
    """Serve an ASGI app on a Unix socket in a background thread (a context manager); the
    sandbox's unprivileged user may connect."""

    def __init__(self, app: Any, socket_path: Path, name: str):
        # Deferred: only a run serves; readers of run folders import this module too.
        import uvicorn

        self.socket_path = socket_path
        socket_path.parent.mkdir(parents=True, exist_ok=True)
        socket_path.unlink(missing_ok=True)
        config = uvicorn.Config(app, uds=str(socket_path), log_level="warning",
                                interface="asgi3", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name=name)

    def __enter__(self) -> SocketServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"{self._thread.name} server did not start")
            time.sleep(0.01)
        self.socket_path.chmod(0o666)  # the sandbox's unprivileged user must connect
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.socket_path.unlink(missing_ok=True)


class ValidationServer(SocketServer):
    """Serve the validation app on a Unix socket in a background thread."""

    def __init__(self, competition: Competition, socket_path: Path, log_path: Path,
                 rate_limit: RateLimit = RateLimit()):
        self.log = CallLog(log_path)
        super().__init__(create_app(competition, self.log, rate_limit), socket_path, "validation")


def summarize_calls(log_path: Path) -> dict:
    records = json_records(log_path.parent, log_path.name) or []
    return {
        "calls": len(records),
        "valid": sum(1 for r in records if r.get("valid") is True),
        "invalid": sum(1 for r in records if r.get("valid") is False),
    }

