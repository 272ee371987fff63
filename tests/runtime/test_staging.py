"""Staging read-only mounts: what the agent sees is the same files, from a path that says nothing
of the host; where that is impossible, the mount is bound as before and the record says why."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from mlebench.runtime.sandbox import Mount
from mlebench.runtime.staging import SMALL_FILE_BYTES, stage, stage_mounts


def make_tree(root: Path) -> Path:
    src = root / "prepared" / "public"
    (src / "images" / "deep").mkdir(parents=True)
    (src / "train.csv").write_text("id,x\n1,2\n")
    (src / "images" / "deep" / "a.png").write_bytes(b"\x89PNG")
    (src / "link").symlink_to("train.csv")
    (src / "abs-link").symlink_to("/home/data/train.csv")
    os.chmod(src / "images", 0o750)
    return src


def test_a_folder_becomes_new_folders_of_hard_links(tmp_path: Path):
    src = make_tree(tmp_path)
    dest = tmp_path / "staging" / "data"
    dest.parent.mkdir()
    assert stage(src, dest) == "2 files hard-linked"
    for rel in ("train.csv", "images/deep/a.png"):
        assert (dest / rel).stat().st_ino == (src / rel).stat().st_ino  # no data copied
    for rel in (".", "images", "images/deep"):
        assert (dest / rel).stat().st_ino != (src / rel).stat().st_ino
        assert (dest / rel).stat().st_mode == (src / rel).stat().st_mode
    assert os.readlink(dest / "link") == "train.csv"
    assert os.readlink(dest / "abs-link") == "/home/data/train.csv"
    assert sorted(p.name for p in dest.rglob("*")) == sorted(p.name for p in src.rglob("*"))


def test_a_symlinked_data_folder_is_staged_from_its_target(tmp_path: Path):
    src = make_tree(tmp_path)
    (tmp_path / "public-link").symlink_to(src)  # e.g. a data folder moved to a bigger disk
    assert stage(tmp_path / "public-link", tmp_path / "dest") == "2 files hard-linked"
    assert (tmp_path / "dest" / "train.csv").stat().st_ino == (src / "train.csv").stat().st_ino


def test_small_files_are_copied_and_big_ones_linked(tmp_path: Path):
    small, big = tmp_path / "instructions.txt", tmp_path / "big.bin"
    small.write_text("Do the task.\n")
    small.chmod(0o755)
    big.write_bytes(b"\0" * (SMALL_FILE_BYTES + 1))
    assert stage(small, tmp_path / "s") == "copied"
    assert (tmp_path / "s").read_text() == "Do the task.\n"
    assert (tmp_path / "s").stat().st_ino != small.stat().st_ino
    assert (tmp_path / "s").stat().st_mode == small.stat().st_mode  # scripts stay executable
    assert stage(big, tmp_path / "b") == "hard link"
    assert (tmp_path / "b").stat().st_ino == big.stat().st_ino


def test_a_special_file_leaves_nothing_and_the_mount_keeps_its_source(tmp_path: Path):
    src = make_tree(tmp_path)
    os.mkfifo(src / "images" / "pipe")
    with pytest.raises(OSError):
        stage(src, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()
    mounts, record = stage_mounts([Mount(src, "/home/data")], tmp_path / "staging")
    assert mounts == [Mount(src, "/home/data")]
    assert record == {"hidden": {},
                      "visible": {"/home/data": "host path shown (not staged: special file 'pipe')"}}
    assert list((tmp_path / "staging").iterdir()) == []


def test_stage_mounts_skips_writable_and_same_path_mounts(tmp_path: Path):
    src = make_tree(tmp_path)
    note = tmp_path / "note.txt"
    note.write_text("hi")
    given = [Mount(src, "/home/data"), Mount(tmp_path, "/home/submission", False),
             Mount(tmp_path, str(tmp_path)), Mount(note, "/home/note.txt")]
    mounts, record = stage_mounts(given, tmp_path / "staging")
    assert mounts[1:3] == given[1:3]
    assert mounts[0].source == tmp_path / "staging" / "0-data" and mounts[0].target == "/home/data"
    assert mounts[3].source == tmp_path / "staging" / "3-note.txt"
    assert record == {"hidden": {"/home/data": "2 files hard-linked", "/home/note.txt": "copied"},
                      "visible": {"/home/submission": "writable",
                                  str(tmp_path): "bound at its own path"}}


def test_another_filesystem_is_reported_not_staged(tmp_path: Path):
    if not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on another filesystem than the test's folder")
    src = make_tree(tmp_path)
    with tempfile.TemporaryDirectory(dir="/dev/shm") as other:
        mounts, record = stage_mounts([Mount(src, "/home/data")], Path(other) / "staging")
        assert mounts == [Mount(src, "/home/data")]
        assert record["visible"]["/home/data"].startswith("host path shown (not staged: ")
        assert list((Path(other) / "staging").iterdir()) == []
