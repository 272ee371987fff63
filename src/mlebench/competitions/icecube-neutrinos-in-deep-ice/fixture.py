"""Synthetic `icecube-neutrinos-in-deep-ice.zip`: train_meta.parquet / test_meta.parquet (batch_id,
event_id, first/last_pulse_index, and azimuth/zenith for train), sample_submission.parquet,
sensor_geometry.csv (all 5160 sensors) and pulse tables `train/batch_<n>.parquet`,
`test/batch_<n>.parquet` (sensor_id, time, charge, auxiliary, indexed by event_id). Parquet is
written with fastparquet."""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_TRAIN_BATCHES, N_EVENTS = 20, 8
N_SENSORS = 5160


def _parquet(frame: pd.DataFrame, index: bool) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.parquet"
        frame.to_parquet(path, engine="fastparquet", index=index)
        return path.read_bytes()


def _batch(rng: np.random.Generator, batch_id: int, first_event: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A batch's metadata rows and its pulse table."""
    events = first_event + np.sort(rng.choice(np.arange(1, 50), N_EVENTS, replace=False))
    counts = rng.integers(4, 16, N_EVENTS)
    last = np.cumsum(counts) - 1
    meta = pd.DataFrame({"batch_id": batch_id, "event_id": events,
                         "first_pulse_index": last - counts + 1, "last_pulse_index": last})
    n = int(counts.sum())
    pulses = pd.DataFrame({
        "sensor_id": rng.integers(0, N_SENSORS, n).astype(np.int16),
        "time": np.concatenate([np.sort(rng.integers(5000, 20000, c)) for c in counts]).astype(np.int64),
        "charge": np.round(rng.exponential(1.0, n), 3).astype(np.float32),
        "auxiliary": rng.random(n) < 0.6,
    }, index=pd.Index(np.repeat(events, counts), name="event_id"))
    return meta, pulses


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    files: dict = {}
    metas, next_event = [], 24
    for batch_id in range(1, N_TRAIN_BATCHES + 2):
        meta, pulses = _batch(rng, batch_id, next_event)
        next_event = int(meta["event_id"].max()) + 1
        folder = "train" if batch_id <= N_TRAIN_BATCHES else "test"
        files[f"{folder}/batch_{batch_id}.parquet"] = _parquet(pulses, index=True)
        metas.append(meta)
    train_meta = pd.concat(metas[:-1], ignore_index=True)
    train_meta["azimuth"] = rng.uniform(0, 2 * np.pi, len(train_meta))
    # Uniform, not isotropic (arccos of a uniform): numpy's arccos differs in the last bit by CPU.
    train_meta["zenith"] = rng.uniform(0, np.pi, len(train_meta))
    test_meta = metas[-1]
    sample = pd.DataFrame({"event_id": test_meta["event_id"], "azimuth": 1.0, "zenith": 1.0})
    geometry = pd.DataFrame({
        "sensor_id": np.arange(N_SENSORS),
        "x": np.round(np.repeat(rng.uniform(-570, 576, 86), 60)[:N_SENSORS], 2),
        "y": np.round(np.repeat(rng.uniform(-521, 510, 86), 60)[:N_SENSORS], 2),
        "z": np.round(np.tile(np.linspace(496, -512, 60), 86)[:N_SENSORS], 2),
    })
    files["sample_submission.parquet"] = _parquet(sample, index=False)
    files["sensor_geometry.csv"] = geometry
    files["test_meta.parquet"] = _parquet(test_meta, index=False)
    files["train_meta.parquet"] = _parquet(train_meta, index=False)
    return write_zip(out_dir / "icecube-neutrinos-in-deep-ice.zip", files)
