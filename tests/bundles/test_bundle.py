"""Signed result bundles: keygen, bundle a real 2-seed run group, verify it, and catch tampering."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mlebench.bundles import cli_verify, keygen, make_bundle, merkle_root, verify_bundle
from mlebench.bundles.bundle import (
    MANIFEST,
    SIGNATURE,
    SIGNER_KEY,
    canonical_json,
    compute_aggregate,
    run_entry,
)
from mlebench.bundles.keys import fingerprint, load_private_key, public_pem
from mlebench.errors import MLEBenchError
from mlebench.runtime.run_folder import RunMetadata
from tests._sandbox import sandbox_available

# Agents run in the `lite` environment (built once per machine).
pytestmark = pytest.mark.usefixtures("lite_env")

COMP = "practice-tabular-classification"
RUN0 = f"{COMP}_seed0"
Members = dict[str, bytes]


def _prepare(data_dir: Path) -> None:
    from mlebench.data import prepare_competition
    from mlebench.registry import Registry

    prepare_competition(Registry(data_dir).get_competition(COMP))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real run group (dummy agent, 2 seeds), its key pair and bundle, and a fresh data dir."""
    base = tmp_path_factory.mktemp("integrity")
    with pytest.MonkeyPatch.context() as mp:  # like conftest's isolation, for the whole module
        mp.setenv("MLEBENCH_DATA_DIR", str(base / "default-data"))
        mp.setenv("MLEBENCH_ASSETS_DIR", str(base / "assets"))
        return _build_env(base)


def _build_env(base: Path) -> dict[str, Any]:
    from mlebench import cli

    data, fresh, group = base / "data", base / "fresh-data", base / "runs"
    _prepare(data)
    _prepare(fresh)  # prepared again elsewhere: the same bytes
    args = ["run", "--agent", "dummy", "-c", COMP, "--seeds", "2", "--time-limit", "60s",
            "--run-dir", str(group), "--data-dir", str(data)]
    unsafe = not sandbox_available()
    if unsafe:
        args.append("--unsafe-no-sandbox")
    assert cli.main(args) == 0
    private, public = keygen(base / "keys")
    attacker, attacker_pub = keygen(base / "attacker-keys")
    from mlebench.registry import Registry

    bundle = make_bundle(group, private, base / "bundle.tar.gz", Registry(data))
    return {"base": base, "data": data, "fresh": fresh, "group": group, "private": private,
            "public": public, "attacker": attacker, "attacker_pub": attacker_pub,
            "bundle": bundle, "unsafe": unsafe}


def _failures(checks, unsafe: bool = False) -> dict[str, str]:
    out = {c.name: c.detail for c in checks if not c.ok}
    if unsafe:  # without a sandbox the mounts check fails by design
        out = {k: v for k, v in out.items() if not k.endswith(": mounts")}
    return out


# --- keys ----------------------------------------------------------------------------------------
def test_keygen_modes_and_refusals(env: dict[str, Any], tmp_path: Path) -> None:
    private, public = env["private"], env["public"]
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key = load_private_key(private)
    assert public.read_bytes() == public_pem(key.public_key())
    assert len(fingerprint(key.public_key())) == 64
    for inside in (env["group"], env["group"] / RUN0, env["group"] / RUN0 / "code" / "keys"):
        with pytest.raises(MLEBenchError, match="inside the run group"):
            keygen(inside)
    with pytest.raises(MLEBenchError, match="already exists"):
        keygen(private.parent)


def test_bundle_refuses_private_keys(env: dict[str, Any], tmp_path: Path) -> None:
    from mlebench.registry import Registry

    group = tmp_path / "runs"
    shutil.copytree(env["group"], group, symlinks=True)
    reg = Registry(env["data"])
    with pytest.raises(MLEBenchError, match="outside the run group"):
        make_bundle(group, env["private"], group / "b.tar.gz", reg)
    # The signing key itself, copied into the group, is refused (as a key location and as a file).
    shutil.copy(env["private"], group / RUN0 / "code" / "k.pem")
    with pytest.raises(MLEBenchError, match="inside a run group"):
        make_bundle(group, group / RUN0 / "code" / "k.pem", tmp_path / "b.tar.gz", reg)
    with pytest.raises(MLEBenchError, match=r"k\.pem: it holds a private key"):
        make_bundle(group, env["private"], tmp_path / "b.tar.gz", reg)
    # So is any other private key, e.g. one an agent left in its logs.
    (group / RUN0 / "code" / "k.pem").unlink()
    (group / RUN0 / "logs" / "id").write_text("x\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n")
    with pytest.raises(MLEBenchError, match="logs/id: it holds a private key"):
        make_bundle(group, env["private"], tmp_path / "b.tar.gz", reg)


