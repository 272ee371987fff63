"""Pinned upstream assets: each real competition's description, obfuscated description and private
leaderboard snapshot, taken from the reference repository at the pinned commit.

This module knows where a competition's assets live and fetches them by competition id; it sits
below the registry (which names each competition's leaderboard and description) and `data/`.

They are fetched on first use, verified against the sha256 recorded in the competition's config,
and cached. `MLEBENCH_UPSTREAM_DIR` (or `--upstream-dir`) reads them from a local clone instead.
Leaderboards are Git-LFS objects, so they come from the LFS media endpoint, not the raw file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from platformdirs import user_cache_dir

from mlebench import UPSTREAM_COMMIT, UPSTREAM_REPO
from mlebench.errors import MLEBenchError
from mlebench.utils import file_digest

RAW_BASE = f"https://raw.githubusercontent.com/{UPSTREAM_REPO}/{UPSTREAM_COMMIT}"
LFS_BASE = f"https://media.githubusercontent.com/media/{UPSTREAM_REPO}/{UPSTREAM_COMMIT}"
LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/v1"

ASSETS = {
    "description": ("description.md", "description_sha256", False),
    "description_obfuscated": ("description_obfuscated.md", "description_obfuscated_sha256", False),
    "leaderboard": ("leaderboard.csv", "leaderboard_sha256", True),
}


class AssetUnavailableError(MLEBenchError):
    """A pinned asset could not be found locally nor fetched; the message says how to provide it."""


class AssetIntegrityError(MLEBenchError):
    """A pinned asset's content does not match its recorded sha256."""


class LfsPointerError(AssetUnavailableError, AssetIntegrityError):
    """A local clone holds the Git-LFS pointer, not the file (`git lfs pull` was not run): the
    asset is simply not there, so grading reports the score with null medals and this note."""


def cache_dir() -> Path:
    env = os.environ.get("MLEBENCH_ASSETS_DIR")
    base = Path(env) if env else Path(user_cache_dir()) / "mle-bench" / "assets"
    return base.expanduser() / UPSTREAM_COMMIT[:12]


def upstream_dir() -> Path | None:
    env = os.environ.get("MLEBENCH_UPSTREAM_DIR")
    return Path(env).expanduser() if env else None


def offline() -> bool:
    return os.environ.get("MLEBENCH_OFFLINE", "").lower() in ("1", "true", "yes")


def _urls(kind: str) -> str:
    base = os.environ.get("MLEBENCH_UPSTREAM_URL")  # a mirror, or a loopback server in tests
    if base:
        return base.rstrip("/")
    return LFS_BASE if ASSETS[kind][2] else RAW_BASE


def asset_path(competition_id: str, kind: str) -> Path:
    """Where the verified asset is cached."""
    return cache_dir() / competition_id / ASSETS[kind][0]


def leaderboard_path(competition_id: str, folder: Path, builtin: bool) -> Path:
    """Practice (builtin) competitions ship their leaderboard in their folder; real ones use the
    cached upstream snapshot."""
    if builtin:
        return folder / "leaderboard.csv"
    return asset_path(competition_id, "leaderboard")


def _verify(path: Path, expected: str, what: str, lfs_hint: str) -> None:
    with open(path, "rb") as f:
        head = f.read(len(LFS_POINTER_PREFIX))
    if head == LFS_POINTER_PREFIX:
        raise LfsPointerError(f"{path} is a Git-LFS pointer, not the {what} itself: {lfs_hint}")
    actual = file_digest(path, "sha256")
    if actual != expected:
        raise AssetIntegrityError(
            f"{what} at {path} does not match its pinned sha256 (expected {expected}, got {actual}); "
            "it was modified or is from another commit."
        )


class _Retry(Exception):
    pass


