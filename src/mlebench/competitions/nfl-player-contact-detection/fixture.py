"""Synthetic `nfl-player-contact-detection.zip`: Kaggle's train_/test_ tables (labels, player
tracking, baseline helmet boxes, video metadata), sample_submission.csv, and train/ and test/
folders with three tiny placeholder videos (All29, Endzone, Sideline) per play."""

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

POSITIONS = ["QB", "RB", "WR", "TE", "T", "G", "C", "DE", "DT", "OLB", "ILB", "CB", "SS", "FS"]
N_PLAYERS = 6  # per play: 3 home, 3 away
N_STEPS = 4  # labelled steps 0..3 (0.1 s apart)
PRE_SNAP = 3  # tracking also covers steps -3..-1


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _video(name: str) -> bytes:
    """A few bytes starting like an MP4 (an `ftyp` box); enough for the preparer, which copies."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + name.encode()


def _play(rng: np.random.Generator, game_key: int, play_id: int, start: datetime):
    game_play = f"{game_key}_{play_id:06d}"
    players = np.sort(rng.choice(np.arange(25000, 55000), N_PLAYERS, replace=False))
    jerseys = rng.choice(np.arange(1, 100), N_PLAYERS, replace=False)
    teams = ["home"] * 3 + ["away"] * 3
    positions = rng.choice(POSITIONS, N_PLAYERS)
    snap = start + timedelta(seconds=5)

    labels = []
    for step in range(N_STEPS):
        when = _iso(snap + timedelta(milliseconds=100 * step))
        for i in range(N_PLAYERS):
            partners = [str(p) for p in players[i + 1:]] + ["G"]
            for other in partners:
                p = 0.25 if other == "G" else 0.12
                labels.append({
                    "contact_id": f"{game_play}_{step}_{players[i]}_{other}",
                    "game_play": game_play, "datetime": when, "step": step,
                    "nfl_player_id_1": players[i], "nfl_player_id_2": other,
                    "contact": int(rng.random() < p),
                })

    tracking = []
    for step in range(-PRE_SNAP, N_STEPS):
        when = _iso(snap + timedelta(milliseconds=100 * step))
        for i in range(N_PLAYERS):
            tracking.append({
                "game_play": game_play, "game_key": game_key, "play_id": play_id,
                "nfl_player_id": players[i], "datetime": when, "step": step, "team": teams[i],
                "position": str(positions[i]), "jersey_number": int(jerseys[i]),
                "x_position": round(float(rng.uniform(10, 110)), 2),
                "y_position": round(float(rng.uniform(0, 53.3)), 2),
                "speed": round(float(rng.uniform(0, 8)), 2),
                "distance": round(float(rng.uniform(0, 0.9)), 2),
                "direction": round(float(rng.uniform(0, 360)), 2),
                "orientation": round(float(rng.uniform(0, 360)), 2),
                "acceleration": round(float(rng.uniform(0, 5)), 2),
                "sa": round(float(rng.uniform(-4, 4)), 2),
            })

    helmets = []
    for view in ("Endzone", "Sideline"):
        for frame in (290, 291, 292):
            for i in rng.choice(N_PLAYERS, 4, replace=False):
                helmets.append({
                    "game_play": game_play, "game_key": game_key, "play_id": play_id,
                    "view": view, "video": f"{game_play}_{view}.mp4", "frame": frame,
                    "nfl_player_id": players[i],
                    "player_label": f"{'H' if teams[i] == 'home' else 'V'}{jerseys[i]}",
                    "left": int(rng.integers(0, 1250)), "width": int(rng.integers(15, 40)),
                    "top": int(rng.integers(0, 690)), "height": int(rng.integers(15, 40)),
                })

    meta = [{"game_play": game_play, "game_key": game_key, "play_id": play_id, "view": view,
             "start_time": _iso(start), "end_time": _iso(start + timedelta(seconds=11, milliseconds=837)),
             "snap_time": _iso(snap)} for view in ("Endzone", "Sideline")]
    videos = {f"{game_play}_{view}.mp4": _video(f"{game_play}_{view}") for view in ("All29", "Endzone", "Sideline")}
    return labels, tracking, helmets, meta, videos


def _plays(rng: np.random.Generator, n: int, first_game: int):
    tables = ([], [], [], [])
    videos = {}
    start = datetime(2020, 9, 11, 3, 1, 43, 134000)
    for k in range(n):
        game_key = first_game + k // 2
        play_id = int(rng.integers(50, 4000))
        start += timedelta(minutes=int(rng.integers(3, 40)), milliseconds=int(rng.integers(0, 999)))
        *rows, vids = _play(rng, game_key, play_id, start)
        for table, r in zip(tables, rows, strict=True):
            table.extend(r)
        videos.update(vids)
    return [pd.DataFrame(t) for t in tables], videos


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    (labels, tracking, helmets, meta), train_videos = _plays(rng, 20, first_game=58168)
    (test_labels, test_tracking, test_helmets, test_meta), test_videos = _plays(rng, 2, first_game=58187)
    sample = pd.DataFrame({"contact_id": test_labels["contact_id"], "contact": 0})
    files = {
        "sample_submission.csv": sample,
        "test_baseline_helmets.csv": test_helmets,
        "test_player_tracking.csv": test_tracking,
        "test_video_metadata.csv": test_meta,
        "train_baseline_helmets.csv": helmets,
        "train_labels.csv": labels,
        "train_player_tracking.csv": tracking,
        "train_video_metadata.csv": meta,
    }
    files.update({f"test/{name}": data for name, data in test_videos.items()})
    files.update({f"train/{name}": data for name, data in train_videos.items()})
    return write_zip(out_dir / "nfl-player-contact-detection.zip", files)
