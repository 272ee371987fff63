"""multi-modal-gesture-recognition v2: the test recordings' Video.Labels (the answers) are removed.

On the synthetic fixture (real MAT files, as in Kaggle's data), v1 reproduces the leak: reading
Video.Labels from the public test archive gives a perfect score without any model. v2 rewrites the
archive without them; everything else in it is kept and grading still works.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile

import pandas as pd
import scipy.io

from mlebench.cli import main
from mlebench.data.leaks import leaks_for
from mlebench.data.mat_labels import labelled_members
from mlebench.grade import grade_csv

CID = "multi-modal-gesture-recognition"
GESTURES = ("vattene", "vieniqui", "perfetto", "furbo", "cheduepalle", "chevuoi", "daccordo",
            "seipazzo", "combinato", "freganiente", "ok", "cosatifarei", "basta", "prendere",
            "noncenepiu", "fame", "tantotempo", "buonissimo", "messidaccordo", "sonostufo")


def _samples(archive) -> dict[str, dict[str, bytes]]:
    """{sample zip name: {member: bytes}} of the test archive, in archive order."""
    out = {}
    with tarfile.open(archive) as tar:
        for m in tar:
            if m.isfile():
                with zipfile.ZipFile(io.BytesIO(tar.extractfile(m).read())) as z:  # type: ignore[union-attr]
                    out[m.name] = {n: z.read(n) for n in z.namelist()}
    return out


def _video(data: bytes):
    return scipy.io.loadmat(io.BytesIO(data))["Video"][0, 0]


def _answers_from_mat(archive) -> pd.DataFrame:
    """The cheat: each test sample's gestures, sorted by their Begin frame."""
    rows = []
    for zip_name, files in _samples(archive).items():
        labels = _video(next(v for k, v in files.items() if k.endswith("_data.mat")))["Labels"]
        gestures = sorted((float(lb["Begin"].item()), GESTURES.index(str(lb["Name"].item())) + 1)
                          for lb in labels.ravel())
        rows.append({"Id": zip_name.removesuffix(".zip")[-4:],
                     "Sequence": " ".join(str(g) for _, g in gestures)})
    return pd.DataFrame(rows)


def test_v1_leaks_the_labels_and_v2_removes_them(registry, data_dir, tmp_path):
    assert main(["prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir)]) == 0
    comp = registry.get_competition(CID)
    archive = comp.public_dir / "test.tar.gz"
    v1_samples = _samples(archive)
    assert len(v1_samples) == 12 and len(labelled_members(archive)) == 12

    # v1: the labels in the public .mat files are the answers (perfect score, no model).
    cheat = tmp_path / "cheat.csv"
    _answers_from_mat(archive).to_csv(cheat, index=False)
    report = grade_csv(cheat, comp)
    assert report.valid_submission and report.score == 0.0 and report.variant == "v1"
    sample_v1 = grade_csv(comp.sample_submission, comp)

    # v2: prepared again; the archive holds no Labels and keeps everything else.
    assert main(["prepare", "-c", CID, "--synthetic", "--variant", "v2", "--force",
                 "--data-dir", str(data_dir)]) == 0
    assert labelled_members(archive) == []
    v2_samples = _samples(archive)
    assert list(v2_samples) == list(v1_samples)
    for name, files in v2_samples.items():
        assert list(files) == list(v1_samples[name])
        for member, data in files.items():
            if not member.endswith("_data.mat"):
                assert data == v1_samples[name][member]  # audio and video untouched
                continue
            before, after = _video(v1_samples[name][member]), _video(data)
            assert "Labels" in before.dtype.names and "Labels" not in after.dtype.names
            assert set(after.dtype.names) == set(before.dtype.names) - {"Labels"}
            assert after["NumFrames"].item() == before["NumFrames"].item()
            skeleton = after["Frames"][0, 1]["Skeleton"][0, 0]
            assert skeleton["WorldPosition"].shape == (2, 3)
    manifest = json.loads((comp.prepared_dir / "PREPARED.json").read_text())
    assert manifest["variant"] == "v2"
    [change] = [c for c in manifest["variant_changes"] if c["leak_id"] == "test-mat-video-labels"]
    assert change["path"] == "public/test.tar.gz" and "12 of 12" in change["detail"]

    # Grading still works on v2 and is labelled v2; the answers are unchanged.
    sample_v2 = grade_csv(comp.sample_submission, comp)
    assert sample_v2.variant == "v2" and sample_v2.score == sample_v1.score
    assert grade_csv(cheat, comp).score == 0.0  # (a submission made from v1's leak still scores)

    [leak] = [lk for lk in leaks_for(CID) if lk.id == "test-mat-video-labels"]
    assert leak.v2_status == "implemented" and leak.reproduced
