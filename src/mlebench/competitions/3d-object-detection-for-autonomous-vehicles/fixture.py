"""Synthetic `3d-object-detection-for-autonomous-vehicles.zip` in Kaggle's layout: train.csv,
sample_submission.csv, train_data/ (13 nuScenes-style JSON tables), train_images/*.jpeg,
train_lidar/*.bin, train_maps/map_raster_palo_alto.png and the test_* counterparts (test_data/ has no
instance.json / sample_annotation.json).

Ten logs (one scene each, scene token = log token as in Lyft's data) of two to four samples; every
sample has one or two lidar sweeps and three camera images. Annotations are consistent across the
tables: train.csv's boxes are the sample_annotation.json boxes (yaw from the rotation quaternion,
class from instance -> category), calibrated sensors are shared per vehicle."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.images import image_bytes
from mlebench.competitions._kit.stable_math import cos_sin

CATEGORIES = ["car", "pedestrian", "animal", "other_vehicle", "bus", "motorcycle", "truck",
              "emergency_vehicle", "bicycle"]
CLASS_WEIGHTS = [0.55, 0.12, 0.02, 0.1, 0.04, 0.03, 0.08, 0.02, 0.04]
ATTRIBUTES = [
    "object_action_driving_straight_forward", "object_action_stopped", "object_action_parked",
    "object_action_walking", "object_action_standing", "object_action_running",
    "object_action_lane_change_left", "object_action_lane_change_right", "object_action_left_turn",
    "object_action_right_turn", "object_action_reversing", "object_action_loading",
    "object_action_abnormal_or_traffic_violation", "object_action_gliding_on_wheels",
    "object_action_sitting", "object_action_other_motion", "object_action_u_turn",
    "object_action_lying_down",
]
# channel -> file-name tag; Lyft names files host-aNNN_<tag>_<timestamp>.<ext>
CAMERAS = {"CAM_FRONT": "cam0", "CAM_FRONT_RIGHT": "cam1", "CAM_BACK_RIGHT": "cam2", "CAM_BACK": "cam3",
           "CAM_BACK_LEFT": "cam4", "CAM_FRONT_LEFT": "cam5", "CAM_FRONT_ZOOMED": "cam6"}
LIDARS = {"LIDAR_TOP": "lidar1", "LIDAR_FRONT_RIGHT": "lidar0", "LIDAR_FRONT_LEFT": "lidar2"}
USED_CAMERAS = ["CAM_FRONT", "CAM_BACK", "CAM_FRONT_ZOOMED"]
MAP_NAME = "map_raster_palo_alto.png"
MAP_TOKEN = "53992ee3023e5494b90c316c183be829"


def _json(obj) -> str:
    return json.dumps(obj, indent=4)


def _lidar_bytes(rng: np.random.Generator) -> bytes:
    points = rng.normal(0, 20, size=(int(rng.integers(8, 24)), 5)).astype(np.float32)
    points[:, 4] = rng.integers(0, 64, len(points))  # ring index
    return points.tobytes()


def _map_png(rng: np.random.Generator) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


class _Split:
    """Tables, files and box strings of one split (Kaggle's train or test part)."""

    def __init__(self, rng: np.random.Generator, n_logs: int, hosts: list[str], calibrations: dict,
                 categories: dict[str, str], attributes: list[str], t0: int) -> None:
        self.tables: dict[str, list[dict]] = {k: [] for k in (
            "log", "scene", "sample", "sample_data", "ego_pose", "calibrated_sensor", "instance",
            "sample_annotation")}
        self.files: dict[str, bytes] = {}
        self.boxes: dict[str, str] = {}
        used_calibrations: dict[str, dict] = {}
        for i in range(n_logs):
            host = hosts[i % len(hosts)]
            log_token = hex_ids_from_bytes(rng, 1, 64)[0]
            date = f"2019-0{1 + i % 8}-{10 + i:02d}"
            self.tables["log"].append({"date_captured": date, "location": "Palo Alto",
                                       "vehicle": host.replace("host-", ""), "logfile": "",
                                       "token": log_token})
            n_samples = int(rng.integers(2, 5))
            tokens = hex_ids_from_bytes(rng, n_samples, 64)
            start = t0 + i * 10**11
            times = [start + k * 200_000_000 + int(rng.integers(0, 1000)) for k in range(n_samples)]
            lidars = ["LIDAR_TOP"] + (["LIDAR_FRONT_LEFT"] if i % 3 == 0 else [])
            # objects of this scene, tracked over its samples
            n_objects = int(rng.integers(1, 6))
            objects = []
            for j in range(n_objects):
                cls = CATEGORIES[int(rng.choice(len(CATEGORIES), p=CLASS_WEIGHTS))]
                objects.append({
                    "cls": cls, "token": hex_ids_from_bytes(rng, 1, 64)[0],
                    "xy": rng.uniform([500, 1500], [2800, 2900]), "z": float(rng.uniform(-25, -15)),
                    "size": [round(float(v), 3) for v in rng.uniform([0.5, 0.6, 1.0], [3.0, 12.0, 4.0])],
                    "yaw": float(rng.uniform(-math.pi, math.pi)), "ann_tokens": [],
                    "visible_from": 0 if j == 0 or rng.random() < 0.7 else 1,
                })
            for k, token in enumerate(tokens):
                self.tables["sample"].append({
                    "next": tokens[k + 1] if k + 1 < n_samples else "",
                    "prev": tokens[k - 1] if k else "", "token": token,
                    "timestamp": times[k] / 1.0, "scene_token": log_token,
                })
                for channel in lidars + USED_CAMERAS:
                    calibration = calibrations[(host, channel)]
                    used_calibrations.setdefault(calibration["token"], calibration)
                    ego_token = hex_ids_from_bytes(rng, 1, 64)[0]
                    stamp = times[k] + int(rng.integers(0, 50_000))
                    self.tables["ego_pose"].append({
                        "rotation": [float(v) for v in rng.normal(0, 1, 4)],
                        "translation": [float(v) for v in rng.uniform([500, 1500, -25], [2800, 2900, -15])],
                        "token": ego_token, "timestamp": stamp / 1.0,
                    })
                    camera = channel in CAMERAS
                    tag = CAMERAS[channel] if camera else LIDARS[channel]
                    name = f"{host}_{tag}_{stamp}{rng.integers(0, 1000):03d}"
                    if camera:
                        filename = f"images/{name}.jpeg"
                        self.files[f"images/{name}.jpeg"] = image_bytes(rng, 8, 8, "JPEG")
                    else:
                        filename = f"lidar/{name}.bin"
                        self.files[f"lidar/{name}.bin"] = _lidar_bytes(rng)
                    self.tables["sample_data"].append({
                        "width": 1224 if camera else None, "height": 1024 if camera else None,
                        "calibrated_sensor_token": calibration["token"],
                        "token": hex_ids_from_bytes(rng, 1, 64)[0], "sample_token": token,
                        "is_key_frame": True, "prev": "", "fileformat": "jpeg" if camera else "bin",
                        "timestamp": stamp / 1.0, "next": "", "ego_pose_token": ego_token,
                        "filename": filename,
                    })
                strings = []
                for obj in objects:
                    if k < obj["visible_from"]:
                        continue
                    obj["xy"] = obj["xy"] + rng.normal(0, 0.4, 2)
                    obj["yaw"] += float(rng.normal(0, 0.02))
                    x, y = (float(v) for v in obj["xy"])
                    yaw = obj["yaw"]
                    ann_token = hex_ids_from_bytes(rng, 1, 64)[0]
                    obj["ann_tokens"].append(ann_token)
                    half_cos, half_sin = cos_sin(yaw / 2)  # the same bits on every CPU
                    self.tables["sample_annotation"].append({
                        "token": ann_token, "num_lidar_pts": int(rng.integers(0, 400)),
                        "size": obj["size"], "sample_token": token,
                        "rotation": [half_cos, 0.0, 0.0, half_sin],
                        "prev": "", "translation": [x, y, obj["z"]], "num_radar_pts": 0,
                        "attribute_tokens": [attributes[int(rng.integers(0, len(attributes)))]],
                        "next": "", "instance_token": obj["token"],
                        "visibility_token": str(int(rng.integers(1, 5))),
                    })
                    w, length, h = obj["size"]
                    strings.append(f"{x!r} {y!r} {obj['z']!r} {w} {length} {h} {yaw!r} {obj['cls']}")
                self.boxes[token] = " ".join(strings)
            for obj in objects:
                anns = obj["ann_tokens"]
                self.tables["instance"].append({
                    "last_annotation_token": anns[-1], "category_token": categories[obj["cls"]],
                    "token": obj["token"], "first_annotation_token": anns[0],
                    "nbr_annotations": len(anns),
                })
            self.tables["scene"].append({
                "description": "", "last_sample_token": tokens[-1], "nbr_samples": n_samples,
                "first_sample_token": tokens[0], "log_token": log_token,
                "name": f"{host}-lidar0-{times[0]}{rng.integers(0, 1000):03d}-{times[-1]}{rng.integers(0, 1000):03d}",
                "token": log_token,
            })
        # link annotations of the same instance
        by_instance: dict[str, list[dict]] = {}
        for ann in self.tables["sample_annotation"]:
            by_instance.setdefault(ann["instance_token"], []).append(ann)
        for anns in by_instance.values():
            for a, b in zip(anns, anns[1:], strict=False):
                a["next"], b["prev"] = b["token"], a["token"]
        self.tables["calibrated_sensor"] = list(used_calibrations.values())


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    channels = {**CAMERAS, **LIDARS}
    sensor_tokens = dict(zip(channels, hex_ids_from_bytes(rng, len(channels), 64), strict=True))
    sensors = [{"channel": ch, "token": tok, "modality": "camera" if ch in CAMERAS else "lidar"}
               for ch, tok in sensor_tokens.items()]
    categories = dict(zip(CATEGORIES, hex_ids_from_bytes(rng, len(CATEGORIES), 64), strict=True))
    category_table = [{"description": "", "token": tok, "name": name} for name, tok in categories.items()]
    attribute_tokens = hex_ids_from_bytes(rng, len(ATTRIBUTES), 64)
    attributes = [{"description": "", "token": tok, "name": name}
                  for name, tok in zip(ATTRIBUTES, attribute_tokens, strict=True)]
    visibility = [{"description": f"visibility of whole object is between {lo} and {hi}%",
                   "token": str(i + 1), "level": f"v{lo}-{hi}"}
                  for i, (lo, hi) in enumerate([(0, 40), (40, 60), (60, 80), (80, 100)])]
    hosts = ["host-a004", "host-a007", "host-a011", "host-a101", "host-a102"]
    calibrations = {}
    for host in hosts:
        for channel in channels:
            camera = channel in CAMERAS
            calibrations[(host, channel)] = {
                "sensor_token": sensor_tokens[channel],
                "rotation": [float(v) for v in rng.normal(0, 1, 4)],
                "camera_intrinsic": ([[float(rng.uniform(800, 1200)), 0.0, 612.0], [0.0, 880.0, 512.0],
                                      [0.0, 0.0, 1.0]] if camera else []),
                "translation": [float(v) for v in rng.normal(0, 1, 3)],
                "token": hex_ids_from_bytes(rng, 1, 64)[0],
            }
    map_png = _map_png(rng)
    files: dict[str, bytes | str | pd.DataFrame] = {}
    for part, n_logs, t0 in (("train", 10, 1_231_000_000_000_000), ("test", 3, 1_240_000_000_000_000)):
        split = _Split(rng, n_logs, hosts, calibrations, categories, attribute_tokens, t0)
        tables = dict(split.tables)
        if part == "test":  # Kaggle's test_data has no annotations
            del tables["instance"], tables["sample_annotation"]
        tables.update({
            "attribute": attributes, "category": category_table, "sensor": sensors,
            "visibility": visibility,
            "map": [{"log_tokens": [log["token"] for log in split.tables["log"]],
                     "category": "semantic_prior", "filename": f"maps/{MAP_NAME}", "token": MAP_TOKEN}],
        })
        for name in sorted(tables):
            files[f"{part}_data/{name}.json"] = _json(tables[name])
        for name, data in split.files.items():
            folder, base = name.split("/")
            files[f"{part}_{folder}/{base}"] = data
        files[f"{part}_maps/{MAP_NAME}"] = map_png
        if part == "train":
            ids = list(split.boxes)
            order = rng.permutation(len(ids))
            files["train.csv"] = pd.DataFrame({
                "Id": [ids[i] for i in order], "PredictionString": [split.boxes[ids[i]] for i in order],
            })
        else:
            files["sample_submission.csv"] = pd.DataFrame({"Id": list(split.boxes), "PredictionString": ""})
    return write_zip(out_dir / "3d-object-detection-for-autonomous-vehicles.zip", files)
