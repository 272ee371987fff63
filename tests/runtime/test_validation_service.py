"""The host validation service over a real Unix socket: valid/invalid only, every call logged."""

import hashlib

import httpx
import pandas as pd
import pytest

from mlebench.runtime.validation import RateLimit, ValidationServer

CID = "spaceship-titanic"


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


def client(sock):
    return httpx.Client(transport=httpx.HTTPTransport(uds=str(sock)), base_url="http://localhost")


def test_validate_valid_and_invalid_and_log(comp, tmp_path):
    sock, log = tmp_path / "s" / "v.sock", tmp_path / "calls.jsonl"
    answers = pd.read_csv(comp.answers)
    good = answers[["PassengerId", "Transported"]].to_csv(index=False).encode()
    bad = b"PassengerId,Transported\n0001_01,True\n"
    with ValidationServer(comp, sock, log), client(sock) as c:
        assert c.get("/health").json() == {"status": "running"}
        r = c.post("/validate", files={"file": ("submission.csv", good)}).json()
        assert r["valid"] is True and r["result"] == "Submission is valid."
        assert "1.0" not in r["result"]  # never a score, not even for a perfect submission
        r = c.post("/validate", files={"file": ("submission.csv", bad)}).json()
        assert r["valid"] is False and "Submission invalid!" in r["result"]
        r = c.post("/validate", data={"nofile": "x"})
        assert r.status_code == 400
    lines = [pd.read_json(log, lines=True)]
    calls = lines[0]
    assert list(calls["valid"][:2]) == [True, False]
    assert calls["sha256"][0] == hashlib.sha256(good).hexdigest()
    assert set(calls.columns) >= {"time", "sha256", "bytes", "valid", "result"}


def test_rate_limit(comp, tmp_path):
    sock, log = tmp_path / "v.sock", tmp_path / "calls.jsonl"
    with ValidationServer(comp, sock, log, RateLimit(calls=2, per_seconds=60)), client(sock) as c:
        codes = [c.post("/validate", files={"file": ("s.csv", b"a\n1\n")}).status_code
                 for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "Rate limit" in log.read_text()


def _raw_post(sock, head: bytes, body: bytes = b"") -> bytes:
    """An HTTP request written by hand on the socket, as a hostile agent would."""
    import socket

    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(str(sock))
    s.sendall(head + body)
    reply = b""
    while b"\r\n\r\n" not in reply or len(reply.split(b"\r\n\r\n", 1)[1]) < int(
            (reply.lower().split(b"content-length: ", 1) + [b"0"])[1].split(b"\r\n")[0] or 0):
        chunk = s.recv(65536)
        if not chunk:
            break
        reply += chunk
    s.close()
    return reply


def test_an_upload_declared_too_large_is_refused_unread(comp, tmp_path):
    """A 1 TB Content-Length is answered at once: nothing is read or spooled onto the host."""
    sock, log = tmp_path / "v.sock", tmp_path / "calls.jsonl"
    with ValidationServer(comp, sock, log):
        head = (b"POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; "
                b"boundary=x\r\nContent-Length: 1000000000000\r\n\r\n")
        reply = _raw_post(sock, head, b"--x\r\n")
        assert b" 200 " in reply.split(b"\r\n")[0] and b"larger than" in reply
        chunked = (b"POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; "
                   b"boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n")
        assert b" 411 " in _raw_post(sock, chunked, b"5\r\n--x\r\n\r\n").split(b"\r\n")[0]
    import json

    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[0]["bytes"] == 10**12 and calls[0]["valid"] is False


def test_concurrent_validations_are_answered_one_at_a_time(comp, tmp_path):
    import threading

    sock, log = tmp_path / "v.sock", tmp_path / "calls.jsonl"
    body = comp.sample_submission.read_bytes()
    answers: list[dict] = []
    with ValidationServer(comp, sock, log):
        def post() -> None:
            with client(sock) as c:
                answers.append(c.post("/validate", files={"file": ("s.csv", body)},
                                      timeout=120).json())

        threads = [threading.Thread(target=post) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
    assert len(answers) == 6 and all(a["valid"] for a in answers)
    from mlebench.grading import isolated

    assert len(isolated._pool.idle) <= isolated.MAX_WORKERS
