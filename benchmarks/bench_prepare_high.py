"""Time, peak memory and file placement of our preparers on the largest High-split downloads.

Like `bench_prepare_medium.py` (whose child runner this reuses): for one competition, writes a raw
folder shaped like Kaggle's extracted download (the files, columns and id formats the competition's
`fixture.py` and `prepare.py` use), with study / record / patient counts multiplied by `--scale`
(default 0.05), runs our `prepare` in a child process and prints its wall time, its peak RSS (the
child's own VmHWM), the image files placed per second, and how many of the output image files are
hard links to the raw ones (st_nlink > 1) versus copies. The goal is no image copied within one
filesystem and a peak RSS < 8 GiB at full size. These preparers only place files, so the images
are 100-byte stand-ins, except where a preparer reads one (see below).

Real sizes (Kaggle's downloads), and what is scaled:

- google-research-identify-contrails-reduce-global-warming: 20,529 train and 1,856 validation
  records (~450 GB), each a folder of band_08..band_16.npy (256x256x8 float32),
  human_pixel_masks.npy (256x256x1 int32) and, in train, human_individual_masks.npy; plus
  train_metadata.json / validation_metadata.json. Records are scaled. The preparer loads each
  held-out record's pixel mask (np.load) and band_08's shape (mmap), so in train those two are
  valid .npy files of the real shape, written sparse (a header, then a hole: all-zero masks, so
  every answer is "-"; 2.25 MiB apparent, ~4 KiB on disk). Kaggle's 2 test records are omitted
  (not read).
- rsna-2022-cervical-spine-fracture-detection: 2,019 studies with 711,601 slices
  train_images/<StudyInstanceUID>/<n>.dcm (~343 GB), 87 segmentations/<uid>.nii, boxes for 235
  studies (train_bounding_boxes.csv, 7,217 rows). Studies, segmentations and boxed studies are
  scaled (slices per study stay real, 150-554, mean ~352); half of the segmented studies are
  also boxed (an assumption). Kaggle's 3 test studies are omitted (not read).
- rsna-breast-cancer-detection: 54,706 images train_images/<patient_id>/<image_id>.dcm of 11,913
  patients (~314 GB), train.csv. Patients are scaled (2-3 views per breast, ~4.6 images each).

    .venv/bin/python benchmarks/bench_prepare_high.py -c all --scale 0.02 --scale 0.05
    .venv/bin/python benchmarks/bench_prepare_high.py -c rsna-2022-cervical-spine-fracture-detection --scale 0.2
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_prepare_medium import _write_stub_files, disk_usage, run_child, run_cli

IMAGE_SUFFIXES = (".npy", ".dcm", ".nii")


def _sparse_npy(path: Path, dtype: str, shape: tuple[int, ...]) -> None:
    """A valid all-zero .npy of `shape` that takes one block on disk (header, then a hole)."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
    with open(path, "wb") as f:
        f.write(header.getvalue())
        f.truncate(len(header.getvalue()) + int(np.prod(shape)) * np.dtype(dtype).itemsize)


# --- google-research-identify-contrails-reduce-global-warming -------------------------------------

