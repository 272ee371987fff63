"""Synthetic `siim-covid19-detection.zip`, laid out as Kaggle ships it:

- `train_study_level.csv`: `id` (`<12 hex>_study`) and the four one-hot columns `Negative for
  Pneumonia, Typical Appearance, Indeterminate Appearance, Atypical Appearance`;
- `train_image_level.csv`: `id` (`<12 hex>_image`), `boxes` (a Python-repr list of
  `{'x', 'y', 'width', 'height'}` dicts, empty without opacity), `label` (`opacity 1 x_min y_min
  x_max y_max ...` or `none 1 0 0 1 1`) and `StudyInstanceUID` (the study's 12-hex id);
- `train/<study>/<series>/<image>.dcm` and `test/<study>/<series>/<image>.dcm`: tiny DICOM files
  whose Study/Series/SOP Instance UID tags are those 12-hex ids;
- `sample_submission.csv`: `id,PredictionString` for the test studies (`negative 1 0 0 1 1`) then
  the test images (`none 1 0 0 1 1`).

Some studies hold two images (in one or two series), as in the real data; box coordinates use the
radiographs' real pixel range (about 0-4000) with 5 decimals.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.dicom import dicom_bytes

N_TRAIN_STUDIES, N_TEST_STUDIES = 80, 6
STUDY_COLUMNS = ["Negative for Pneumonia", "Typical Appearance", "Indeterminate Appearance",
                 "Atypical Appearance"]
STUDY_PROBS = [0.28, 0.47, 0.17, 0.08]


def _hex_ids(rng: np.random.Generator, n: int, used: set[str]) -> list[str]:
    ids: list[str] = []
    while len(ids) < n:
        candidate = "".join(rng.choice(list("0123456789abcdef"), 12))
        if candidate not in used:
            used.add(candidate)
            ids.append(candidate)
    return ids


def _num(value: float) -> float:
    return round(float(value), 5)


def _opacity(rng: np.random.Generator) -> tuple[str, str]:
    """(`boxes`, `label`) cells for an image with 1-3 opacities."""
    boxes, label = [], []
    for _ in range(int(rng.integers(1, 4))):
        x, y = _num(rng.uniform(100, 2600)), _num(rng.uniform(100, 1800))
        w, h = _num(rng.uniform(150, 1300)), _num(rng.uniform(200, 1900))
        boxes.append({"x": x, "y": y, "width": w, "height": h})
        label.append(f"opacity 1 {x} {y} {_num(x + w)} {_num(y + h)}")
    return str(boxes), " ".join(label)


def _studies(rng: np.random.Generator, n: int, used: set[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """`n` studies, each `(study, [(series, image), ...])` with one or two images."""
    out = []
    for study in _hex_ids(rng, n, used):
        n_images = 2 if rng.random() < 0.15 else 1
        series = _hex_ids(rng, 1 if rng.random() < 0.5 else n_images, used)
        images = _hex_ids(rng, n_images, used)
        out.append((study, [(series[min(i, len(series) - 1)], image) for i, image in enumerate(images)]))
    return out


def _dicoms(rng: np.random.Generator, folder: str, studies, files: dict) -> None:
    for study, members in studies:
        for series, image in members:
            files[f"{folder}/{study}/{series}/{image}.dcm"] = dicom_bytes(
                rng, sop_instance_uid=image, study_instance_uid=study, series_instance_uid=series,
                patient_id="".join(rng.choice(list("0123456789abcdef"), 12)),
                size=(16, 12), photometric=str(rng.choice(["MONOCHROME1", "MONOCHROME2"])),
            )


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    used: set[str] = set()
    train = _studies(rng, N_TRAIN_STUDIES, used)
    test = _studies(rng, N_TEST_STUDIES, used)

    study_rows, image_rows = [], []
    for study, members in train:
        kind = int(rng.choice(4, p=STUDY_PROBS))
        study_rows.append({"id": f"{study}_study", **{c: int(i == kind) for i, c in enumerate(STUDY_COLUMNS)}})
        for _, image in members:
            if kind != 0 and rng.random() < 0.8:
                boxes, label = _opacity(rng)
            else:
                boxes, label = np.nan, "none 1 0 0 1 1"
            image_rows.append({"id": f"{image}_image", "boxes": boxes, "label": label,
                               "StudyInstanceUID": study})
    order = rng.permutation(len(image_rows))
    train_study = pd.DataFrame(study_rows)
    train_image = pd.DataFrame([image_rows[i] for i in order])
    sample = pd.DataFrame(
        [{"id": f"{s}_study", "PredictionString": "negative 1 0 0 1 1"} for s, _ in test]
        + [{"id": f"{im}_image", "PredictionString": "none 1 0 0 1 1"} for _, ms in test for _, im in ms]
    )

    files: dict = {"sample_submission.csv": sample}
    _dicoms(rng, "test", test, files)
    _dicoms(rng, "train", train, files)
    files["train_image_level.csv"] = train_image
    files["train_study_level.csv"] = train_study
    return write_zip(out_dir / "siim-covid19-detection.zip", files)
