"""Synthetic `champs-scalar-coupling.zip`: train/test coupling pairs of small molecules
(`dsgdb9nsd_NNNNNN`), structures.csv plus one `.xyz` file per molecule, and the train-only extra
tables (dipole moments, shielding tensors, Mulliken charges, energies, coupling contributions)."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

N_TRAIN, N_TEST = 60, 12
HEAVY = ["C", "N", "O"]


def _molecule(rng: np.random.Generator, name: str) -> pd.DataFrame:
    atoms = list(rng.choice(HEAVY, int(rng.integers(1, 4)), p=[0.6, 0.2, 0.2])) + ["H"] * int(rng.integers(2, 5))
    xyz = np.round(rng.normal(0, 1.2, (len(atoms), 3)), 10)
    return pd.DataFrame({"molecule_name": name, "atom_index": range(len(atoms)), "atom": atoms,
                         "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2]})


def _pairs(rng: np.random.Generator, mol: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for h in mol.index[mol["atom"] == "H"]:
        for other in mol.index:
            if other == h or (mol.at[other, "atom"] == "H" and other < h) or mol.at[other, "atom"] == "O":
                continue
            bonds = int(rng.integers(1, 4)) if mol.at[other, "atom"] != "H" else int(rng.integers(2, 4))
            rows.append((h, other, f"{bonds}JH{mol.at[other, 'atom']}"))
    frame = pd.DataFrame(rows, columns=["atom_index_0", "atom_index_1", "type"])
    frame.insert(0, "molecule_name", mol["molecule_name"].iloc[0])
    return frame


def _xyz(mol: pd.DataFrame) -> str:
    lines = [str(len(mol)), ""]
    lines += [f"{a} {x:.8f} {y:.8f} {z:.8f}" for a, x, y, z in mol[["atom", "x", "y", "z"]].itertuples(index=False)]
    return "\n".join(lines) + "\n"


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    names = [f"dsgdb9nsd_{i:06d}" for i in sorted(rng.choice(np.arange(1, 140000), N_TRAIN + N_TEST, replace=False))]
    test_names = set(rng.choice(names, N_TEST, replace=False))
    mols = {n: _molecule(rng, n) for n in names}
    structures = pd.concat(mols.values(), ignore_index=True)
    pairs = pd.concat([_pairs(rng, mols[n]) for n in names], ignore_index=True)
    is_test = pairs["molecule_name"].isin(test_names).to_numpy()
    train, test = pairs[~is_test].reset_index(drop=True), pairs[is_test].reset_index(drop=True)
    train.insert(0, "id", range(len(train)))
    test.insert(0, "id", range(len(train), len(train) + len(test)))
    base = {"1JHC": 90.0, "1JHN": 50.0, "2JHH": -10.0, "2JHC": -1.0, "2JHN": 3.0, "3JHH": 4.0, "3JHC": 3.0, "3JHN": 1.0}
    fc = train["type"].map(base).to_numpy() + np.round(rng.normal(0, 2, len(train)), 4)
    sd, pso, dso = (np.round(rng.normal(0, 0.3, len(train)), 6) for _ in range(3))
    train["scalar_coupling_constant"] = np.round(fc + sd + pso + dso, 4)
    contributions = train[["molecule_name", "atom_index_0", "atom_index_1", "type"]].assign(
        fc=np.round(fc, 6), sd=sd, pso=pso, dso=dso)

    train_names = [n for n in names if n not in test_names]
    train_structs = structures[structures["molecule_name"].isin(train_names)]
    dipoles = pd.DataFrame({"molecule_name": train_names,
                            **{c: np.round(rng.normal(0, 1.5, len(train_names)), 4) for c in "XYZ"}})
    tensor_cols = ["XX", "YX", "ZX", "XY", "YY", "ZY", "XZ", "YZ", "ZZ"]
    tensors = train_structs[["molecule_name", "atom_index"]].assign(
        **{c: np.round(rng.normal(100, 60, len(train_structs)), 4) for c in tensor_cols})
    charges = train_structs[["molecule_name", "atom_index"]].assign(
        mulliken_charge=np.round(rng.normal(0, 0.25, len(train_structs)), 6))
    energy = pd.DataFrame({"molecule_name": train_names,
                           "potential_energy": np.round(rng.uniform(-450, -40, len(train_names)), 5)})
    sample = pd.DataFrame({"id": test["id"], "scalar_coupling_constant": 0})

    files = {
        "dipole_moments.csv": dipoles,
        "magnetic_shielding_tensors.csv": tensors,
        "mulliken_charges.csv": charges,
        "potential_energy.csv": energy,
        "sample_submission.csv": sample,
        "scalar_coupling_contributions.csv": contributions,
        "structures.csv": structures,
        "test.csv": test,
        "train.csv": train,
    }
    files.update({f"structures/{n}.xyz": _xyz(m) for n, m in mols.items()})
    return write_zip(out_dir / "champs-scalar-coupling.zip", files)
