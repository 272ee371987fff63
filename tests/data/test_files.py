import errno
import os
import zipfile

import pytest

from mlebench.data import files


def test_link_or_copy_hard_links(tmp_path):
    src = tmp_path / "a.tif"
    src.write_bytes(b"pixels")
    assert files.link_or_copy(src, tmp_path / "b.tif") == "link"
    assert os.path.samefile(src, tmp_path / "b.tif")


def test_link_or_copy_falls_back_to_copy_across_filesystems(tmp_path, monkeypatch):
    def no_link(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(files.os, "link", no_link)
    src = tmp_path / "a.tif"
    src.write_bytes(b"pixels")
    assert files.link_or_copy(src, tmp_path / "b.tif") == "copy"
    assert (tmp_path / "b.tif").read_bytes() == b"pixels"
    assert not os.path.samefile(src, tmp_path / "b.tif")


def test_link_or_copy_reports_real_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.link_or_copy(tmp_path / "missing", tmp_path / "b")
    (tmp_path / "a").write_bytes(b"x")
    (tmp_path / "b").write_bytes(b"y")
    with pytest.raises(FileExistsError):
        files.link_or_copy(tmp_path / "a", tmp_path / "b")


def test_place_files_creates_folders_and_stops_trying_links(tmp_path, monkeypatch):
    srcs = []
    for i in range(3):
        srcs.append(tmp_path / f"{i}.jpg")
        srcs[-1].write_bytes(bytes([i]))
    calls = []

    def no_link(src, dst):
        calls.append(src)
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(files.os, "link", no_link)
    counts = files.place_files((s, tmp_path / "out" / "sub" / s.name) for s in srcs)
    assert counts == {"link": 0, "copy": 3} and len(calls) == 1
    assert [(tmp_path / "out/sub" / s.name).read_bytes() for s in srcs] == [b"\0", b"\1", b"\2"]


def test_zip_files_keeps_order_and_names(tmp_path):
    (tmp_path / "x").write_bytes(b"1")
    (tmp_path / "y").write_bytes(b"2")
    files.zip_files(tmp_path / "a.zip", [("b.jpg", tmp_path / "y"), ("a.jpg", tmp_path / "x")])
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.namelist() == ["b.jpg", "a.jpg"] and zf.read("a.jpg") == b"1"


def test_link_tree_reproduces_the_tree_with_links(tmp_path):
    src = tmp_path / "study"
    (src / "series" / "empty").mkdir(parents=True)
    (src / "1.dcm").write_bytes(b"a")
    (src / "series" / "2.dcm").write_bytes(b"b")
    counts = files.link_tree(src, tmp_path / "out" / "study")
    out = tmp_path / "out" / "study"
    assert counts == {"link": 2, "copy": 0}
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "1.dcm", "series", "series/2.dcm", "series/empty"]
    assert os.path.samefile(src / "series" / "2.dcm", out / "series" / "2.dcm")