def gen_contrails(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n_train, n_val = max(50, round(20_529 * scale)), max(5, round(1_856 * scale))
    ids = [str(i) for i in rng.permutation(np.unique(rng.integers(10**18, 9 * 10**18, 2 * (n_train + n_val))))]
    ids = ids[:n_train + n_val]
    bands = [f"band_{b:02d}.npy" for b in range(8, 17)]
    stubs = []
    for split, split_ids in (("train", ids[:n_train]), ("validation", ids[n_train:])):
        meta = [{"row_min": -2.1e6, "row_size": 2000.0, "col_min": 1.1e6, "col_size": 2000.0,
                 "timestamp": 1.5540768e9, "projection_wkt": 'PROJCS["synthetic geostationary"]' * 12,
                 "record_id": r} for r in split_ids]
        (raw / f"{split}_metadata.json").write_text(json.dumps(meta))
        for r in split_ids:
            folder = raw / split / r
            folder.mkdir(parents=True)
            if split == "train":
                _sparse_npy(folder / "band_08.npy", "<f4", (256, 256, 8))
                _sparse_npy(folder / "human_pixel_masks.npy", "<i4", (256, 256, 1))
                stubs += [folder / n for n in bands[1:] + ["human_individual_masks.npy"]]
            else:
                stubs += [folder / n for n in bands + ["human_pixel_masks.npy"]]
    _write_stub_files(stubs)
    pd.DataFrame({"record_id": [1000834164244036115], "encoded_pixels": "-"}).to_csv(
        raw / "sample_submission.csv", index=False)
    return n_train + n_val, "records"


# --- rsna-2022-cervical-spine-fracture-detection ----------------------------------------------------

def gen_cervical(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n, n_seg, n_boxed = max(40, round(2_019 * scale)), max(2, round(87 * scale)), max(5, round(235 * scale))
    uids = [f"1.2.826.0.1.3680043.{k}" for k in rng.choice(np.arange(1, 32800), n, replace=False)]
    fractured = (rng.random((n, 7)) < 0.08).astype(int)
    train = pd.DataFrame(fractured, columns=[f"C{i}" for i in range(1, 8)])
    train.insert(0, "patient_overall", fractured.max(axis=1))
    train.insert(0, "StudyInstanceUID", uids)
    train.to_csv(raw / "train.csv", index=False)
    order = rng.permutation(n)
    boxed = [uids[i] for i in order[:n_boxed]]
    segmented = [uids[i] for i in order[n_boxed - n_seg // 2:n_boxed - n_seg // 2 + n_seg]]
    per_box = rng.integers(10, 52, n_boxed)  # mean ~30.7 boxed slices per study, as on Kaggle
    k = int(per_box.sum())
    pd.DataFrame({"StudyInstanceUID": np.repeat(boxed, per_box), "x": rng.uniform(0, 300, k).round(5),
                  "y": rng.uniform(0, 300, k).round(5), "width": rng.uniform(10, 80, k).round(5),
                  "height": rng.uniform(10, 80, k).round(5),
                  "slice_number": np.concatenate([np.arange(100, 100 + m) for m in per_box])}).to_csv(
        raw / "train_bounding_boxes.csv", index=False)
    _write_stub_files([raw / "segmentations" / f"{u}.nii" for u in segmented])
    slices = rng.integers(150, 555, n)
    _write_stub_files([raw / "train_images" / u / f"{s}.dcm" for u, m in zip(uids, slices, strict=True)
                       for s in range(1, m + 1)])
    return n, "studies"


# --- rsna-breast-cancer-detection -------------------------------------------------------------------

def gen_breast(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n_pat = max(20, round(11_913 * scale))
    patients = np.sort(rng.choice(np.arange(5, 65535), n_pat, replace=False))
    views_per_breast = 2 + (rng.random(2 * n_pat) < 0.296)  # 54,706 / 11,913 = 4.59 images a patient
    breast_pat, breast_lat = np.repeat(patients, 2), np.tile(["L", "R"], n_pat)
    cancer = (rng.random(2 * n_pat) < 0.021).astype(int)
    rows = np.repeat(np.arange(2 * n_pat), views_per_breast)
    k = len(rows)
    view = np.where(np.concatenate([np.arange(v) for v in views_per_breast]) == 0, "CC", "MLO")
    per_pat = dict(zip(patients.tolist(), rng.integers(38, 85, n_pat).astype(float).tolist(), strict=True))
    train = pd.DataFrame({
        "site_id": 1 + (breast_pat[rows] % 2), "patient_id": breast_pat[rows],
        "image_id": rng.choice(2**31 - 1, k, replace=False), "laterality": breast_lat[rows], "view": view,
        "age": [per_pat[p] for p in breast_pat[rows].tolist()], "cancer": cancer[rows],
        "biopsy": cancer[rows], "invasive": cancer[rows], "BIRADS": np.where(cancer[rows] == 1, 0.0, np.nan),
        "implant": 0, "density": rng.choice(["A", "B", "C", "D"], k), "machine_id": 49,
        "difficult_negative_case": False})
    train.to_csv(raw / "train.csv", index=False)
    _write_stub_files([raw / "train_images" / str(p) / f"{i}.dcm"
                       for p, i in zip(train["patient_id"].tolist(), train["image_id"].tolist(), strict=True)])
    return n_pat, "patients"


GENERATORS = {
    "google-research-identify-contrails-reduce-global-warming": gen_contrails,
    "rsna-2022-cervical-spine-fracture-detection": gen_cervical,
    "rsna-breast-cancer-detection": gen_breast,
}


def placed(out: Path) -> tuple[int, int]:
    """(output image files that are hard links, output image files that are not)."""
    linked = copied = 0
    for root, _, files in os.walk(out):
        for name in files:
            if name.endswith(IMAGE_SUFFIXES):
                if os.stat(os.path.join(root, name)).st_nlink > 1:
                    linked += 1
                else:
                    copied += 1
    return linked, copied


def bench(cid: str, scale: float, seed: int, workdir: Path | None, keep: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-high-", dir=workdir))
    try:
        raw = work / "raw"
        raw.mkdir()
        t0 = time.perf_counter()
        n, unit = GENERATORS[cid](raw, scale, np.random.default_rng(seed))
        gen = time.perf_counter() - t0
        n_files = sum(len(f) for _, _, f in os.walk(raw))
        size = disk_usage(raw)
        seconds, rss = run_child(cid, raw, work / "out")
        linked, copied = placed(work / "out")
        print(f"{cid[:30]:30s} scale {scale:<5g} {n:>6,} {unit:8s} {n_files:>8,} files {size / 1e6:8,.0f} MB "
              f"(gen {gen:5.1f} s) | prepare {seconds:6.1f} s  peak RSS {rss / 2**20:6,.0f} MiB  "
              f"{(linked + copied) / seconds:>7,.0f} files/s  linked {linked:,} copied {copied:,}", flush=True)
    finally:
        if keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    run_cli(__doc__, GENERATORS, bench)


if __name__ == "__main__":
    main()
