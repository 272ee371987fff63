"""report.html, report.md and `mlebench view` show a result bundle's verification status."""

from __future__ import annotations

import io
import json
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from mlebench.bundles.keys import fingerprint, load_private_key
from mlebench.bundles.status import BUNDLE_SUFFIX, bundle_statuses, find_bundle
from mlebench.reporting.report import write_report
from mlebench.reporting.view import serve_in_thread
from tests._sandbox import sandbox_available

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

COMP = "practice-tabular-classification"
RUN0 = f"{COMP}_seed0"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real 2-seed dummy run group, bundled next to itself as <group>.bundle.tar.gz."""
    from mlebench import cli
    from mlebench.bundles import keygen, make_bundle
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    base = tmp_path_factory.mktemp("bundle-status")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLEBENCH_DATA_DIR", str(base / "default-data"))
        mp.setenv("MLEBENCH_ASSETS_DIR", str(base / "assets"))
        data, group = base / "data", base / "runs"
        prepare_competition(Registry(data).get_competition(COMP))
        args = ["run", "--agent", "dummy", "-c", COMP, "--seeds", "2", "--time-limit", "60s",
                "--run-dir", str(group), "--data-dir", str(data)]
        unsafe = not sandbox_available()
        if unsafe:
            args.append("--unsafe-no-sandbox")
        assert cli.main(args) == 0
        private, _ = keygen(base / "keys")
        bundle = make_bundle(group, private, base, Registry(data))
    return {"base": base, "data": data, "group": group, "bundle": bundle, "unsafe": unsafe,
            "fingerprint": fingerprint(load_private_key(private).public_key())}


def _failing(status: dict, unsafe: bool) -> set[str]:
    names = {c["name"] for c in status["failed"]}
    # Without a sandbox, runs cannot prove that no private file was mounted: that check fails.
    return {n for n in names if not (unsafe and n.endswith(": mounts"))}


def _tampered(src: Path, dst: Path) -> Path:
    """A copy of the bundle with one submission byte changed (manifest and signature kept)."""
    with tarfile.open(src, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar if m.isfile()]  # type: ignore[union-attr]
    with tarfile.open(dst, "w:gz") as out:
        for info, data in members:
            if info.name == f"files/{RUN0}/submission/submission.csv":
                data = data.replace(b"1", b"0", 1)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dst


def test_report_shows_a_verified_bundle(env: dict[str, Any], tmp_path: Path) -> None:
    group, bundle = env["group"], env["bundle"]
    assert bundle.name == f"runs{BUNDLE_SUFFIX}" and find_bundle(group) == bundle
    paths = write_report([group], tmp_path / "out", bundle_statuses=bundle_statuses([group]))
    report = json.loads(paths["json"].read_text())
    [status] = report["bundles"]
    assert status["signer_fingerprint"] == env["fingerprint"]
    assert not _failing(status, env["unsafe"]) and not status["regraded"]
    if not env["unsafe"]:
        assert status["status"] == "verified"
        html = paths["html"].read_text()
        assert "id='bundle-status'" in html and "VERIFIED" in html and env["fingerprint"] in html
        assert f"{bundle}: VERIFIED" in paths["markdown"].read_text()


def test_report_and_view_show_a_tampered_bundle_failed(env: dict[str, Any], tmp_path: Path) -> None:
    bad = _tampered(env["bundle"], tmp_path / f"runs{BUNDLE_SUFFIX}")
    statuses = bundle_statuses([env["group"]], [bad])
    paths = write_report([env["group"]], tmp_path / "out", bundle_statuses=statuses)
    [status] = json.loads(paths["json"].read_text())["bundles"]
    assert status["status"] == "failed" and "file hashes" in _failing(status, env["unsafe"])
    detail = next(c["detail"] for c in status["failed"] if c["name"] == "file hashes")
    assert f"{RUN0}/submission/submission.csv" in detail
    html = paths["html"].read_text()
    assert "FAILED" in html and "file hashes" in html and env["fingerprint"] in html
    assert "FAILED" in paths["markdown"].read_text()
    # `mlebench view` serves the same status.
    server, url = serve_in_thread(env["group"], bundle_statuses=statuses)
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # redirects to report.html
            page = resp.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert "id='bundle-status'" in page and "FAILED" in page and "file hashes" in page


def test_changed_run_group_no_longer_matches_its_bundle(env: dict[str, Any], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    import shutil

    from mlebench.cli import main

    group = tmp_path / "runs"
    shutil.copytree(env["group"], group)
    shutil.copy(env["bundle"], tmp_path / env["bundle"].name)
    report_path = group / RUN0 / "grading_report.json"
    report = json.loads(report_path.read_text())
    report["score"] = 1.0
    report_path.write_text(json.dumps(report))
    assert main(["report", str(group), "--output", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "FAILED" in out and "run group matches bundle" in out
    assert f"{RUN0}/grading_report.json: differs" in " ".join(out.split())
    # Re-grading on request: the bundle's own submissions still re-grade to its records.
    assert main(["report", str(env["group"]), "--output", str(tmp_path / "out2"), "--regrade",
                 "--data-dir", str(env["data"])]) == 0
    [status] = json.loads((tmp_path / "out2" / "report.json").read_text())["bundles"]
    assert status["regraded"] and not _failing(status, env["unsafe"])
