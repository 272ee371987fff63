"""The intake for agent-written files: every way a name can point elsewhere or never end is
refused with a one-line reason, and reads are bounded."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from mlebench.intake import (
    IntakeRefused,
    IntakeReport,
    copy_tree,
    json_object,
    read_bytes,
    read_text,
    regular_files,
    walk,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    run = tmp_path / "run"
    (run / "logs" / "sub").mkdir(parents=True)
    (run / "logs" / "ok.log").write_text("hello\n")
    (run / "logs" / "sub" / "deep.log").write_text("deep\n")
    return run


def refused(root: Path, rel: str, **kw) -> IntakeRefused:
    with pytest.raises(IntakeRefused) as err:
        read_bytes(root, rel, kw.pop("max_bytes", 1 << 20))
    return err.value


def test_plain_files_are_read(tree):
    assert read_bytes(tree, "logs/ok.log", 100) == b"hello\n"
    assert read_text(tree, "logs/sub/deep.log") == ("deep\n", False)


def test_a_symlink_is_never_followed(tree, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("SECRET")
    (tree / "logs" / "notes.log").symlink_to(secret)
    err = refused(tree, "logs/notes.log")
    assert err.kind == "symlink" and "symbolic link" in err.reason and "SECRET" not in str(err)


def test_a_symlinked_parent_folder_is_never_followed(tree, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "answers.csv").write_text("id,label\n")
    (tree / "logs" / "etc").symlink_to(outside)
    err = refused(tree, "logs/etc/answers.csv")
    assert err.kind == "symlink" and "parent folder" in err.reason


def test_a_hard_link_to_a_file_outside_is_refused(tree, tmp_path):
    outside = tmp_path / "answers.csv"
    outside.write_text("id,label\n1,0\n")
    os.link(outside, tree / "logs" / "copy.csv")
    assert refused(tree, "logs/copy.csv").kind == "hardlink"
    report = IntakeReport()
    copy_tree(tree, tmp_path / "out", "logs", report, 1 << 20)
    assert {r["path"]: r["kind"] for r in report.refused} == {"logs/copy.csv": "hardlink"}
    assert not (tmp_path / "out" / "logs" / "copy.csv").exists()


def test_hard_links_inside_the_tree_are_the_agents_own_files(tree, tmp_path):
    os.link(tree / "logs" / "ok.log", tree / "logs" / "ok-again.log")
    report = IntakeReport()
    copy_tree(tree, tmp_path / "out", "logs", report, 1 << 20)
    assert report.refused == []
    assert (tmp_path / "out" / "logs" / "ok-again.log").read_text() == "hello\n"
    assert os.stat(tmp_path / "out" / "logs" / "ok-again.log").st_nlink == 1


def test_a_fifo_is_refused_without_blocking(tree):
    os.mkfifo(tree / "logs" / "pipe.log")
    result: list[IntakeRefused] = []
    t = threading.Thread(target=lambda: result.append(refused(tree, "logs/pipe.log")), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "opening a FIFO blocked the harness"
    assert result[0].kind == "fifo"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_refused_unopened(tree):
    os.mknod(tree / "logs" / "null.log", 0o666 | 0o020000, os.makedev(1, 3))  # /dev/null
    assert refused(tree, "logs/null.log").kind == "char-device"


@pytest.mark.parametrize("rel", ["../etc/passwd", "logs/../../x", "/etc/passwd", "logs/./ok.log",
                                 "logs\0/ok.log", ""])
def test_names_that_could_leave_the_root_are_refused(tree, rel):
    assert refused(tree, rel).kind == "bad-name"


def test_a_sparse_terabyte_is_refused_by_its_apparent_size(tree):
    with open(tree / "logs" / "tokens.jsonl", "wb") as f:
        f.write(b'{"prompt_tokens": 1}\n')
        f.truncate(1 << 40)
    err = refused(tree, "logs/tokens.jsonl", max_bytes=64 << 20)
    assert err.kind == "oversize" and "sparse" in err.reason
    text, cut = read_text(tree, "logs/tokens.jsonl", max_bytes=1000)  # a bounded prefix
    assert cut and len(text) == 1000 and text.startswith('{"prompt_tokens": 1}')


def test_walk_lists_links_and_special_files_without_entering_them(tree, tmp_path):
    (tree / "logs" / "root").symlink_to("/")
    os.mkfifo(tree / "logs" / "fifo")
    entries, notes = walk(tree, "logs")
    kinds = {e.path: e.kind for e in entries}
    assert kinds["logs/root"] == "symlink" and kinds["logs/fifo"] == "fifo"
    assert not any(p.startswith("logs/root/") for p in kinds)
    ok, bad = regular_files(tree, "logs")
    assert {e.path for e in ok} == {"logs/ok.log", "logs/sub/deep.log"}
    assert {e.path for e in bad} == {"logs/root", "logs/fifo"}


def test_walk_is_bounded(tree):
    for i in range(50):
        (tree / "logs" / f"f{i}").write_text("x")
    entries, notes = walk(tree, "logs", max_entries=10)
    assert len(entries) == 10 and any("more than 10 entries" in n for n in notes)
    deep = tree / "code"
    for _ in range(70):
        deep = deep / "d"
    deep.mkdir(parents=True)
    entries, notes = walk(tree, "code", max_depth=8)
    assert len(entries) <= 8 and any("deeper than 8" in n for n in notes)


def test_copy_tree_respects_the_total_cap_and_reports_odd_names(tree, tmp_path):
    (tree / "logs" / "big.bin").write_bytes(b"x" * 5000)
    (tree / "logs" / "new\nline.log").write_text("y")
    report = IntakeReport()
    copy_tree(tree, tmp_path / "out", "logs", report, max_total_bytes=1000)
    kinds = {r["path"]: r["kind"] for r in report.refused}
    assert kinds["logs/big.bin"] == "oversize" and kinds["logs/new\\x0aline.log"] == "bad-name"
    assert report.bytes_taken <= 1000


def test_json_object_is_none_for_anything_but_a_plain_json_object(tree, tmp_path):
    (tree / "m.json").write_text('{"a": 1}')
    (tree / "list.json").write_text("[1]")
    (tree / "bad.json").write_text("{")
    (tree / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tree / "link.json").symlink_to(tree / "m.json")
    assert json_object(tree, "m.json") == {"a": 1}
    for name in ("list.json", "bad.json", "deep.json", "link.json", "missing.json"):
        assert json_object(tree, name) is None


def test_a_file_swapped_for_a_fifo_after_the_check_does_not_block(tree):
    """The open itself is non-blocking: a race that swaps the name cannot hang the reader."""
    path = tree / "logs" / "race.log"
    path.write_text("x")
    stop = time.monotonic() + 2
    errors: list[BaseException] = []

    def swap() -> None:
        while time.monotonic() < stop:
            try:
                path.unlink()
                os.mkfifo(path)
                path.unlink()
                path.write_text("x")
            except OSError:
                pass

    t = threading.Thread(target=swap, daemon=True)
    t.start()
    while time.monotonic() < stop:
        try:
            read_bytes(tree, "logs/race.log", 100)
        except IntakeRefused:
            pass
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
            break
    t.join(5)
    assert not errors


def test_large_and_growing_files_are_read_whole_and_never_past_the_cap(tree):
    big = os.urandom(3 * (1 << 20) + 5)  # several read chunks
    (tree / "logs" / "big.bin").write_bytes(big)
    assert read_bytes(tree, "logs/big.bin", len(big)) == big
    assert refused(tree, "logs/big.bin", max_bytes=len(big) - 1).kind == "oversize"

    path, cap = tree / "logs" / "growing.log", 2 << 20
    path.write_bytes(b"a" * 1000)
    stop = time.monotonic() + 2

    first_read = threading.Event()  # else the writer can pass the cap before any read ends

    def append() -> None:  # the agent keeps writing while the harness reads
        first_read.wait(5)
        with open(path, "ab") as f:
            while time.monotonic() < stop and f.tell() < 8 * cap:
                f.write(b"a" * 65536)
                f.flush()

    writer = threading.Thread(target=append, daemon=True)
    writer.start()
    reads = 0
    while time.monotonic() < stop:
        try:
            data = read_bytes(tree, "logs/growing.log", cap)
        except IntakeRefused as e:
            assert e.kind == "oversize"
            continue
        finally:
            first_read.set()
        reads += 1
        assert len(data) <= cap and data == b"a" * len(data)
    writer.join(5)
    assert reads
