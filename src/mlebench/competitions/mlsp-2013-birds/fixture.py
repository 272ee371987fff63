"""Synthetic `mlsp-2013-birds.zip`: `mlsp13birdchallenge_documentation.pdf` and
`mlsp_contest_dataset.zip`, whose `mlsp_contest_dataset/` folder holds `essential_data/`
(`CVfolds_2.txt`, `rec_id2filename.txt`, `rec_labels_test_hidden.txt` with `?` for Kaggle's test
fold, `species_list.txt`, `sample_submission.csv`, `src_wavs/<name>.wav`) and `supplemental_data/`
(spectrogram BMP folders, `segment_*.txt`, `histogram_of_segments.txt`, two mosaic BMPs).

Fold 0 has 320 recordings so the reference's 20% test split has the 64 recordings it asserts.
WAVs are 16 kHz mono 16-bit but only 10 ms long; BMPs are tiny."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.media import image_bytes, tone, wav_bytes

N_FOLD0, N_FOLD1, N_SPECIES = 320, 24, 19
CODES = ["BRCR", "PAWR", "PSFL", "RBNU", "DEJU", "OSFL", "HETH", "CBCH", "VATH", "HEWA", "SWTH",
         "HAFL", "WETA", "BHGB", "GCKI", "WAVI", "MGWA", "STJA", "CONI"]
ROOT = "mlsp_contest_dataset"


def _names(rng: np.random.Generator, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        site = int(rng.integers(1, 19))
        day = f"2009{int(rng.integers(5, 9)):02d}{int(rng.integers(1, 29)):02d}"
        name = (f"PC{site}_{day}_{int(rng.integers(0, 24)):02d}{int(rng.integers(0, 60)):02d}00_"
                f"{int(rng.integers(1, 100)) * 10:04d}")
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _floats(values) -> str:
    return ",".join(f"{v:f}" for v in values)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    n = N_FOLD0 + N_FOLD1
    folds = np.zeros(n, dtype=int)
    folds[rng.choice(n, N_FOLD1, replace=False)] = 1
    names = _names(rng, n)
    ess, sup = f"{ROOT}/essential_data", f"{ROOT}/supplemental_data"
    files: dict[str, bytes | str | pd.DataFrame] = {f"{ROOT}/": b"", f"{ess}/": b"", f"{sup}/": b""}
    files[f"{ROOT}/README.txt"] = "Synthetic copy of the MLSP 2013 bird challenge dataset.\n"
    files[f"{ess}/CVfolds_2.txt"] = pd.DataFrame({"rec_id": range(n), "fold": folds})
    files[f"{ess}/rec_id2filename.txt"] = pd.DataFrame({"rec_id": range(n), "filename": names})
    label_lines = ["rec_id,[labels]"]
    for rec, fold in enumerate(folds):
        if fold == 1:
            label_lines.append(f"{rec},?")
            continue
        species = sorted(rng.choice(N_SPECIES, int(rng.choice([0, 1, 1, 2, 3])), replace=False))
        label_lines.append(",".join([str(rec), *map(str, species)]))
    files[f"{ess}/rec_labels_test_hidden.txt"] = "\n".join(label_lines) + "\n"
    files[f"{ess}/species_list.txt"] = "class_id,code,species\n" + "".join(
        f"{i},{code},Species {code.title()}\n" for i, code in enumerate(CODES))
    test_recs = np.flatnonzero(folds == 1)
    files[f"{ess}/sample_submission.csv"] = pd.DataFrame({
        "rec_id": np.repeat(test_recs, N_SPECIES), "species": np.tile(range(N_SPECIES), len(test_recs)),
        "probability": 0.5})
    files[f"{ess}/src_wavs/"] = b""
    for name in names:
        files[f"{ess}/src_wavs/{name}.wav"] = wav_bytes(tone(rng, 160), rate=16000)

    examples = set(rng.choice(np.flatnonzero(folds == 0), 20, replace=False).tolist())
    for folder in ["filtered_spectrograms", "segmentation_examples", "spectrograms", "supervised_segmentation"]:
        files[f"{sup}/{folder}/"] = b""
    for rec, name in enumerate(names):
        files[f"{sup}/filtered_spectrograms/{name}.bmp"] = image_bytes(rng, (16, 8), "BMP", mode="L")
        if rec in examples:
            files[f"{sup}/segmentation_examples/{name}.bmp"] = image_bytes(rng, (16, 8), "BMP")
        files[f"{sup}/spectrograms/{name}.bmp"] = image_bytes(rng, (16, 8), "BMP", mode="L")
        files[f"{sup}/supervised_segmentation/{name}.bmp"] = image_bytes(rng, (16, 8), "BMP")
    files[f"{sup}/segment_clusters.bmp"] = image_bytes(rng, (24, 12), "BMP")
    files[f"{sup}/segment_mosaic.bmp"] = image_bytes(rng, (24, 12), "BMP")

    hist = ["rec_id,[histogram of segment features]"]
    feats = ["rec_id,segment_id,[feature vector]"]
    rects = ["rec_id,segment_id,min_x,max_x,min_y,max_y,"]
    for rec in range(n):
        n_seg = int(rng.choice([0, 0, 1, 2, 3]))
        h = np.zeros(100)
        for seg in range(n_seg):
            h[int(rng.integers(0, 100))] += 1
            feats.append(f"{rec},{seg}," + _floats(rng.random(38)))
            x0, y0 = int(rng.integers(0, 1200)), int(rng.integers(0, 240))
            rects.append(f"{rec},{seg},{x0},{x0 + int(rng.integers(3, 40))},{y0},"
                         f"{min(255, y0 + int(rng.integers(3, 30)))},")
        hist.append(f"{rec}," + _floats(h / max(1, n_seg)))
    files[f"{sup}/histogram_of_segments.txt"] = "\n".join(hist) + "\n"
    files[f"{sup}/segment_features.txt"] = "\n".join(feats) + "\n"
    files[f"{sup}/segment_rectangles.txt"] = "\n".join(rects) + "\n"

    return write_zip(out_dir / "mlsp-2013-birds.zip", {
        "mlsp13birdchallenge_documentation.pdf": b"%PDF-1.4\n% synthetic placeholder\n%%EOF\n",
        "mlsp_contest_dataset.zip": zip_bytes(files),
    })