# --- the manifest --------------------------------------------------------------------------------
def test_merkle_construction() -> None:
    h = {"b": hashlib.sha256(b"2").hexdigest(), "a": hashlib.sha256(b"1").hexdigest(),
         "c": hashlib.sha256(b"3").hexdigest()}

    def leaf(p: str) -> bytes:
        return hashlib.sha256(p.encode() + b"\x00" + bytes.fromhex(h[p])).digest()

    ab = hashlib.sha256(leaf("a") + leaf("b")).digest()
    assert merkle_root(h) == hashlib.sha256(ab + leaf("c")).hexdigest()  # c promoted
    assert merkle_root({"a": h["a"]}) == leaf("a").hex()
    assert merkle_root({}) == hashlib.sha256(b"").hexdigest()


def _members(path: Path) -> Members:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def test_manifest_contents(env: dict[str, Any]) -> None:
    m = _members(env["bundle"])
    man = json.loads(m[MANIFEST])
    assert m[MANIFEST] == canonical_json(man)
    files = set(man["files"])
    for name in ("submission/submission.csv", "agent.stdout.log", "agent.stderr.log",
                 "metadata.json", "grading_report.json", "validation_calls.jsonl", "agent/dummy.py"):
        assert f"{RUN0}/{name}" in files and f"files/{RUN0}/{name}" in m
    assert "group.json" in files
    assert man["harness"]["version"] and "source_commit" in man["harness"]
    assert man["signer"]["public_key_sha256"] == fingerprint(load_private_key(env["private"]).public_key())
    run = next(r for r in man["runs"] if r["run_id"] == RUN0)
    assert run["mounts"] and run["limits"]["time_limit_s"] == 60.0 and run["hardware"]
    assert run["started_at"] < run["ended_at"] < run["graded_at"]
    comp = man["competitions"][COMP]
    assert set(comp["prepared"]["private"]) == {"test.csv"} and "train.csv" in comp["prepared"]["public"]
    assert comp["leaderboard_sha256"] == run["grading"]["leaderboard_sha256"]
    assert set(man["aggregate"]["splits"]["this run"]["metrics"]["any_medal"]) == {"mean", "sem", "n"}
    # Hashes only: no private file travels in the bundle.
    private = env["data"] / COMP / "prepared" / "private" / "test.csv"
    assert private.read_bytes() not in m.values()


