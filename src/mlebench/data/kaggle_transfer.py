"""The byte transfer of a Kaggle download (steps 3 and 4 of kaggle.py's docstring): the body into
`<id>.zip.part` with a sidecar recording the object's identity, a resumed download as an HTTP
range request that If-Range guards against a changed object, and what counts as transient."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlebench.data.kaggle_credentials import KaggleError

Progress = Callable[[int, int], None]  # (bytes done, bytes total; 0 when unknown)

CHUNK_SIZE = 1 << 20
MAX_BACKOFF_SECONDS = 60.0


class Transient(Exception):
    """A failure worth retrying (the message says what happened)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None



def retry_delay(attempt: int, backoff: float, retry_after: float | None) -> float:
    if retry_after is not None:
        return min(retry_after, MAX_BACKOFF_SECONDS)
    base = min(backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
    return base * (1 + random.random() / 2)


@dataclass
class _Identity:
    validator: str | None
    size: int | None


def _identity_of(headers: Any) -> _Identity:
    length = headers.get("Content-Length")
    return _Identity(
        validator=headers.get("ETag") or headers.get("Last-Modified"),
        size=int(length) if length and length.isdigit() else None,
    )


def _read_marker(marker: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(marker.read_text())
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _write_marker(marker: Path, ident: _Identity) -> None:
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(json.dumps({"validator": ident.validator, "size": ident.size}))
    os.replace(tmp, marker)


def _resumable_bytes(part: Path, marker: Path, ident: _Identity, rangeable: bool) -> int:
    """How many bytes of `part` provably belong to the object described by `ident` (0: none)."""
    if not part.is_file() or not rangeable or ident.validator is None:
        return 0
    saved = _read_marker(marker)
    if not saved or saved.get("validator") != ident.validator or saved.get("size") != ident.size:
        return 0
    have = part.stat().st_size
    if ident.size is not None and have > ident.size:
        return 0
    return have



def receive(response: Any, part: Path, marker: Path, progress: Progress | None,
            user_agent: str) -> None:
    """Write the body of Kaggle's answer to a download request (a `requests` response, after its
    redirect) into `part`, resuming what `part` already holds of the same object: leaves `part`
    complete, or raises (Transient keeps what was received)."""
    try:
        if response.status_code != 200:
            raise Transient(f"unexpected answer {response.status_code} to the download request")
        ident = _identity_of(response.headers)
        encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
        # Only a redirect gives a URL we can ask for a range. Accept-Ranges is not required: the
        # Range request carries If-Range, and a 200 answer simply restarts from byte 0.
        have = _resumable_bytes(part, marker, ident, bool(response.history))
        if have and ident.size is not None and have == ident.size:
            if progress:
                progress(have, have)
            return  # every byte is already there
        if have or encoded:
            response.close()
            _ranged_get(response.url, have, ident, part, marker, progress, user_agent)
            return
        _write_marker(marker, ident)
        chunks = response.raw.stream(CHUNK_SIZE, decode_content=False)
        _write_stream(chunks, part, "wb", 0, ident.size, progress)
    finally:
        response.close()


def _ranged_get(url: str, have: int, ident: _Identity, part: Path, marker: Path,
                progress: Progress | None, user_agent: str) -> None:
    import httpx  # lazy: only a download needs the Kaggle/HTTP clients

    headers = {"Accept-Encoding": "identity", "User-Agent": user_agent}
    if have:
        headers["Range"] = f"bytes={have}-"
        if ident.validator:
            headers["If-Range"] = ident.validator
    timeout = httpx.Timeout(float(os.environ.get("MLEBENCH_HTTP_TIMEOUT", 60)), connect=30.0)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as http:
            with http.stream("GET", url, headers=headers) as r:
                if r.status_code == 206 and have:
                    start, total = _content_range(r.headers.get("Content-Range", ""))
                    if start != have or (ident.size is not None and total not in (None, ident.size)):
                        part.unlink(missing_ok=True)
                        raise Transient(f"storage server resumed at byte {start}, not {have}")
                    mode, done, size = "ab", have, total if total is not None else ident.size
                elif r.status_code == 200:  # range ignored, or the object changed (If-Range)
                    new = _identity_of(r.headers)
                    _write_marker(marker, new)
                    mode, done, size = "wb", 0, new.size
                elif r.status_code == 416:
                    part.unlink(missing_ok=True)
                    raise Transient("the partial download did not match the file on Kaggle")
                else:
                    raise Transient(
                        f"storage server answered {r.status_code}", retry_after(r.headers)
                    )
                _write_stream(r.iter_raw(CHUNK_SIZE), part, mode, done, size, progress)
    except httpx.TransportError as e:
        raise Transient(f"{type(e).__name__}: {e}") from e


def _content_range(value: str) -> tuple[int | None, int | None]:
    """'bytes 10-99/100' -> (10, 100); unknown parts are None."""
    try:
        unit, _, spec = value.partition(" ")
        span, _, total = spec.partition("/")
        start = int(span.split("-")[0]) if unit == "bytes" else None
        return start, (int(total) if total.isdigit() else None)
    except ValueError:
        return None, None


def _write_stream(
    chunks: Iterable[bytes],
    part: Path,
    mode: str,
    done: int,
    total: int | None,
    progress: Progress | None,
) -> None:
    # lazy: only a download needs the Kaggle/HTTP clients
    import requests
    import urllib3

    if progress:
        progress(done, total or 0)
    try:
        out = open(part, mode)
    except OSError as e:
        raise KaggleError(f"Cannot write the download to {part}: {e}.") from e
    with out:
        iterator = iter(chunks)
        while True:
            try:
                chunk = next(iterator)
            except StopIteration:
                break
            except (urllib3.exceptions.HTTPError, requests.RequestException, ConnectionError,
                    TimeoutError) as e:
                raise Transient(f"connection lost after {done} bytes ({type(e).__name__})") from e
            if not chunk:
                continue
            try:
                out.write(chunk)
            except OSError as e:
                raise KaggleError(f"Cannot write the download to {part}: {e}.") from e
            done += len(chunk)
            if progress:
                progress(done, total or 0)
        out.flush()
        os.fsync(out.fileno())
    if total is not None and done != total:
        if done > total:
            part.unlink(missing_ok=True)
        raise Transient(f"connection closed after {done} of {total} bytes")
