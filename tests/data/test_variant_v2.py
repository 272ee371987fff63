"""`prepare --variant v2` removes known leaks and is labelled v2 wherever results show up."""

import json
import zipfile

from mlebench.cli import main
from mlebench.grade import grade_csv

CID = "random-acts-of-pizza"


def _test_fields(comp):
    with zipfile.ZipFile(comp.public_dir / "test.zip") as zf:
        name = next(n for n in zf.namelist() if n.endswith(".json"))
        return set(json.loads(zf.read(name))[0])


def test_v2_prepare_is_fixed_and_labelled(registry, data_dir, capsys):
    assert main(["prepare", "-c", CID, "--synthetic", "--data-dir", str(data_dir)]) == 0
    comp = registry.get_competition(CID)
    assert "giver_username_if_known" in _test_fields(comp)  # v1 keeps the reference's leak
    v1 = grade_csv(comp.sample_submission, comp)
    assert v1.variant == "v1"
    # Switching variant needs --force, so v1 and v2 data are never silently mixed.
    assert main(["prepare", "-c", CID, "--synthetic", "--variant", "v2",
                 "--data-dir", str(data_dir)]) == 1
    assert "prepared as v1" in capsys.readouterr().err
    assert main(["prepare", "-c", CID, "--synthetic", "--variant", "v2", "--force",
                 "--data-dir", str(data_dir)]) == 0
    assert "giver_username_if_known" not in _test_fields(comp)
    manifest = json.loads((comp.prepared_dir / "PREPARED.json").read_text())
    assert manifest["variant"] == "v2" and manifest["variant_changes"]
    v2 = grade_csv(comp.sample_submission, comp)
    assert v2.variant == "v2" and any("Variant v2" in n for n in v2.notes)
    assert v2.score == v1.score  # answers unchanged


def test_list_flags_known_leaks(capsys):
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[CID]["label_leak"] and rows[CID]["known_issues"]
    assert not rows["spaceship-titanic"]["label_leak"]