def _httpx_downloader(what: str, how: str) -> Callable[[str, str, object], None]:
    """A pooch downloader: streams with httpx, retries transient failures, and recognises an LFS
    pointer served in place of the file (a clear message rather than a bare hash mismatch)."""

    def download(url: str, output_file: str, _pooch: object) -> None:
        import httpx  # lazy: assets are fetched once, then read from the cache

        timeout = float(os.environ.get("MLEBENCH_HTTP_TIMEOUT", 30))
        problem = ""
        for attempt in range(3):
            if attempt:
                time.sleep(0.3 * 2 ** (attempt - 1))
            try:
                with httpx.Client(timeout=timeout, follow_redirects=True) as client:
                    with client.stream("GET", url) as r:
                        if r.status_code == 429 or r.status_code >= 500:
                            raise _Retry(f"HTTP {r.status_code}")
                        if r.status_code != 200:
                            raise AssetUnavailableError(
                                f"Could not fetch the {what}: {url} answered HTTP {r.status_code}. {how}"
                            )
                        with open(output_file, "wb") as f:
                            for chunk in r.iter_bytes():
                                f.write(chunk)
                break
            except (httpx.TransportError, _Retry) as e:
                problem = f"{type(e).__name__}: {e}"
        else:
            raise AssetUnavailableError(f"Could not fetch the {what} from {url} ({problem}). {how}")
        with open(output_file, "rb") as f:
            if f.read(len(LFS_POINTER_PREFIX)) == LFS_POINTER_PREFIX:
                raise AssetIntegrityError(
                    f"{url} serves LFS pointers; leaderboards must come from the LFS media endpoint "
                    f"({LFS_BASE}) or a mirror of the files' contents (MLEBENCH_UPSTREAM_URL)."
                )

    return download


def _download(url: str, dest: Path, expected: str, what: str, how: str) -> Path:
    """Fetch `url` into the cache with pooch: downloaded to a temporary file, its sha256 checked,
    then moved into place, so a failed or tampered download leaves nothing behind."""
    import pooch  # lazy: assets are fetched once, then read from the cache

    pooch.get_logger().setLevel("WARNING")
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        path = pooch.retrieve(url, known_hash=f"sha256:{expected}", fname=dest.name,
                              path=dest.parent, progressbar=False,
                              downloader=_httpx_downloader(what, how))
    except ValueError as e:  # pooch's hash mismatch
        raise AssetIntegrityError(str(e).splitlines()[0]) from e
    return Path(path)


def fetch_asset(competition_id: str, kind: str, expected_sha256: str | None) -> Path:
    """Return a verified local copy of a pinned asset, fetching it on first use."""
    name, _, _ = ASSETS[kind]
    what = f"{kind.replace('_', ' ')} of '{competition_id}'"
    if not expected_sha256:
        raise AssetUnavailableError(f"No pinned sha256 is recorded for the {what}.")
    local = upstream_dir()
    looked = ""
    if local is not None:
        candidate = local / "mlebench" / "competitions" / competition_id / name
        if candidate.is_file():
            # A clone is the user's own copy: a mismatch is reported, never replaced.
            _verify(candidate, expected_sha256, what, f"run `git lfs pull` in {local}.")
            return candidate
        looked = f" (not in MLEBENCH_UPSTREAM_DIR: no {candidate})"
    cached = asset_path(competition_id, kind)
    if cached.is_file():
        try:
            _verify(cached, expected_sha256, what, "it will be fetched again.")
            return cached
        except AssetIntegrityError:
            cached.unlink()  # a tampered or stale cache entry is replaced, never trusted
    url = f"{_urls(kind)}/mlebench/competitions/{competition_id}/{name}"
    how = (
        f"Provide it with a clone of github.com/{UPSTREAM_REPO} at commit {UPSTREAM_COMMIT} "
        "(with `git lfs pull` for leaderboards) via --upstream-dir or MLEBENCH_UPSTREAM_DIR, "
        f"or place the file at {cached}."
    )
    if offline():
        raise AssetUnavailableError(
            f"The {what} ({name}) is not available offline{looked}. {how} "
            "Or unset MLEBENCH_OFFLINE to fetch it."
        )
    try:
        return _download(url, cached, expected_sha256, what, how)
    except AssetIntegrityError as e:
        raise AssetIntegrityError(f"Downloaded {what} from {url} failed verification: {e}") from e


def description_text(competition_id: str, expected_sha256: str | None, obfuscated: bool = False) -> str:
    """A real competition's pinned description (or obfuscated description), verified."""
    kind = "description_obfuscated" if obfuscated else "description"
    return fetch_asset(competition_id, kind, expected_sha256).read_text()
