"""Pinned upstream assets: fetched from a loopback server (MLEBENCH_UPSTREAM_URL), verified against
their sha256, cached; or read from a local clone (MLEBENCH_UPSTREAM_DIR)."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mlebench import upstream as assets
from mlebench.data.assets import load_leaderboard
from mlebench.upstream import AssetIntegrityError, AssetUnavailableError, fetch_asset

CID = "spaceship-titanic"
DESCRIPTION = b"# Spaceship Titanic\n\nA stand-in description written for this test.\n"
LEADERBOARD = b"scoreNullable,teamId,hasTeamName,submissionDate,score,hasScore\n,1,True,2024-01-01,0.8,True\n"
LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nsize 123\n"
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Upstream:
    """Serves `<root>/mlebench/competitions/<id>/<file>` from `files`; counts GETs; 503s on demand."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.gets: list[str] = []
        self.failures = 0
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                upstream.gets.append(self.path)
                if upstream.failures > 0:
                    upstream.failures -= 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = upstream.files.get(self.path)
                self.send_response(200 if data is not None else 404)
                body = data if data is not None else b"404: Not Found"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/mirror"

    def put(self, competition_id: str, name: str, data: bytes) -> None:
        self.files[f"/mirror/mlebench/competitions/{competition_id}/{name}"] = data


@pytest.fixture
def upstream(monkeypatch: pytest.MonkeyPatch):
    server = Upstream()
    monkeypatch.delenv("MLEBENCH_OFFLINE", raising=False)
    monkeypatch.delenv("MLEBENCH_UPSTREAM_DIR", raising=False)
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MLEBENCH_UPSTREAM_URL", server.url)
    monkeypatch.setenv("MLEBENCH_HTTP_TIMEOUT", "5")
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_fetch_verify_and_cache(upstream: Upstream, registry) -> None:
    competition = registry.get_competition(CID)  # a real config, with our own file's sha below
    upstream.put(CID, "description.md", DESCRIPTION)
    path = fetch_asset(competition.id, "description", sha(DESCRIPTION))
    assert path == assets.asset_path(CID, "description")
    assert path.read_bytes() == DESCRIPTION
    assert upstream.gets == [f"/mirror/mlebench/competitions/{CID}/description.md"]
    assert fetch_asset(CID, "description", sha(DESCRIPTION)) == path  # from the cache
    assert len(upstream.gets) == 1
    assert [p.name for p in path.parent.iterdir()] == ["description.md"]  # no temp files left


def test_leaderboard_and_description_through_the_competition(upstream: Upstream, registry) -> None:
    competition = registry.get_competition(CID)
    pinned = dataclasses.replace(
        competition.config.upstream,
        description_sha256=sha(DESCRIPTION), leaderboard_sha256=sha(LEADERBOARD)
    )
    competition = dataclasses.replace(
        competition, config=dataclasses.replace(competition.config, upstream=pinned)
    )
    upstream.put(CID, "description.md", DESCRIPTION)
    upstream.put(CID, "leaderboard.csv", LEADERBOARD)
    assert competition.read_description() == DESCRIPTION.decode()
    board, digest = load_leaderboard(competition)
    assert list(board["score"]) == [0.8] and digest == sha(LEADERBOARD)


def test_transient_errors_are_retried(upstream: Upstream) -> None:
    upstream.put(CID, "description.md", DESCRIPTION)
    upstream.failures = 1
    assert fetch_asset(CID, "description", sha(DESCRIPTION)).read_bytes() == DESCRIPTION


def test_tampered_download_is_rejected(upstream: Upstream) -> None:
    upstream.put(CID, "description.md", DESCRIPTION + b"tampered")
    with pytest.raises(AssetIntegrityError, match="does not match the known hash"):
        fetch_asset(CID, "description", sha(DESCRIPTION))
    cached = assets.asset_path(CID, "description")
    assert not cached.exists() and not any(cached.parent.glob("*"))  # nothing kept


def test_tampered_cache_is_replaced(upstream: Upstream) -> None:
    upstream.put(CID, "description.md", DESCRIPTION)
    cached = assets.asset_path(CID, "description")
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"edited by hand")
    assert fetch_asset(CID, "description", sha(DESCRIPTION)).read_bytes() == DESCRIPTION
    assert len(upstream.gets) == 1


