"""Split Kaggle's annotated train part by log (= scene): 80% of the logs stay for training, 20%
become the test set (`train_test_split(log tokens, test_size=0.2, random_state=0)`).

Every table of train_data/ follows the log split (samples by scene token, sample data, ego poses and
calibrated sensors by sample, annotations and instances by sample); attribute, category, sensor and
visibility tables and the map raster are copied to both sides; test_data/ gets no annotations.
Images and lidar sweeps are copied to train_* / test_* by the sample they belong to. The answers are
the test samples' train.csv rows with a confidence of 1.0 in front of every box.

As in the reference, both map.json files list the *test* logs (the reference edits one shared dict
for both sides)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.tables import read_csv

logger = logging.getLogger(__name__)

MAP_RASTER = "map_raster_palo_alto.png"
COPIED_TABLES = ("attribute", "category", "sensor", "visibility")


def _load(raw: Path, name: str) -> list[dict]:
    with open(raw / "train_data" / f"{name}.json") as f:
        return json.load(f)


def _dump(rows: list[dict], path: Path) -> None:
    with open(path, "w") as f:
        json.dump(rows, f)


def _two_way(items: list[dict], key, train_keys: set, test_keys: set, what: str) -> tuple[list, list]:
    """Items whose `key(item)` is a train key, and those whose key is a test key; any other fails."""
    train, test = [], []
    for item in items:
        k = key(item)
        if k in train_keys:
            train.append(item)
        elif k in test_keys:
            test.append(item)
        else:
            raise ValueError(f"{what} {k} belongs to neither the new train nor the new test set")
    return train, test


def _add_confidence(boxes: str) -> str:
    tokens = boxes.split(" ")
    assert len(tokens) % 8 == 0, f"expected 8 tokens per box, got {len(tokens)}"
    out: list[str] = []
    for i in range(0, len(tokens), 8):
        out += ["1.0", *tokens[i:i + 8]]
    return " ".join(out)


def _unique_by_token(sample_data: list[dict], field: str, by_token: dict[str, dict]) -> list[dict]:
    seen: set[str] = set()
    out = []
    for datum in sample_data:
        token = datum[field]
        if token not in seen:
            seen.add(token)
            out.append(by_token[token])
    return out


def prepare(raw: Path, public: Path, private: Path) -> None:
    train_dir, test_dir = public / "train_data", public / "test_data"
    train_dir.mkdir(parents=True, exist_ok=True)
    test_dir.mkdir(parents=True, exist_ok=True)

    logs = _load(raw, "log")
    log_ids = [log["token"] for log in logs]
    assert len(log_ids) == len(set(log_ids)), "log tokens must be unique"
    train_logs, test_logs = train_test_split(log_ids, test_size=0.2, random_state=0)
    train_log_set, test_log_set = set(train_logs), set(test_logs)
    _dump([log for log in logs if log["token"] in train_log_set], train_dir / "log.json")
    _dump([log for log in logs if log["token"] in test_log_set], test_dir / "log.json")

    # Lyft's scene tokens equal their log tokens: samples follow the log split by scene token.
    samples = _load(raw, "sample")
    train_samples = [s for s in samples if s["scene_token"] in train_log_set]
    test_samples = [s for s in samples if s["scene_token"] in test_log_set]
    assert len(train_samples) + len(test_samples) == len(samples), "samples outside the log split"
    _dump(train_samples, train_dir / "sample.json")
    _dump(test_samples, test_dir / "sample.json")

    boxes = read_csv(raw / "train.csv")
    train_ids = {s["token"] for s in train_samples}
    test_ids = {s["token"] for s in test_samples}
    train_rows = boxes[boxes["Id"].isin(train_ids)]
    test_rows = boxes[boxes["Id"].isin(test_ids)].copy()
    assert len(train_rows) + len(test_rows) == len(boxes), "train.csv rows outside the split"
    assert len(train_rows) == len(train_samples) and len(test_rows) == len(test_samples)
    train_rows.to_csv(public / "train.csv", index=False)
    test_rows["PredictionString"] = test_rows["PredictionString"].map(_add_confidence)
    test_rows.to_csv(private / "test.csv", index=False)
    sample_submission = test_rows[["Id"]].copy()
    sample_submission["PredictionString"] = ""
    sample_submission.to_csv(public / "sample_submission.csv", index=False)

    train_row_ids, test_row_ids = set(train_rows["Id"]), set(test_rows["Id"])
    sample_data = _load(raw, "sample_data")
    train_data, test_data = _two_way(sample_data, lambda d: d["sample_token"], train_row_ids,
                                     test_row_ids, "Sample data token")
    _dump(train_data, train_dir / "sample_data.json")
    _dump(test_data, test_dir / "sample_data.json")

    for side in ("train_maps", "test_maps"):
        (public / side).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(raw / "train_maps" / MAP_RASTER, public / side / MAP_RASTER)
    for name in COPIED_TABLES:
        for side in (train_dir, test_dir):
            shutil.copyfile(raw / "train_data" / f"{name}.json", side / f"{name}.json")

    calibrations = _load(raw, "calibrated_sensor")
    by_token = {c["token"]: c for c in calibrations}
    train_cal = _unique_by_token(train_data, "calibrated_sensor_token", by_token)
    test_cal = _unique_by_token(test_data, "calibrated_sensor_token", by_token)
    assert len({c["token"] for c in train_cal + test_cal}) == len(calibrations), "unused calibrations"
    _dump(train_cal, train_dir / "calibrated_sensor.json")
    _dump(test_cal, test_dir / "calibrated_sensor.json")

    # One ego pose per sample datum (repeated if shared), in sample-data order.
    poses = _load(raw, "ego_pose")
    pose_by_token = {p["token"]: p for p in poses}
    train_poses = [pose_by_token[d["ego_pose_token"]] for d in train_data]
    test_poses = [pose_by_token[d["ego_pose_token"]] for d in test_data]
    assert len({p["token"] for p in train_poses + test_poses}) == len(poses), "unused ego poses"
    _dump(train_poses, train_dir / "ego_pose.json")
    _dump(test_poses, test_dir / "ego_pose.json")

    maps = _load(raw, "map")
    assert len(maps) == 1, "expected a single map"
    # Reference behaviour: one dict shared by both outputs, so both end up with the test logs.
    maps[0]["log_tokens"] = list(test_logs)
    _dump(maps, train_dir / "map.json")
    _dump(maps, test_dir / "map.json")

    scenes = _load(raw, "scene")
    train_scenes, test_scenes = _two_way(scenes, lambda s: s["log_token"], train_log_set, test_log_set,
                                         "Scene log token")
    _dump(train_scenes, train_dir / "scene.json")
    _dump(test_scenes, test_dir / "scene.json")

    annotations = _load(raw, "sample_annotation")
    train_anns, test_anns = _two_way(annotations, lambda a: a["sample_token"], train_row_ids,
                                     test_row_ids, "Sample annotation's sample token")
    _dump(train_anns, train_dir / "sample_annotation.json")  # the test side gets no annotations

    instances = _load(raw, "instance")
    train_instance_ids = {a["instance_token"] for a in train_anns}
    test_instance_ids = {a["instance_token"] for a in test_anns} - train_instance_ids
    train_instances, _ = _two_way(instances, lambda i: i["token"], train_instance_ids, test_instance_ids,
                                  "Instance")
    _dump(train_instances, train_dir / "instance.json")  # nor instances

    _copy_sensor_files(raw, public, sample_data, test_row_ids)


def _copy_sensor_files(raw: Path, public: Path, sample_data: list[dict], test_ids: set) -> None:
    """Copy every image / lidar sweep named in sample_data to the side of its sample."""
    folders = {"jpeg": ("train_images", "test_images", "train_images"),
               "bin": ("train_lidar", "test_lidar", "train_lidar")}
    for train_folder, test_folder, _ in folders.values():
        (public / train_folder).mkdir(parents=True, exist_ok=True)
        (public / test_folder).mkdir(parents=True, exist_ok=True)
    copied = 0
    for datum in sample_data:
        fmt = datum["fileformat"]
        if fmt not in folders:
            raise ValueError(f"Unexpected fileformat in sample data: {fmt}")
        name = Path(datum["filename"]).name
        assert name.endswith(fmt), f"expected a .{fmt} file, got {name}"
        train_folder, test_folder, source_folder = folders[fmt]
        src = raw / source_folder / name
        if not src.exists():
            raise FileNotFoundError(f"{src} does not exist")
        dst = public / (test_folder if datum["sample_token"] in test_ids else train_folder) / name
        if dst.exists():
            logger.warning("%s is already there; not copied again", dst)
            continue
        shutil.copyfile(src, dst)
        copied += 1
    expected = len({d["filename"] for d in sample_data})
    assert copied == expected, f"copied {copied} sensor files, expected {expected}"
