"""Downloading competition data from Kaggle, resumably, with the official `kaggle` client.

How a download works (the protocol of kaggle >= 1.7 / kagglesdk):

1. `POST {endpoint}/v1/competitions.CompetitionApiService/DownloadDataFiles` with
   `{"competitionName": id}` and the user's credentials (HTTP Basic `username:key`, or a Bearer
   access token). Kaggle answers `302` to a short-lived signed storage URL (or `403` when the
   user has not accepted the competition's rules, `401` for bad credentials, `404` for an unknown
   competition). The official client follows the redirect and streams the body.
2. We use the official client (`kagglesdk.KaggleClient`, credentials resolved by
   `kaggle.api.kaggle_api_extended.KaggleApi.authenticate`) for step 1, so authentication, the
   endpoint and proxies behave exactly as with the `kaggle` CLI. The endpoint is chosen by the
   client's own `KAGGLE_API_ENVIRONMENT` variable (unset/PROD: https://api.kaggle.com; LOCALHOST:
   http://localhost; TEST: http://localhost:7777); proxies by the usual HTTP(S)_PROXY variables.
3. The official client writes straight to the final file name and reports progress only through
   tqdm, so the bytes are written by us: into `<id>.zip.part`, with a sidecar `<id>.zip.part.json`
   recording the object's identity (ETag, else Last-Modified) and size. A fresh download reads the
   body the client already opened; a resumed one re-resolves the signed URL (they expire) and asks
   the storage server for `Range: bytes=<have>-` with `If-Range: <validator>` (httpx), so the
   server sends the whole object again if it changed. The `.part` file is renamed to `<id>.zip`
   only once it has exactly the announced number of bytes and reads as a zip archive: a partial
   file is never mistaken for a complete one.
4. Transient failures (connection errors, truncated bodies, 429 and 5xx answers, expired signed
   URLs) are retried with exponential backoff; what was received so far is kept.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mlebench
from mlebench.errors import MLEBenchError

if TYPE_CHECKING:
    import requests

Progress = Callable[[int, int], None]  # (bytes done, bytes total; 0 when unknown)

CHUNK_SIZE = 1 << 20
TOKEN_PAGE = "https://www.kaggle.com/settings"
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 60.0


class KaggleError(MLEBenchError):
    """Kaggle could not be used: missing/invalid credentials, rules not accepted, network failure."""


class _Transient(Exception):
    """A failure worth retrying (the message says what happened)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class _RulesNotAccepted(Exception):
    pass


def rules_url(competition_id: str) -> str:
    return f"https://www.kaggle.com/c/{competition_id}/rules"


