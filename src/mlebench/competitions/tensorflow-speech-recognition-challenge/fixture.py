"""Synthetic `tensorflow-speech-recognition-challenge.zip` as Kaggle ships it: `train.7z` (folder
`train/` with `audio/<word>/<8 hex>_nohash_<n>.wav` for the ten command words and a few other
words, `audio/_background_noise_/` long noise clips and its README, `testing_list.txt`,
`validation_list.txt`, `LICENSE`, `README.md`), `test.7z` (`test/audio/clip_<hex>.wav`),
`sample_submission.7z` (`sample_submission.csv`: fname, label "silence") and
`link_to_gcp_credits_form.txt`. Clips are mono 16-bit 16 kHz WAV, 0.01 s instead of 1 s."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import stable_7z_bytes, to_bytes, write_zip
from mlebench.competitions._kit.ids import hex_ids_from_bytes
from mlebench.competitions._kit.media import tone, wav_bytes

WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "bed", "cat",
         "happy", "wow"]
NOISES = ["doing_the_dishes.wav", "running_tap.wav", "white_noise.wav"]
N_SPEAKERS, N_TEST, N_SAMPLES = 20, 20, 160


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    speakers = hex_ids_from_bytes(rng, N_SPEAKERS, length=8)
    train: dict[str, bytes] = {}
    names = []
    for word in WORDS:
        for speaker in rng.choice(speakers, int(rng.integers(6, 12)), replace=False):
            for k in range(int(rng.integers(1, 3))):
                name = f"{word}/{speaker}_nohash_{k}.wav"
                names.append(name)
                train[f"train/audio/{name}"] = wav_bytes(tone(rng, N_SAMPLES))
    for noise in NOISES:
        train[f"train/audio/_background_noise_/{noise}"] = wav_bytes(tone(rng, 4 * N_SAMPLES))
    train["train/audio/_background_noise_/README.md"] = b"Background noise clips.\n"
    order = rng.permutation(len(names))
    train["train/testing_list.txt"] = "".join(f"{names[i]}\n" for i in order[:15]).encode()
    train["train/validation_list.txt"] = "".join(f"{names[i]}\n" for i in order[15:30]).encode()
    train["train/LICENSE"] = b"Creative Commons BY 4.0\n"
    train["train/README.md"] = b"Speech Commands dataset (synthetic stand-in).\n"

    clips = [f"clip_{h}.wav" for h in hex_ids_from_bytes(rng, N_TEST, length=9)]
    test = {f"test/audio/{c}": wav_bytes(tone(rng, N_SAMPLES)) for c in clips}
    sample = pd.DataFrame({"fname": clips, "label": "silence"})
    return write_zip(out_dir / "tensorflow-speech-recognition-challenge.zip", {
        "link_to_gcp_credits_form.txt": "https://goo.gl/forms/placeholder\n",
        "sample_submission.7z": stable_7z_bytes({"sample_submission.csv": to_bytes(sample)}),
        "test.7z": stable_7z_bytes(test),
        "train.7z": stable_7z_bytes(train),
    })
