"""What crosses between the head and a Ray worker, without Ray: the public data staged by
content hash (never the private folder), a worker's run-folder archive taken in as hostile, and
the head's validation gateway (one app per run attempt; a superseded attempt is refused)."""

import hashlib
import io
import json
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest

from mlebench.errors import MLEBenchError
from mlebench.intake import IntakeRefused
from mlebench.runtime import ray_staging
from mlebench.runtime.run_archive import pack, take_in_archive
from mlebench.runtime.runs import submission_intake

RUN = "comp_seed0"


def _prepared(tmp_path: Path) -> Path:
    prepared = tmp_path / "data" / "comp" / "prepared"
    (prepared / "public" / "images").mkdir(parents=True)
    (prepared / "private").mkdir()
    (prepared / "private" / "answers.csv").write_text("id,y\n1,SECRET\n")
    (prepared / "public" / "train.csv").write_text("id,x\n1,2\n")
    (prepared / "public" / "images" / "a.png").write_bytes(b"\x89PNG" * 10)
    (prepared / "PREPARED.json").write_text('{"checksums": {"private/answers.csv": "abc"}}')
    return prepared


def _names(tar_path: Path) -> list[str]:
    with tarfile.open(tar_path) as tar:
        return tar.getnames()


def test_public_pack_is_deterministic_and_holds_only_the_public_folder(tmp_path):
    prepared = _prepared(tmp_path)
    # A link planted in the public folder to the answers is not followed nor packed.
    (prepared / "public" / "leak.csv").symlink_to(prepared / "private" / "answers.csv")
    first = ray_staging.pack_public(prepared / "public", "comp", tmp_path / "a.tar")
    os.utime(prepared / "public" / "train.csv", (1, 1))
    second = ray_staging.pack_public(prepared / "public", "comp", tmp_path / "b.tar")
    assert first == second == hashlib.sha256((tmp_path / "a.tar").read_bytes()).hexdigest()
    assert _names(tmp_path / "a.tar") == [
        "comp/prepared/public", "comp/prepared/public/images",
        "comp/prepared/public/train.csv", "comp/prepared/public/images/a.png"]
    assert b"SECRET" not in (tmp_path / "a.tar").read_bytes()
    (prepared / "public" / "train.csv").write_text("id,x\n1,3\n")
    assert ray_staging.pack_public(prepared / "public", "comp", tmp_path / "c.tar") != first


def test_a_node_fetches_public_data_once_even_with_concurrent_tasks(tmp_path):
    prepared = _prepared(tmp_path)
    store: dict[int, bytes] = {}

    def put(chunk: bytes) -> int:
        store[len(store)] = chunk
        return len(store) - 1

    staged = ray_staging.stage(prepared / "public", "comp", put)
    fetched = []

    def get(ref: int) -> bytes:
        fetched.append(ref)
        time.sleep(0.05)
        return store[ref]

    cache = tmp_path / "node-cache"
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(
        ray_staging.ensure_public(staged, get, cache))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and len(fetched) == len(staged.chunks)
    data = results[0]
    assert (data / "comp" / "prepared" / "public" / "train.csv").read_text() == "id,x\n1,2\n"
    assert not (data / "comp" / "prepared" / "private").exists()
    assert not (data / "comp" / "prepared" / "PREPARED.json").exists()
    assert ray_staging.ensure_public(staged, lambda ref: pytest.fail("fetched again"), cache) == data


def test_damaged_public_data_is_refused_and_not_cached(tmp_path):
    prepared = _prepared(tmp_path)
    chunks: list[bytes] = []
    staged = ray_staging.stage(prepared / "public", "comp", lambda c: chunks.append(c) or 0)
    cache = tmp_path / "node-cache"
    with pytest.raises(MLEBenchError, match="arrived damaged"):
        ray_staging.ensure_public(staged, lambda ref: chunks[0][:-1] + b"x", cache)
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []


def _worker_run_folder(tmp_path: Path, submission: bytes = b"id,y\n1,0\n") -> Path:
    rd = tmp_path / "worker" / RUN
    (rd / "submission").mkdir(parents=True)
    (rd / "logs").mkdir()
    (rd / "submission" / "submission.csv").write_bytes(submission)
    (rd / "logs" / "notes.log").write_text("hello\n")
    (rd / "metadata.json").write_text('{"status": "completed"}')
    (rd / "intake.json").write_text(json.dumps({"workspace": "folder", "refused": [], "taken": [
        {"path": "submission/submission.csv", "size": len(submission),
         "sha256": hashlib.sha256(submission).hexdigest()}]}))
    return rd


def test_a_worker_run_folder_comes_back_whole(tmp_path):
    archive = pack(_worker_run_folder(tmp_path))
    group = tmp_path / "group"
    group.mkdir()
    rd = take_in_archive(archive, group, RUN, 10**6)
    assert rd == group / RUN and sorted(os.listdir(group)) == [RUN]
    assert (rd / "logs" / "notes.log").read_text() == "hello\n"
    assert submission_intake(rd)["status"] == "regular"
    assert json.loads((rd / "intake.json").read_text())["archive"] == {"refused": [], "files": 4}


