"""Kaggle's test labels are hidden, so only Kaggle's training fold (fold 0 of `CVfolds_2.txt`) is
kept: 20% of it (`DataFrame.sample(frac=0.2, random_state=0)`) becomes the new test fold (fold 1).
Recordings are renumbered 0..n-1 in their original order, in every text file that has a rec_id;
test labels become `?` publicly and are written privately as one row per (recording, species)
with `Id = rec_id * 100 + species`. Media of the kept recordings are copied unchanged."""

import shutil
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from mlebench.tables import read_csv

N_SPECIES = 19
SUPPLEMENTAL_FOLDERS = ["filtered_spectrograms", "segmentation_examples", "spectrograms", "supervised_segmentation"]
# The reference writes this header on all three renumbered supplemental files (a known defect for
# segment_features.txt and segment_rectangles.txt, whose own headers are lost).
FILTERED_HEADER = "rec_id,[histogram of segment features]"


def _renumber_lines(src: Path, dst: Path, new_id: dict[int, int]) -> None:
    rows = src.read_text().splitlines()[1:]
    with open(dst, "w") as f:
        f.write(FILTERED_HEADER + "\n")
        for row in rows:
            first, _, rest = row.partition(",")
            if int(first) in new_id:
                f.write(f"{new_id[int(first)]},{rest}\n")


def _prepare_from(data: Path, public: Path, private: Path) -> None:
    ess, sup = data / "essential_data", data / "supplemental_data"
    pub_ess, pub_sup = public / "essential_data", public / "supplemental_data"
    pub_ess.mkdir(exist_ok=True)
    pub_sup.mkdir(exist_ok=True)

    folds = read_csv(ess / "CVfolds_2.txt")
    folds = folds[folds["fold"] == 0].reset_index(drop=True)
    folds.loc[folds.sample(frac=0.2, random_state=0).index, "fold"] = 1
    new_id = {int(old): new for new, old in enumerate(folds["rec_id"].values)}
    folds["rec_id"] = folds.index
    folds.to_csv(pub_ess / "CVfolds_2.txt", index=False)
    test_ids = set(folds.loc[folds["fold"] == 1, "rec_id"].tolist())

    filenames = read_csv(ess / "rec_id2filename.txt")
    filenames = filenames[filenames["rec_id"].isin(new_id.keys())]
    filenames["rec_id"] = filenames["rec_id"].map(new_id)
    filenames.to_csv(pub_ess / "rec_id2filename.txt", index=False)

    labels: list[tuple[int, str]] = []
    for row in (ess / "rec_labels_test_hidden.txt").read_text().splitlines()[1:]:
        first, _, rest = row.partition(",")
        if int(first) in new_id:
            labels.append((new_id[int(first)], rest))

    answer_ids, answer_values = [], []
    with open(pub_ess / "rec_labels_test_hidden.txt", "w") as f:
        f.write("rec_id,[labels]\n")
        for rec, rest in labels:
            if rec in test_ids:
                f.write(f"{rec},?\n")
                present = {int(s) for s in rest.split(",") if s != ""}
                for species in range(N_SPECIES):
                    answer_ids.append(rec * 100 + species)
                    answer_values.append(int(species in present))
            else:
                f.write(f"{rec},{rest}\n" if rest else f"{rec}\n")
    pd.DataFrame({"Id": answer_ids, "Probability": answer_values}).to_csv(
        private / "answers.csv", index=False)

    test_order = folds.loc[folds["fold"] == 1, "rec_id"].tolist()
    pd.DataFrame({
        "Id": [rec * 100 + species for rec in test_order for species in range(N_SPECIES)],
        "Probability": 0,
    }).to_csv(public / "sample_submission.csv", index=False)

    shutil.copyfile(ess / "species_list.txt", pub_ess / "species_list.txt")
    (pub_ess / "src_wavs").mkdir(exist_ok=True)
    for folder in SUPPLEMENTAL_FOLDERS:
        (pub_sup / folder).mkdir(exist_ok=True)
    for name in filenames["filename"]:
        shutil.copyfile(ess / "src_wavs" / f"{name}.wav", pub_ess / "src_wavs" / f"{name}.wav")
        for folder in SUPPLEMENTAL_FOLDERS:
            src = sup / folder / f"{name}.bmp"
            if folder == "segmentation_examples" and not src.exists():
                continue  # only a few recordings have a hand-drawn example
            shutil.copyfile(src, pub_sup / folder / f"{name}.bmp")
    for name in ["segment_clusters.bmp", "segment_mosaic.bmp"]:
        shutil.copyfile(sup / name, pub_sup / name)
    for name in ["histogram_of_segments.txt", "segment_features.txt", "segment_rectangles.txt"]:
        _renumber_lines(sup / name, pub_sup / name, new_id)


def prepare(raw: Path, public: Path, private: Path) -> None:
    archive = raw / "mlsp_contest_dataset.zip"
    if not archive.is_file():  # an already extracted download
        _prepare_from(raw / "mlsp_contest_dataset", public, private)
        return
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp)
        _prepare_from(Path(tmp) / "mlsp_contest_dataset", public, private)
