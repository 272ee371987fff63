"""Synthetic `the-icml-2013-whale-challenge-right-whale-redux.zip`: `train2.zip` (folder `train2/`
of AIFF clips named `YYYYMMDD_HHMMSS_SSSsMMMms_TRAIN<idx>_<label>.aif` over four days), `test2.zip`
(`test2/..._Test<idx>.aif` over three later days) and `sampleSubmission.csv` (`clip,probability`).
Clips are mono 16-bit big-endian AIFF at 2 kHz, shortened to 0.1 s to keep the fixture small."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.media import aiff_bytes, tone

TRAIN_DAYS = ["20090328", "20090329", "20090330", "20090331"]
TEST_DAYS = ["20090401", "20090402", "20090403"]
CLIPS_PER_TRAIN_DAY, CLIPS_PER_TEST_DAY, N_SAMPLES = 30, 8, 200


def _stamps(rng: np.random.Generator, day: str, n: int) -> list[str]:
    seconds = np.sort(rng.choice(86_400_000, n, replace=False))  # milliseconds into the day
    out = []
    for ms in seconds:
        hh, rest = divmod(int(ms), 3_600_000)
        mm, rest = divmod(rest, 60_000)
        ss, milli = divmod(rest, 1000)
        # Kaggle names: start of the 15-minute file, then the clip's offset inside it.
        block = (hh * 3600 + (mm // 15) * 900)
        offset = (mm % 15) * 60 + ss
        out.append(f"{day}_{block // 3600:02d}{(block % 3600) // 60:02d}00_{offset:03d}s{milli}ms")
    return out


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train: dict[str, bytes] = {"train2/": b""}
    idx = 0
    for day in TRAIN_DAYS:
        for stamp in _stamps(rng, day, CLIPS_PER_TRAIN_DAY):
            label = int(rng.random() < 0.3)
            amplitude = 9000.0 if label else 3000.0
            train[f"train2/{stamp}_TRAIN{idx}_{label}.aif"] = aiff_bytes(tone(rng, N_SAMPLES, amplitude))
            idx += 1
    test: dict[str, bytes] = {"test2/": b""}
    clips = []
    for day in TEST_DAYS:
        for stamp in _stamps(rng, day, CLIPS_PER_TEST_DAY):
            name = f"{stamp}_Test{len(clips)}.aif"
            clips.append(name)
            test[f"test2/{name}"] = aiff_bytes(tone(rng, N_SAMPLES, 5000.0))
    sample = pd.DataFrame({"clip": clips, "probability": 0})
    return write_zip(out_dir / "the-icml-2013-whale-challenge-right-whale-redux.zip", {
        "sampleSubmission.csv": sample,
        "test2.zip": zip_bytes(test),
        "train2.zip": zip_bytes(train),
    })
