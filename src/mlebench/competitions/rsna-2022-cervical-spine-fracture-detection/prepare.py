"""Keep 10% of Kaggle's training studies as the new train set and hold out the other 90% as the
test set (Kaggle's own test labels are private; its test set has only three placeholder studies).

The new train set keeps the original's mix of annotations: 10% (rounded) of the studies with
bounding boxes, of those with segmentations and of those with both are drawn first, then the
rest is filled with other studies. All draws use `random.Random(0)`, in the reference's order.
The test studies are scored in long format, one row per (study, target): `<StudyInstanceUID>_<target>`
for targets patient_overall and C1..C7."""

from __future__ import annotations

import random
from pathlib import Path

from mlebench.data.files import link_or_copy, link_tree
from mlebench.tables import read_csv

TRAIN_SHARE = 0.1
TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]


def _split(train_uids: list[str], boxed: list[str], segmented: list[str]) -> tuple[list, list, list]:
    """(new train studies, studies whose boxes are kept, studies whose masks are kept)."""
    rng = random.Random(0)
    n_train = round(len(train_uids) * TRAIN_SHARE)
    segmented_set = set(segmented)
    both = [uid for uid in boxed if uid in segmented_set]
    both_set = set(both)

    kept_both = rng.sample(both, round(len(both) * TRAIN_SHARE))
    n_more_segmented = round(len(segmented) * TRAIN_SHARE) - len(kept_both)
    more_segmented = rng.sample([uid for uid in segmented if uid not in both_set], n_more_segmented)
    n_more_boxed = round(len(boxed) * TRAIN_SHARE) - len(kept_both)
    more_boxed = rng.sample([uid for uid in boxed if uid not in both_set], n_more_boxed)

    chosen = kept_both + more_segmented + more_boxed
    chosen_set = set(chosen)
    chosen += rng.sample([uid for uid in train_uids if uid not in chosen_set], n_train - len(chosen))
    return chosen, kept_both + more_boxed, kept_both + more_segmented


def prepare(raw: Path, public: Path, private: Path) -> None:
    full = read_csv(raw / "train.csv")
    boxes = read_csv(raw / "train_bounding_boxes.csv")
    boxed = sorted(boxes["StudyInstanceUID"].unique())
    segmented = sorted(p.stem for p in (raw / "segmentations").glob("*.nii"))

    chosen, kept_boxed, kept_segmented = _split(list(full["StudyInstanceUID"]), boxed, segmented)
    in_train = full["StudyInstanceUID"].isin(chosen)
    train, held_out = full[in_train], full[~in_train]
    assert list(train.columns) == ["StudyInstanceUID", *TARGETS], "unexpected train.csv columns"
    assert len(train) == len(chosen), "a chosen study is missing from train.csv"

    answers = held_out.melt(id_vars="StudyInstanceUID", var_name="prediction_type", value_name="fractured")
    answers["row_id"] = answers["StudyInstanceUID"] + "_" + answers["prediction_type"]
    assert len(answers) == held_out["StudyInstanceUID"].nunique() * len(TARGETS)
    assert set(train["StudyInstanceUID"]).isdisjoint(held_out["StudyInstanceUID"])

    sample = answers[["row_id", "fractured"]].copy()
    sample["fractured"] = 0.5
    public_test = answers.drop(columns=["fractured"])

    train.to_csv(public / "train.csv", index=False)
    boxes[boxes["StudyInstanceUID"].isin(kept_boxed)].to_csv(public / "train_bounding_boxes.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)
    public_test.to_csv(public / "test.csv", index=False)

    (public / "segmentations").mkdir(exist_ok=True)
    for uid in kept_segmented:
        link_or_copy(raw / "segmentations" / f"{uid}.nii", public / "segmentations" / f"{uid}.nii")
    for folder, uids in (("train_images", train["StudyInstanceUID"]),
                         ("test_images", held_out["StudyInstanceUID"].unique())):
        (public / folder).mkdir(exist_ok=True)
        for uid in uids:
            link_tree(raw / "train_images" / uid, public / folder / uid)
    assert len(list((public / "test_images").iterdir())) == held_out["StudyInstanceUID"].nunique()
