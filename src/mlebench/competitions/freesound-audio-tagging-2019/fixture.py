"""Synthetic `freesound-audio-tagging-2019.zip`: `train_curated.csv` and `train_noisy.csv`
(`fname` like `0006ae4e.wav`, `labels`: one to three class names joined by commas),
`train_curated.zip`, `train_noisy.zip` and `test.zip` (flat WAV clips), `sample_submission.csv`
(`fname` and the 80 class columns, all 0).

It also holds `FSDKaggle2019.meta.zip`, the post-competition metadata from Zenodo (record
3612637) that the preparer needs besides Kaggle's download, as a user places it in the raw
folder: `FSDKaggle2019.meta/test_post_competition.csv` (`fname`, `labels`, `usage` Public or
Private; the sample submission lists the Private clips). Clips are 16-bit 44.1 kHz mono WAV,
shortened to 0.005 s."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import stable_zip_bytes, write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.media import tone, wav_bytes

from .classes import CLASSES

N_CURATED, N_NOISY, N_PUBLIC, N_PRIVATE, N_SAMPLES = 40, 40, 10, 30, 220


def _labels(rng: np.random.Generator) -> str:
    return ",".join(rng.choice(CLASSES, int(rng.choice([1, 1, 1, 2, 3])), replace=False))


def _clips(rng: np.random.Generator, names: list[str]) -> bytes:
    return stable_zip_bytes({n: wav_bytes(tone(rng, N_SAMPLES), rate=44100) for n in names})


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    names = [f"{h}.wav" for h in hex_ids_from_bytes(rng, N_CURATED + N_NOISY + N_PUBLIC + N_PRIVATE, length=8)]
    curated = sorted(names[:N_CURATED])
    noisy = sorted(names[N_CURATED : N_CURATED + N_NOISY])
    test = sorted(names[N_CURATED + N_NOISY :])
    usage = ["Public"] * N_PUBLIC + ["Private"] * N_PRIVATE
    rng.shuffle(usage)
    post = pd.DataFrame({"fname": test, "labels": [_labels(rng) for _ in test], "usage": usage})
    private = [n for n, u in zip(test, usage, strict=True) if u == "Private"]
    sample = pd.DataFrame({"fname": private, **{c: 0 for c in CLASSES}})
    meta = {"FSDKaggle2019.meta/test_post_competition.csv": post}
    return write_zip(
        out_dir / "freesound-audio-tagging-2019.zip",
        {
            "FSDKaggle2019.meta.zip": stable_zip_bytes(meta),
            "sample_submission.csv": sample,
            "test.zip": _clips(rng, private),
            "train_curated.csv": pd.DataFrame(
                {"fname": curated, "labels": [_labels(rng) for _ in curated]}
            ),
            "train_curated.zip": _clips(rng, curated),
            "train_noisy.csv": pd.DataFrame(
                {"fname": noisy, "labels": [_labels(rng) for _ in noisy]}
            ),
            "train_noisy.zip": _clips(rng, noisy),
        },
    )
