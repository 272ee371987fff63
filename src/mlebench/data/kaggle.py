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

Credentials live in kaggle_credentials.py, the byte transfer (3 and 4) in kaggle_transfer.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mlebench
from mlebench.data.kaggle_credentials import (  # noqa: F401 (the module's API)
    TOKEN_PAGE,
    KaggleError,
    check_credentials,
    credentials_source,
    kaggle_config_dir,
    missing_credentials_message,
)
from mlebench.data.kaggle_transfer import Progress, Transient, receive, retry_after, retry_delay

if TYPE_CHECKING:
    import requests  # lazy: only a download needs the Kaggle/HTTP clients

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 2.0


class _RulesNotAccepted(Exception):
    pass


def rules_url(competition_id: str) -> str:
    return f"https://www.kaggle.com/c/{competition_id}/rules"


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
        raise KaggleError(missing_credentials_message()) from None
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


def _api_error(e: Exception, competition_id: str | None) -> Exception:
    """Translate an exception from the official client into KaggleError / Transient / rules."""
    import requests  # lazy: only a download needs the Kaggle/HTTP clients

    what = f" for '{competition_id}'" if competition_id else ""
    if isinstance(e, requests.HTTPError) and e.response is not None:
        resp = e.response
        code = resp.status_code
        msg = _server_message(resp)
        if resp.history:  # the API redirected us; the storage server failed (e.g. expired URL)
            return Transient(f"storage server answered {code} {msg}".strip(), retry_after(resp.headers))
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
            return Transient(f"Kaggle answered {code} {msg}".strip(), retry_after(resp.headers))
        return KaggleError(f"Kaggle answered {code} {msg}{what}.")
    if isinstance(e, requests.RequestException):
        return Transient(f"{type(e).__name__}: {e}")
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
                except Transient as e:
                    if attempt == 3:
                        raise KaggleError(
                            f"Could not reach Kaggle to check the rules of '{competition_id}' "
                            f"({e}); check your connection and retry."
                        ) from e
                    time.sleep(retry_delay(attempt, BACKOFF_SECONDS / 4, e.retry_after))
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
        except (Transient, _RulesNotAccepted):
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
        except (Transient, _RulesNotAccepted):
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
                receive(_resolve(client, competition_id), part, marker, progress,
                        _user_agent())
                break
            except _RulesNotAccepted as e:
                raise _rules_error(competition_id, str(e)) from None
            except Transient as e:
                if attempt == max_attempts:
                    kept = part.stat().st_size if part.is_file() else 0
                    raise KaggleError(
                        f"Downloading '{competition_id}' failed after {max_attempts} attempts "
                        f"({e}); rerun the same command to resume ({kept} bytes kept in {part})."
                    ) from e
                time.sleep(retry_delay(attempt, backoff, e.retry_after))

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

