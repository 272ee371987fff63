"""A fake Kaggle on loopback, speaking the protocol the official client (kagglesdk) uses.

- `POST /api/v1/<service>/<method>` with a JSON body (the API, as served when
  KAGGLE_API_ENVIRONMENT=LOCALHOST): DownloadDataFiles answers 302 to a signed storage URL (or the
  JSON errors Kaggle sends: 401, 403 rules, 404), ListDataFiles lists files, IntrospectToken
  validates access tokens.
- `GET /storage/<id>.zip?X-Goog-Signature=...` (the storage server): ETag, Last-Modified,
  Accept-Ranges, `Range`/`If-Range` -> 206, plus fault injection (5xx answers, a connection dropped
  after N body bytes).

It is also an HTTP proxy: requests in absolute form (`POST http://localhost/api/...`) are served
the same way, so the client can keep its own `http://localhost` endpoint while the tests point
HTTP(S)_PROXY here. `CONNECT` (https) and any host other than loopback are refused and recorded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

LOOPBACK = {"localhost", "127.0.0.1"}
RULES_MESSAGE = "You must accept this competition's rules before you'll be able to download files."


class FakeKaggle:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}  # competition id -> zip bytes
        self.accepted: set[str] = set()
        self.users = {"alice": "secret-key"}
        self.tokens = {"KGAT_test_token": "alice"}
        self.api_failures = 0  # the next N API calls answer 503
        self.storage_failures = 0  # the next N storage GETs answer 503
        self.drop_after: list[int] = []  # next storage bodies: close after this many bytes
        self.honor_range = True  # False: answer 200 with the whole object to a Range request
        self.accept_ranges = True  # send `Accept-Ranges: bytes`
        self.requests: list[dict] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> Self:
        fake = self

        class Handler(self._handler_class()):
            server_state = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def _handler_class(self) -> type:
        return _Handler

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, competition_id: str, data: bytes, accepted: bool = True) -> None:
        self.files[competition_id] = data
        if accepted:
            self.accepted.add(competition_id)

    def etag(self, competition_id: str) -> str:
        return '"' + hashlib.md5(self.files[competition_id]).hexdigest() + '"'

    def storage_gets(self) -> list[dict]:
        return [r for r in self.requests if r["path"].startswith("/storage/")]


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeKaggle
    protocol_version = "HTTP/1.0"

    def log_message(self, *args) -> None:  # quiet
        pass

    # --- plumbing ----------------------------------------------------------------------------------
    def _target(self) -> tuple[str, str, dict]:
        parts = urlsplit(self.path)
        host = parts.hostname or "127.0.0.1"
        return host, parts.path, parse_qs(parts.query)

    def _record(self, method: str) -> tuple[str, dict] | None:
        host, path, query = self._target()
        fake = self.server_state
        with fake.lock:
            fake.requests.append(
                {"method": method, "host": host, "path": path, "headers": dict(self.headers)}
            )
        if host not in LOOPBACK:
            with fake.lock:
                fake.refused.append(f"{method} {self.path}")
            self._json(502, {"code": 502, "message": f"fake kaggle refuses non-loopback {host}"})
            return None
        return path, query

    def _json(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_CONNECT(self) -> None:  # https through the proxy: never
        with self.server_state.lock:
            self.server_state.refused.append(f"CONNECT {self.path}")
        self.send_error(405, "fake kaggle does not tunnel")

    # --- API ---------------------------------------------------------------------------------------
    def _user(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        fake = self.server_state
        if auth.startswith("Basic "):
            user, _, key = base64.b64decode(auth[6:]).decode().partition(":")
            return user if fake.users.get(user) == key else None
        if auth.startswith("Bearer "):
            return fake.tokens.get(auth[7:])
        return None

    def do_POST(self) -> None:
        target = self._record("POST")
        if target is None:
            return
        path, _ = target
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        fake = self.server_state
        if not path.startswith("/api/v1/"):
            return self._json(404, {"code": 404, "message": "Not found"})
        method = path.rsplit("/", 1)[-1]
        with fake.lock:
            failing = fake.api_failures > 0
            fake.api_failures -= 1 if failing else 0
        if failing:
            return self._json(503, {"code": 503, "message": "Service Unavailable"}, {"Retry-After": "0"})
        if method == "IntrospectToken":
            user = fake.tokens.get(body.get("token", ""))
            return self._json(200, {"active": bool(user), "username": user or ""})
        user = self._user()
        if user is None:
            return self._json(401, {"code": 401, "message": "Unauthenticated"})
        name = body.get("competitionName", "")
        if name not in fake.files:
            return self._json(404, {"code": 404, "message": f"Competition {name} not found"})
        if method == "ListDataFiles":
            return self._json(
                200,
                {"files": [{"name": "train.csv", "totalBytes": 3 * len(fake.files[name])},
                           {"name": "test.csv", "totalBytes": len(fake.files[name])}],
                 "nextPageToken": ""},
            )
        if method == "DownloadDataFiles":
            if name not in fake.accepted:
                return self._json(403, {"code": 403, "message": RULES_MESSAGE})
            # The signed URL lives on another host than the API (as storage.googleapis.com does),
            # so the client must not forward its Authorization header there.
            location = f"{fake.url}/storage/{name}.zip?X-Goog-Signature=abc123"
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        return self._json(404, {"code": 404, "message": f"Unknown method {method}"})

    # --- storage -----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        target = self._record("GET")
        if target is None:
            return
        path, query = target
        fake = self.server_state
        name = path.removeprefix("/storage/").removesuffix(".zip")
        if not path.startswith("/storage/") or name not in fake.files:
            return self._json(404, {"code": 404, "message": "No such object"})
        if "X-Goog-Signature" not in query or "Authorization" in self.headers:
            return self._json(403, {"code": 403, "message": "bad signed request"})
        with fake.lock:
            failing = fake.storage_failures > 0
            fake.storage_failures -= 1 if failing else 0
        if failing:
            return self._json(503, {"code": 503, "message": "Backend Error"})
        data = fake.files[name]
        etag = fake.etag(name)
        start = 0
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if rng and fake.honor_range and (if_range is None or if_range == etag):
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
        if fake.accept_ranges:
            self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        with fake.lock:
            limit = fake.drop_after.pop(0) if fake.drop_after else None
        if limit is not None:
            body = body[:limit]
        try:
            for i in range(0, len(body), 64 * 1024):
                self.wfile.write(body[i : i + 64 * 1024])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if limit is not None:
            self.close_connection = True