# --- credentials -----------------------------------------------------------------------------------
def kaggle_config_dir() -> Path:
    """Where the `kaggle` client looks for kaggle.json (same rules as kaggle 2.x)."""
    env = os.environ.get("KAGGLE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    legacy = Path(os.path.expanduser("~")) / ".kaggle"
    if sys.platform.startswith("linux") and not legacy.exists():
        xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        return Path(xdg) / "kaggle"
    return legacy


def _nonempty_file(path: str | Path) -> bool:
    try:
        return Path(path).is_file() and bool(Path(path).read_text().strip())
    except OSError:
        return False


def credentials_source() -> str | None:
    """Which credentials the official client would use, or None when it has none."""
    home_kaggle = Path(os.path.expanduser("~")) / ".kaggle"
    # Inside a Kaggle notebook: a token file named by KAGGLE_API_V1_TOKEN.
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE") and os.environ.get("KAGGLE_DATA_PROXY_URL"):
        path = os.environ.get("KAGGLE_API_V1_TOKEN")
        if path and _nonempty_file(path):
            return "KAGGLE_API_V1_TOKEN"
    token = os.environ.get("KAGGLE_API_TOKEN")
    if token:  # the token itself, or the path of a file holding it
        try:
            is_path = Path(token).exists()
        except OSError:
            is_path = False
        if not is_path or _nonempty_file(token):
            return "KAGGLE_API_TOKEN"
    for name in ("access_token", "access_token.txt"):
        if _nonempty_file(home_kaggle / name):
            return str(home_kaggle / name)
    values: dict[str, Any] = {}
    config = kaggle_config_dir() / "kaggle.json"
    if config.is_file():
        try:
            loaded = json.loads(config.read_text() or "{}")
            values = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            values = {}
    for key, value in os.environ.items():  # KAGGLE_USERNAME, KAGGLE_KEY override the file
        if key.startswith("KAGGLE_"):
            values[key[len("KAGGLE_") :].lower()] = value
    if values.get("username") and values.get("key"):
        return str(config) if config.is_file() else "KAGGLE_USERNAME/KAGGLE_KEY"
    oauth = home_kaggle / "credentials.json"  # written by `kaggle auth login`
    try:
        if oauth.is_file() and json.loads(oauth.read_text()).get("refresh_token"):
            return str(oauth)
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _missing_credentials_message() -> str:
    config = kaggle_config_dir() / "kaggle.json"
    return (
        f"No Kaggle credentials found: create an API token at {TOKEN_PAGE} (API > Create New "
        f"Token) and save the downloaded kaggle.json as {config} (chmod 600; the kaggle client "
        "reads $KAGGLE_CONFIG_DIR, else ~/.kaggle/ if that folder exists, else "
        "~/.config/kaggle/), or export KAGGLE_USERNAME and KAGGLE_KEY (or KAGGLE_API_TOKEN for "
        "a new-style token)."
    )


def check_credentials() -> None:
    """Raise KaggleError, saying how to set them up, when no Kaggle credentials are configured."""
    if credentials_source() is None:
        raise KaggleError(_missing_credentials_message())


# --- the official client ---------------------------------------------------------------------------
@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The kaggle package prints (and may exit) while importing and authenticating."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def _user_agent() -> str:
    return f"mlebench/{mlebench.__version__}"


def official_api() -> Any:
    """The official client's `KaggleApi`, credentials checked and authenticated the way the
    `kaggle` CLI does (its methods, e.g. `kernels_pull`, then talk to Kaggle as the CLI would)."""
    return _authenticated()[0]


def _client_factory() -> Callable[[], Any]:
    """Check credentials, authenticate the official way and return a KaggleClient factory."""
    api, env = _authenticated()
    from kagglesdk import KaggleClient  # lazy: only a download needs the Kaggle/HTTP clients

    values = dict(api.config_values)
    agent = _user_agent()

    def make() -> Any:
        return KaggleClient(
            env=env,
            username=values.get("username"),
            password=values.get("key"),
            api_token=values.get("token"),
            user_agent=agent,
        )

    return make


def _authenticated() -> tuple[Any, Any]:
    """(authenticated KaggleApi, kagglesdk environment)."""
    check_credentials()
    try:
        with _quiet():
            # lazy: only a download needs the client (and importing it prints)
            from kaggle.api.kaggle_api_extended import KaggleApi
            from kagglesdk import KaggleClient  # noqa: F401 (the client must be importable)
            from kagglesdk.kaggle_env import get_env
    except (ImportError, SystemExit) as e:
        raise KaggleError(
            f"The official Kaggle client is not usable ({e}); install it with "
            "`pip install 'kaggle>=1.7' six`."
        ) from e
    except Exception as e:  # e.g. a bad KAGGLE_API_ENVIRONMENT
        raise KaggleError(f"The Kaggle client failed to load ({type(e).__name__}: {e}).") from e

    api = KaggleApi()
    # KaggleApi computes these at import time; recompute them now, the same way.
    config_dir = kaggle_config_dir()
    api.config_dir = str(config_dir)
    api.config = str(config_dir / "kaggle.json")
    local = os.environ.get("KAGGLE_API_ENVIRONMENT") == "LOCALHOST"
    api.args = [a for a in KaggleApi.args if a != "--local"] + (["--local"] if local else [])
    try:
        with _quiet():
            api.authenticate()
            env = get_env()
    except SystemExit:
        raise KaggleError(_missing_credentials_message()) from None
    except Exception as e:
        error = _api_error(e, None)
        if isinstance(error, KaggleError):
            raise error from e
        raise KaggleError(
            f"Could not reach Kaggle to check your credentials ({error}); check your connection."
        ) from e
    return api, env


def _server_message(response: Any) -> str:
    try:
        body = response.json()
        if isinstance(body, dict) and body.get("message"):
            return str(body["message"])
    except Exception:
        pass
    return getattr(response, "reason", "") or ""


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _api_error(e: Exception, competition_id: str | None) -> Exception:
    """Translate an exception from the official client into KaggleError / _Transient / rules."""
    import requests  # lazy: only a download needs the Kaggle/HTTP clients

    what = f" for '{competition_id}'" if competition_id else ""
    if isinstance(e, requests.HTTPError) and e.response is not None:
        resp = e.response
        code = resp.status_code
        msg = _server_message(resp)
        if resp.history:  # the API redirected us; the storage server failed (e.g. expired URL)
            return _Transient(f"storage server answered {code} {msg}".strip(), _retry_after(resp.headers))
        if code == 401:
            return KaggleError(
                f"Kaggle rejected your credentials (401 {msg}){what}: create a new API token at "
                f"{TOKEN_PAGE} and update {kaggle_config_dir() / 'kaggle.json'} or KAGGLE_KEY."
            )
        if code == 403 and competition_id:
            return _RulesNotAccepted(msg)
        if code == 404 and competition_id:
            return KaggleError(
                f"Kaggle has no competition '{competition_id}' (404 {msg}); check the id at "
                f"https://www.kaggle.com/c/{competition_id}."
            )
        if code == 429 or code >= 500:
            return _Transient(f"Kaggle answered {code} {msg}".strip(), _retry_after(resp.headers))
        return KaggleError(f"Kaggle answered {code} {msg}{what}.")
    if isinstance(e, requests.RequestException):
        return _Transient(f"{type(e).__name__}: {e}")
    return KaggleError(f"The Kaggle client failed{what} ({type(e).__name__}: {e}).")


def _rules_error(competition_id: str, server_message: str = "") -> KaggleError:
    said = f" (Kaggle: {server_message.rstrip('.')})" if server_message else ""
    return KaggleError(
        f"You have not accepted the rules of '{competition_id}'{said}: accept them at "
        f"{rules_url(competition_id)} (signed in as the account of your Kaggle token), then rerun."
    )


def _resolve(client: Any, competition_id: str) -> requests.Response:
    """Ask Kaggle for the competition's zip: the streaming response after the redirect."""
    # lazy: only a download needs the Kaggle client
    from kagglesdk.competitions.types.competition_api_service import ApiDownloadDataFilesRequest

    request = ApiDownloadDataFilesRequest()
    request.competition_name = competition_id
    try:
        return client.competitions.competition_api_client.download_data_files(request)
    except Exception as e:
        raise _api_error(e, competition_id) from e


def _listed_bytes(client: Any, competition_id: str) -> int | None:
    """Sum of the sizes Kaggle lists for the competition's files (uncompressed)."""
    # lazy: only a download needs the Kaggle client
    from kagglesdk.competitions.types.competition_api_service import ApiListDataFilesRequest

    total, token, seen = 0, "", 0
    for _ in range(1000):
        request = ApiListDataFilesRequest()
        request.competition_name = competition_id
        request.page_size = 200
        request.page_token = token
        try:
            response = client.competitions.competition_api_client.list_data_files(request)
        except Exception as e:
            raise _api_error(e, competition_id) from e
        for f in response.files or []:
            total += int(f.total_bytes or 0)
            seen += 1
        token = response.next_page_token
        if not token:
            break
    return total if seen else None


# --- public API ------------------------------------------------------------------------------------
def rules_not_accepted(competition_ids: Iterable[str]) -> list[str]:
    """The ids whose rules the signed-in user has not accepted yet (Kaggle answers 403 to their
    download request). Order follows the input. Each check opens the download and closes it
    after the headers: nothing is saved. Raises KaggleError for bad credentials or unknown ids."""
    ids = list(dict.fromkeys(competition_ids))
    if not ids:
        return []
    make = _client_factory()

    def pending(competition_id: str) -> bool:
        with make() as client:
            for attempt in range(1, 4):
                try:
                    _resolve(client, competition_id).close()
                    return False
                except _RulesNotAccepted:
                    return True
                except _Transient as e:
                    if attempt == 3:
                        raise KaggleError(
                            f"Could not reach Kaggle to check the rules of '{competition_id}' "
                            f"({e}); check your connection and retry."
                        ) from e
                    time.sleep(_delay(attempt, BACKOFF_SECONDS / 4, e.retry_after))
        return False

    with ThreadPoolExecutor(max_workers=min(8, len(ids))) as pool:
        flags = list(pool.map(pending, ids))
    return [cid for cid, flag in zip(ids, flags, strict=True) if flag]


def download_size(competition_id: str) -> int | None:
    """Bytes of the competition's zip (as announced by the storage server); failing that, the sum
    of its listed file sizes; None when Kaggle tells neither."""
    make = _client_factory()
    with make() as client:
        try:
            response = _resolve(client, competition_id)
        except (_Transient, _RulesNotAccepted):
            response = None
        if response is not None:
            try:
                length = response.headers.get("Content-Length")
                if response.status_code == 200 and length and length.isdigit():
                    return int(length)
            finally:
                response.close()
        try:
            return _listed_bytes(client, competition_id)
        except (_Transient, _RulesNotAccepted):
            return None


def download_competition_zip(
    competition_id: str,
    dest_dir: Path,
    progress: Progress | None = None,
    *,
    force: bool = False,
    max_attempts: int = MAX_ATTEMPTS,
    backoff: float = BACKOFF_SECONDS,
) -> Path:
    """Download the competition's full zip to `dest_dir/<id>.zip` and return its path.

    Resumes an interrupted earlier download from `<id>.zip.part`; retries transient failures
    `max_attempts` times with exponential backoff starting at `backoff` seconds. An existing
    complete `<id>.zip` is reused unless `force`.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / f"{competition_id}.zip"
    part = dest_dir / f"{competition_id}.zip.part"
    marker = dest_dir / f"{competition_id}.zip.part.json"
    if final.is_file() and not force:
        if zipfile.is_zipfile(final):
            size = final.stat().st_size
            if progress:
                progress(size, size)
            return final
        final.unlink()  # not a zip (cannot come from us): fetch it again
    if force:
        final.unlink(missing_ok=True)

    make = _client_factory()
    with make() as client:
        for attempt in range(1, max_attempts + 1):
            try:
                _attempt(client, competition_id, part, marker, progress)
                break
            except _RulesNotAccepted as e:
                raise _rules_error(competition_id, str(e)) from None
            except _Transient as e:
                if attempt == max_attempts:
                    kept = part.stat().st_size if part.is_file() else 0
                    raise KaggleError(
                        f"Downloading '{competition_id}' failed after {max_attempts} attempts "
                        f"({e}); rerun the same command to resume ({kept} bytes kept in {part})."
                    ) from e
                time.sleep(_delay(attempt, backoff, e.retry_after))

    if not zipfile.is_zipfile(part):
        part.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
        raise KaggleError(
            f"Kaggle sent something that is not a zip archive for '{competition_id}'; "
            "it was discarded, rerun to download it again."
        )
    os.replace(part, final)
    marker.unlink(missing_ok=True)
    return final


# --- the byte transfer -----------------------------------------------------------------------------
def _delay(attempt: int, backoff: float, retry_after: float | None) -> float:
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


def _attempt(
    client: Any, competition_id: str, part: Path, marker: Path, progress: Progress | None
) -> None:
    """One try: leaves `part` complete, or raises (_Transient keeps what was received)."""
    response = _resolve(client, competition_id)
    try:
        if response.status_code != 200:
            raise _Transient(f"unexpected answer {response.status_code} to the download request")
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
            _ranged_get(response.url, have, ident, part, marker, progress)
            return
        _write_marker(marker, ident)
        chunks = response.raw.stream(CHUNK_SIZE, decode_content=False)
        _write_stream(chunks, part, "wb", 0, ident.size, progress)
    finally:
        response.close()


def _ranged_get(
    url: str, have: int, ident: _Identity, part: Path, marker: Path, progress: Progress | None
) -> None:
    import httpx  # lazy: only a download needs the Kaggle/HTTP clients

    headers = {"Accept-Encoding": "identity", "User-Agent": _user_agent()}
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
                        raise _Transient(f"storage server resumed at byte {start}, not {have}")
                    mode, done, size = "ab", have, total if total is not None else ident.size
                elif r.status_code == 200:  # range ignored, or the object changed (If-Range)
                    new = _identity_of(r.headers)
                    _write_marker(marker, new)
                    mode, done, size = "wb", 0, new.size
                elif r.status_code == 416:
                    part.unlink(missing_ok=True)
                    raise _Transient("the partial download did not match the file on Kaggle")
                else:
                    raise _Transient(
                        f"storage server answered {r.status_code}", _retry_after(r.headers)
                    )
                _write_stream(r.iter_raw(CHUNK_SIZE), part, mode, done, size, progress)
    except httpx.TransportError as e:
        raise _Transient(f"{type(e).__name__}: {e}") from e


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
    import requests  # lazy: only a download needs the Kaggle/HTTP clients
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
                raise _Transient(f"connection lost after {done} bytes ({type(e).__name__})") from e
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
        raise _Transient(f"connection closed after {done} of {total} bytes")
