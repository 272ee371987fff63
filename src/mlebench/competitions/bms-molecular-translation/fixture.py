"""Synthetic `bms-molecular-translation.zip` as Kaggle ships it: train_labels.csv (`image_id`,
`InChI`), sample_submission.csv (the test ids, each with `InChI=1S/H2O/h1H2`),
extra_approved_InChIs.csv (`InChI`), and small grayscale PNGs at `train/a/b/c/<image_id>.png` and
`test/a/b/c/<image_id>.png` (folders named by the id's first three characters). Image ids are 12
lowercase hex characters (each with at least one letter, so the column always reads as text); the
InChI strings follow the standard layout (formula, /c connections, /h hydrogens)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.images import image_bytes

N_TRAIN, N_TEST, N_EXTRA = 80, 8, 40
SAMPLE_INCHI = "InChI=1S/H2O/h1H2"


def _ids(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        candidate = bytes(rng.integers(0, 256, 6, dtype=np.uint8)).hex()
        if candidate not in taken and not candidate.isdigit():
            taken.add(candidate)
            out.append(candidate)
    return out


def _inchi(rng: np.random.Generator) -> str:
    carbons = int(rng.integers(4, 30))
    formula = f"C{carbons}H{int(rng.integers(carbons // 2, 2 * carbons + 3))}"
    for element, high in (("Br", 2), ("Cl", 3), ("F", 4), ("N", 5), ("O", 7), ("S", 2)):
        count = int(rng.integers(0, high + 1))
        formula += "" if count == 0 else element if count == 1 else f"{element}{count}"
    atoms = rng.permutation(np.arange(1, carbons + 1))
    parts = [str(atoms[0])]
    for a in atoms[1:]:
        parts.append(f"({a})" if rng.random() < 0.2 else f"-{a}")
    hydrogens = ",".join(f"{a}H{'2' if rng.random() < 0.4 else ''}" for a in sorted(rng.choice(atoms, 3, replace=False)))
    return f"InChI=1S/{formula}/c{''.join(parts)}/h{hydrogens}"


def _path(folder: str, image_id: str) -> str:
    return f"{folder}/{image_id[0]}/{image_id[1]}/{image_id[2]}/{image_id}.png"


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    taken: set[str] = set()
    train_ids, test_ids = _ids(rng, N_TRAIN, taken), _ids(rng, N_TEST, taken)
    files: dict = {
        "extra_approved_InChIs.csv": pd.DataFrame({"InChI": [_inchi(rng) for _ in range(N_EXTRA)]}),
        "sample_submission.csv": pd.DataFrame({"image_id": test_ids, "InChI": SAMPLE_INCHI}),
        "train_labels.csv": pd.DataFrame({"image_id": train_ids, "InChI": [_inchi(rng) for _ in train_ids]}),
    }
    for image_id in test_ids:
        files[_path("test", image_id)] = image_bytes(rng, 24, 16, "PNG", mode="L")
    for image_id in train_ids:
        files[_path("train", image_id)] = image_bytes(rng, 24, 16, "PNG", mode="L")
    return write_zip(out_dir / "bms-molecular-translation.zip", files)
