"""Synthetic `alaska2-image-steganalysis.zip`: `Cover/<nnnnn>.jpg` and the same names under
`JMiPOD/`, `JUNIWARD/` and `UERD/` (the cover with a hidden message), `Test/<nnnn>.jpg` and
`sample_submission.csv` (`Id` like `0001.jpg`, `Label` 0).

The preparer holds out exactly 5,000 covers, so the fixture has 5,040 of them (Kaggle: 75,000),
made cheap by tagging four tiny base JPEGs with a per-file comment segment. Writing files
dominates the cost, so two cuts keep it to about 7,700 files: Kaggle ships all three stego
versions of every cover, the fixture only those the preparer reads (every version of the 40
training covers, the drawn version of each held-out cover drawn as stego; the draw is replayed
here with the preparer's seeds), and Kaggle's own Test folder (5,000 images, unused by the
preparer) is cut to 20 images."""

import random
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import tagged_jpeg
from mlebench.competitions._kit.media import image_bytes

ALGORITHMS = ["JMiPOD", "JUNIWARD", "UERD"]
N_COVER, N_HELD_OUT, N_TEST = 5040, 5000, 20


def _stego_needed(names: list[str]) -> set[tuple[str, str]]:
    """The (algorithm, file name) pairs the preparer will read (its split, replayed)."""
    train, test = train_test_split(names, test_size=N_HELD_OUT, random_state=42)
    needed = {(alg, name) for name in train for alg in ALGORITHMS}
    rng = random.Random(0)
    rng.shuffle(test)
    for name in test:
        if not rng.choice([True, False]):
            needed.add((rng.choice(ALGORITHMS), name))
    return needed


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    bases = [image_bytes(rng, (8, 8), "JPEG") for _ in range(4)]
    names = [f"{i:05d}.jpg" for i in range(1, N_COVER + 1)]
    tags = dict(zip(names, rng.integers(0, 1 << 30, N_COVER), strict=False))
    needed = _stego_needed(names)
    files: dict = {}
    for folder in ["Cover", *ALGORITHMS]:
        for name in names:
            if folder == "Cover" or (folder, name) in needed:
                files[f"{folder}/{name}"] = tagged_jpeg(
                    bases[int(tags[name]) % 4], f"{folder}:{tags[name]}"
                )
    test_ids = [f"{i:04d}.jpg" for i in range(1, N_TEST + 1)]
    for name in test_ids:
        files[f"Test/{name}"] = tagged_jpeg(bases[0], f"Test:{name}")
    files["sample_submission.csv"] = pd.DataFrame({"Id": test_ids, "Label": 0})
    return write_zip(out_dir / "alaska2-image-steganalysis.zip", files)