def test_tampered_cache_is_not_trusted_offline(upstream: Upstream, monkeypatch) -> None:
    cached = assets.asset_path(CID, "description")
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"edited by hand")
    monkeypatch.setenv("MLEBENCH_OFFLINE", "1")
    with pytest.raises(AssetUnavailableError):
        fetch_asset(CID, "description", sha(DESCRIPTION))
    assert not cached.exists() and upstream.gets == []


def test_missing_upstream_file(upstream: Upstream) -> None:
    with pytest.raises(AssetUnavailableError, match="answered HTTP 404.*MLEBENCH_UPSTREAM_DIR"):
        fetch_asset(CID, "description", sha(DESCRIPTION))


def test_served_lfs_pointer_is_rejected(upstream: Upstream) -> None:
    upstream.put(CID, "leaderboard.csv", LFS_POINTER)
    with pytest.raises(AssetIntegrityError, match="serves LFS pointers.*LFS media endpoint"):
        fetch_asset(CID, "leaderboard", sha(LEADERBOARD))
    assert not assets.asset_path(CID, "leaderboard").exists()


def _clone(root: Path, files: dict[str, bytes]) -> Path:
    folder = root / "mlebench" / "competitions" / CID
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return root


def test_upstream_dir(upstream: Upstream, tmp_path: Path, monkeypatch) -> None:
    clone = _clone(tmp_path / "mle-bench", {"description.md": DESCRIPTION, "leaderboard.csv": LEADERBOARD})
    monkeypatch.setenv("MLEBENCH_UPSTREAM_DIR", str(clone))
    monkeypatch.setenv("MLEBENCH_OFFLINE", "1")  # a clone needs no network
    path = fetch_asset(CID, "description", sha(DESCRIPTION))
    assert path == clone / "mlebench" / "competitions" / CID / "description.md"
    assert fetch_asset(CID, "leaderboard", sha(LEADERBOARD)).read_bytes() == LEADERBOARD
    assert upstream.gets == []
    # A file the clone lacks is reported with where it was looked for.
    with pytest.raises(AssetUnavailableError, match="not in MLEBENCH_UPSTREAM_DIR"):
        fetch_asset(CID, "description_obfuscated", sha(b"x"))


def test_upstream_dir_tampered_file_is_rejected(upstream: Upstream, tmp_path: Path, monkeypatch) -> None:
    clone = _clone(tmp_path / "mle-bench", {"description.md": DESCRIPTION + b"!"})
    monkeypatch.setenv("MLEBENCH_UPSTREAM_DIR", str(clone))
    upstream.put(CID, "description.md", DESCRIPTION)
    with pytest.raises(AssetIntegrityError, match="does not match its pinned sha256"):
        fetch_asset(CID, "description", sha(DESCRIPTION))
    assert upstream.gets == []  # the user's clone is reported, not silently bypassed


def test_upstream_dir_lfs_pointer_says_git_lfs_pull(upstream, tmp_path: Path, monkeypatch) -> None:
    clone = _clone(tmp_path / "mle-bench", {"leaderboard.csv": LFS_POINTER})
    monkeypatch.setenv("MLEBENCH_UPSTREAM_DIR", str(clone))
    with pytest.raises(AssetIntegrityError) as info:
        fetch_asset(CID, "leaderboard", sha(LEADERBOARD))
    message = str(info.value)
    assert "Git-LFS pointer" in message and f"git lfs pull` in {clone}" in message


def test_offline_message_names_what_is_missing_and_how(monkeypatch) -> None:
    monkeypatch.setenv("MLEBENCH_OFFLINE", "1")
    with pytest.raises(AssetUnavailableError) as info:
        fetch_asset(CID, "leaderboard", sha(LEADERBOARD))
    message = str(info.value)
    assert "\n" not in message
    assert f"leaderboard of '{CID}'" in message and "leaderboard.csv" in message
    assert "MLEBENCH_UPSTREAM_DIR" in message and "git lfs pull" in message
    assert str(assets.asset_path(CID, "leaderboard")) in message
    assert "MLEBENCH_OFFLINE" in message


def test_no_pinned_sha(upstream: Upstream) -> None:
    with pytest.raises(AssetUnavailableError, match="No pinned sha256"):
        fetch_asset(CID, "description", None)
