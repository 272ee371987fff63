"""Synthetic `nomad2018-predict-transparent-conductors.zip`: Kaggle ships four inner zips —
train.csv.zip / test.csv.zip (one CSV each) and train.zip / test.zip (`<split>/<id>/geometry.xyz`,
ASE extended-XYZ files with three `lattice_vector` lines and one `atom` line per atom) — plus
sample_submission.csv.zip."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes

SPACEGROUPS = [12, 33, 167, 194, 206, 227]
HEADER = (
    "#=======================================================\n"
    "#Created using the Atomic Simulation Environment (ASE)\n"
    "#=======================================================\n"
)


def _materials(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    mix = rng.dirichlet([1, 1, 1], n)
    df = pd.DataFrame({
        "id": ids,
        "spacegroup": rng.choice(SPACEGROUPS, n),
        "number_of_total_atoms": rng.choice([10.0, 20.0, 30.0, 40.0, 60.0, 80.0], n),
        "percent_atom_al": np.round(mix[:, 0], 4),
        "percent_atom_ga": np.round(mix[:, 1], 4),
        "percent_atom_in": np.round(1 - np.round(mix[:, 0], 4) - np.round(mix[:, 1], 4), 4),
    })
    for i in (1, 2, 3):
        df[f"lattice_vector_{i}_ang"] = np.round(rng.uniform(3, 25, n), 4)
    for name, centre in (("alpha", 90), ("beta", 90), ("gamma", 90)):
        df[f"lattice_angle_{name}_degree"] = np.round(centre + rng.normal(0, 8, n), 4)
    return df


def _geometry(rng: np.random.Generator, n_atoms: int) -> str:
    lines = [HEADER]
    for _ in range(3):
        lines.append("lattice_vector " + " ".join(f"{v:.8f}" for v in rng.uniform(-10, 10, 3)) + " \n")
    for _ in range(n_atoms):
        xyz = " ".join(f"{v:.8f}" for v in rng.uniform(0, 15, 3))
        lines.append(f"atom {xyz} {rng.choice(['Al', 'Ga', 'In', 'O'])}\n")
    return "".join(lines)


def _geometries(rng: np.random.Generator, folder: str, ids) -> bytes:
    return zip_bytes({f"{folder}/{i}/geometry.xyz": _geometry(rng, int(rng.integers(2, 6))) for i in ids})


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _materials(rng, np.arange(1, 201))
    train["formation_energy_ev_natom"] = np.round(rng.uniform(0, 0.6, len(train)), 4)
    train["bandgap_energy_ev"] = np.round(rng.uniform(0.1, 5.3, len(train)), 4)
    test = _materials(rng, np.arange(1, 61))
    sample = pd.DataFrame({"id": test["id"], "formation_energy_ev_natom": 0.1779, "bandgap_energy_ev": 1.8892})
    return write_zip(out_dir / "nomad2018-predict-transparent-conductors.zip", {
        "sample_submission.csv.zip": zip_bytes({"sample_submission.csv": sample}),
        "test.csv.zip": zip_bytes({"test.csv": test}),
        "test.zip": _geometries(rng, "test", test["id"]),
        "train.csv.zip": zip_bytes({"train.csv": train}),
        "train.zip": _geometries(rng, "train", train["id"]),
    })