# --- verification --------------------------------------------------------------------------------
def test_clean_bundle_verifies(env: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    unsafe = env["unsafe"]
    checks = verify_bundle(env["bundle"], data_dir=env["fresh"], pubkey=env["public"])
    assert not _failures(checks, unsafe)
    names = {c.name for c in checks}
    assert {"signature", "file hashes", "merkle root", "aggregate", "aggregate (re-graded)",
            f"prepared data {COMP}", f"{RUN0}: re-grade", f"{RUN0}: mounts", f"{RUN0}: timeline",
            f"{RUN0}: validation calls", f"{RUN0}: medals", f"{RUN0}: environment"} <= names
    environment = next(c for c in checks if c.name == f"{RUN0}: environment")
    assert "lite/cpu" in environment.detail and "this mlebench's own profile" in environment.detail
    sig = next(c for c in checks if c.name == "signature")
    assert "--pubkey" in sig.detail
    embedded = next(c for c in verify_bundle(env["bundle"]) if c.name == "signature")
    assert embedded.ok and "embedded" in embedded.detail
    if not unsafe:
        rc = cli_verify(argparse.Namespace(file=env["bundle"], data_dir=env["fresh"],
                                           pubkey=env["public"]))
        out = capsys.readouterr().out
        assert rc == 0 and "OK: all" in out and out.count("PASS") == len(checks)


def _rewrite(src: Path, dst: Path, edit: Callable[[Members], None],
             resign: Ed25519PrivateKey | None = None) -> Path:
    """Apply `edit` to the archive's members; with `resign`, rebuild the manifest's hashes,
    Merkle root, run records and aggregate from the edited files and sign with that key."""
    m = _members(src)
    edit(m)
    if resign is not None:
        man = json.loads(m[MANIFEST])
        files = {k[len("files/"):]: v for k, v in m.items() if k.startswith("files/")}
        man["files"] = {p: {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
                        for p, b in sorted(files.items())}
        man["merkle"]["root"] = merkle_root({p: e["sha256"] for p, e in man["files"].items()})
        reports = {}
        for r in man["runs"]:
            meta = json.loads(files[f"{r['run_id']}/metadata.json"])
            reports[r["run_id"]] = json.loads(files[f"{r['run_id']}/grading_report.json"])
            r.update(run_entry(r["run_id"], RunMetadata.parse(meta), reports[r["run_id"]]))
        runs = [{**r, "report": reports[r["run_id"]]} for r in man["runs"]]
        man["aggregate"] = compute_aggregate(runs, man["splits"], man["aggregate"]["seeds"])
        man["signer"]["public_key_sha256"] = fingerprint(resign.public_key())
        m[MANIFEST] = canonical_json(man)
        m[SIGNATURE] = resign.sign(m[MANIFEST])
        m[SIGNER_KEY] = public_pem(resign.public_key())
    with tarfile.open(dst, "w:gz") as tar:
        for name, data in m.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return dst


def _edit_json(path: str, fn: Callable[[dict], None]) -> Callable[[Members], None]:
    def edit(m: Members) -> None:
        obj = json.loads(m[path])
        fn(obj)
        m[path] = json.dumps(obj, indent=2).encode()
    return edit


def _edit_text(path: str, old: bytes, new: bytes) -> Callable[[Members], None]:
    def edit(m: Members) -> None:
        assert old in m[path]
        m[path] = m[path].replace(old, new, 1)
    return edit


def _set_score(r: dict) -> None:
    r["score"] = 0.99


def _private_mount(meta: dict) -> None:
    src = meta["mounts"][0]["source"].replace("prepared/public", "prepared/private")
    meta["mounts"].append({"source": src, "target": "/home/answers", "read_only": True})


def _data_dir_mount(meta: dict) -> None:
    src = str(Path(meta["mounts"][0]["source"]).parent.parent)  # <data>/<id>: holds the answers
    meta["mounts"].append({"source": src, "target": "/home/everything", "read_only": True})


def _graded_early(r: dict) -> None:
    r["graded_at"] = "2000-01-01T00:00:00+00:00"


def _flip_signature(m: Members) -> None:
    m[SIGNATURE] = bytes([m[SIGNATURE][0] ^ 1]) + m[SIGNATURE][1:]


def _edit_manifest(m: Members) -> None:
    man = json.loads(m[MANIFEST])
    man["runs"][0]["grading"]["score"] = 0.99
    m[MANIFEST] = canonical_json(man)


def _add_score_call(m: Members) -> None:
    m[f"files/{RUN0}/validation_calls.jsonl"] += b'{"time": "t", "valid": true, "score": 0.9}\n'


def _swap_lock(m: Members) -> None:
    m["files/environment.lock.txt"] += b"# a different lock\n"


def _env_hash(meta: dict) -> None:
    meta["environment"]["hash"] = "0" * 64


def _no_env(meta: dict) -> None:
    meta["environment"] = None


REPORT = f"files/{RUN0}/grading_report.json"
META = f"files/{RUN0}/metadata.json"
SUB = f"files/{RUN0}/submission/submission.csv"

# (id, edit, re-sign with the attacker's key, failing check -> words its detail must hold)
TAMPERING = [
    ("score", _edit_json(REPORT, _set_score), False, {"file hashes": "grading_report.json",
                                                      "merkle root": "recorded"}),
    ("score-resigned", _edit_json(REPORT, _set_score), True,
     {f"{RUN0}: re-grade": "score: 0.5 (recorded 0.99)", f"{RUN0}: medals": "gold_medal"}),
    ("submission-row", None, False, {"file hashes": "submission/submission.csv"}),
    ("submission-row-resigned", None, True, {f"{RUN0}: re-grade": "score"}),
    ("log-line", _edit_text(f"files/{RUN0}/agent.stdout.log", b"\n", b"\nextra line\n"), False,
     {"file hashes": "agent.stdout.log"}),
    ("manifest", _edit_manifest, False, {"signature": "does not verify",
                                         f"{RUN0}: record": "grading.score"}),
    ("signature", _flip_signature, False, {"signature": "does not verify"}),
    ("validation-score", _add_score_call, True, {f"{RUN0}: validation calls": "score"}),
    ("graded-early", _edit_json(REPORT, _graded_early), True,
     {f"{RUN0}: timeline": "not after the run ended"}),
    ("private-mount", _edit_json(META, _private_mount), True,
     {f"{RUN0}: mounts": "prepared/private"}),
    ("data-dir-mount", _edit_json(META, _data_dir_mount), True,
     {f"{RUN0}: mounts": "holding the answers"}),
    ("environment-lock", _swap_lock, True,
     {f"{RUN0}: environment": "is not the lock the run recorded"}),
    ("environment-hash", _edit_json(META, _env_hash), True,
     {f"{RUN0}: environment": "does not follow from its lock"}),
    ("environment-unrecorded", _edit_json(META, _no_env), True,
     {f"{RUN0}: environment": "no environment recorded"}),
]


@pytest.mark.parametrize("case", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_is_caught(env: dict[str, Any], tmp_path: Path, case: tuple) -> None:
    name, edit, resign, expected = case
    if edit is None:  # change one prediction of the submission
        def edit(m: Members) -> None:
            lines = m[SUB].decode().splitlines(keepends=True)
            head, row = lines[0], lines[1].rstrip("\n").split(",")
            row[-1] = "1" if row[-1] != "1" else "0"
            lines[1] = ",".join(row) + "\n"
            m[SUB] = (head + "".join(lines[1:])).encode()
    attacker = load_private_key(env["attacker"]) if resign else None
    bad = _rewrite(env["bundle"], tmp_path / "bad.tar.gz", edit, attacker)
    failures = _failures(verify_bundle(bad, data_dir=env["fresh"]), env["unsafe"])
    for check, words in expected.items():
        assert check in failures, (name, failures)
        assert words in failures[check], (name, check, failures[check])
    if resign:  # the attacker's own signature holds, but pinning the real key catches it
        assert "signature" not in failures
        pinned = _failures(verify_bundle(bad, pubkey=env["public"]))
        assert "does not verify" in pinned["signature"]
        assert cli_verify(argparse.Namespace(file=bad, data_dir=None, pubkey=env["public"])) == 1


def test_swapped_public_key(env: dict[str, Any], tmp_path: Path) -> None:
    attacker = load_private_key(env["attacker"])

    def swap(m: Members) -> None:
        m[SIGNER_KEY] = public_pem(attacker.public_key())

    bad = _rewrite(env["bundle"], tmp_path / "bad.tar.gz", swap)
    failures = _failures(verify_bundle(bad))
    assert "does not verify" in failures["signature"]
    assert "not the manifest's signer" in failures["signer key"]


def test_extra_file_is_caught(env: dict[str, Any], tmp_path: Path) -> None:
    def add(m: Members) -> None:
        m[f"files/{RUN0}/submission/other.csv"] = b"id,x\n"

    failures = _failures(verify_bundle(_rewrite(env["bundle"], tmp_path / "bad.tar.gz", add)))
    assert "not in the manifest" in failures["file hashes"]


def test_local_data_that_differs_is_caught(env: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(env["fresh"], data)
    answers = data / COMP / "prepared" / "private" / "test.csv"
    lines = answers.read_text().splitlines(keepends=True)
    row = lines[1].rstrip("\n").split(",")
    row[-1] = "1" if row[-1] != "1" else "0"
    answers.write_text(lines[0] + ",".join(row) + "\n" + "".join(lines[2:]))
    shutil.rmtree(data / COMP / "prepared" / ".grading-cache", ignore_errors=True)
    failures = _failures(verify_bundle(env["bundle"], data_dir=data), env["unsafe"])
    assert "private/test.csv: sha256 differs" in failures[f"prepared data {COMP}"]


def test_not_a_bundle(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    [check] = verify_bundle(junk)
    assert not check.ok and check.name == "archive"
    with pytest.raises(MLEBenchError, match="does not exist"):
        verify_bundle(tmp_path / "missing.tar.gz")


def test_malformed_manifest_fails_cleanly(env: dict[str, Any], tmp_path: Path) -> None:
    attacker = load_private_key(env["attacker"])

    def break_runs(m: Members) -> None:
        man = json.loads(m[MANIFEST])
        man["files"] = ["not", "a", "mapping"]
        m[MANIFEST] = canonical_json(man)
        m[SIGNATURE] = attacker.sign(m[MANIFEST])

    failures = _failures(verify_bundle(_rewrite(env["bundle"], tmp_path / "b.tar.gz", break_runs)))
    assert "malformed manifest" in failures["manifest"]