def _hostile_tar(entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def _info(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, **kw) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    for k, v in kw.items():
        setattr(info, k, v)
    return info


def test_a_hostile_archive_creates_nothing_but_plain_files_in_the_run_folder(tmp_path):
    secret = tmp_path / "answers.csv"
    secret.write_text("id,y\n1,SECRET\n")
    sub = b"id,y\n1,0\n"
    intake = json.dumps({"taken": [{"path": "submission/submission.csv", "size": len(sub),
                                    "sha256": hashlib.sha256(sub).hexdigest()}],
                         "refused": []}).encode()
    archive = _hostile_tar([
        (_info(f"{RUN}/intake.json", size=len(intake)), intake),
        (_info(f"{RUN}/submission/submission.csv", tarfile.SYMTYPE, linkname=str(secret)), None),
        (_info(f"{RUN}/logs/hard", tarfile.LNKTYPE, linkname=f"{RUN}/intake.json"), None),
        (_info(f"{RUN}/logs/dev", tarfile.CHRTYPE, devmajor=1, devminor=3), None),
        (_info(f"{RUN}/logs/fifo", tarfile.FIFOTYPE), None),
        (_info(f"{RUN}/../escape.txt", size=2), b"hi"),
        (_info("/tmp/absolute.txt", size=2), b"hi"),
        (_info("other_run/x.txt", size=2), b"hi"),
        (_info(f"{RUN}/logs/a.txt", size=2), b"hi"),
        (_info(f"{RUN}/logs/a.txt", size=2), b"yo"),
        (_info(f"{RUN}/logs/big.bin", size=5000), b"x" * 5000),
        (_info(f"{RUN}/logs/a.txt/under", size=2), b"hi"),
    ])
    group = tmp_path / "group"
    group.mkdir()
    rd = take_in_archive(archive, group, RUN, 4000)
    assert sorted(os.listdir(group)) == [RUN]
    assert not (tmp_path / "escape.txt").exists() and not Path("/tmp/absolute.txt").exists()
    found = {str(p.relative_to(rd)): p for p in rd.rglob("*")}
    assert all(p.is_dir() or (p.is_file() and not p.is_symlink()) for p in found.values())
    assert sorted(k for k, p in found.items() if p.is_file()) == ["intake.json", "logs/a.txt"]
    assert (rd / "logs" / "a.txt").read_text() == "hi"  # the first of two same names
    record = json.loads((rd / "intake.json").read_text())
    kinds = sorted(r["kind"] for r in record["archive"]["refused"])
    assert kinds == sorted(["not-regular"] * 4 + ["bad-name"] * 4 + ["duplicate", "oversize"])
    # The submission the worker's intake recorded did not arrive as a regular file: refused.
    assert submission_intake(rd) == {"status": "refused", "kind": "not-intact", "reason":
                                     "did not arrive from the worker as its intake recorded it"}


def test_a_submission_changed_on_the_way_is_refused(tmp_path):
    rd = _worker_run_folder(tmp_path)
    archive = pack(rd).replace(b"id,y\n1,0\n", b"id,y\n1,1\n")
    group = tmp_path / "group"
    group.mkdir()
    assert submission_intake(take_in_archive(archive, group, RUN, 10**6))["kind"] == "not-intact"


def test_a_compressed_or_garbage_archive_is_refused_without_unpacking(tmp_path):
    import gzip

    group = tmp_path / "group"
    group.mkdir()
    for archive in (gzip.compress(pack(_worker_run_folder(tmp_path))), b"\0garbage" * 100):
        with pytest.raises(IntakeRefused, match="unreadable"):
            take_in_archive(archive, group, RUN, 10**6)
    assert os.listdir(group) == []


def _multipart(data: bytes) -> tuple[list[tuple[str, str]], bytes]:
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\n\r\n"
            + data + b"\r\n--b--\r\n")
    return [("content-type", "multipart/form-data; boundary=b"),
            ("content-length", str(len(body)))], body


def test_the_head_gateway_answers_one_attempt_and_forgets_a_superseded_one(
        prepare_synthetic, data_dir, tmp_path):
    import asyncio

    from mlebench.runtime.ray_validation import ValidationGateway

    competition = prepare_synthetic("spaceship-titanic")
    gateway = ValidationGateway(str(data_dir), str(tmp_path / "logs"), None, 3600.0)
    log = tmp_path / "logs" / "run_seed0.jsonl"
    headers, body = _multipart(competition.sample_submission.read_bytes())

    def call(token: str, hdrs=headers, data=body) -> tuple[int, dict]:
        status, _, answer = asyncio.run(gateway.forward("run_seed0", token, "POST", "/validate",
                                                        hdrs, data))
        return status, json.loads(answer)

    cap = gateway.open("run_seed0", "spaceship-titanic", "first")
    assert len(body) < cap < 2 * 1024**3 + 2**17
    assert call("first") == (200, {"result": "Submission is valid.", "valid": True})
    assert call("first", hdrs=[headers[0]], data=b"")[0] == 411  # no declared length: refused
    assert [r["valid"] for r in map(json.loads, log.read_text().splitlines())] == [True, None]
    gateway.open("run_seed0", "spaceship-titanic", "retry")  # Ray retried the run elsewhere
    assert log.read_text() == ""
    assert call("first")[0] == 409  # the lost attempt is not answered, nor logged
    assert call("retry")[1]["valid"] is True
    assert len(log.read_text().splitlines()) == 1
