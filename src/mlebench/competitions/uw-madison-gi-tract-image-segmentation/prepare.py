"""Split Kaggle's train.csv by patient case (`train_test_split` of the unique cases, 10% to test,
seed 42); then, in every train case with more than four scan days, the days after the fourth
(numerically) move to test too. The case/day scan folders are hard-linked into public/train or
public/test accordingly. The answers keep the masks (renamed `predicted`) and each slice's image
width and height, read from its file name (`slice_<n>_<width>_<height>_<dx>_<dy>.png`)."""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv

DAYS_KEPT_IN_TRAIN = 4


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_csv(raw / "train.csv")
    parts = labels["id"].str.split("_")
    case, day, slice_no = parts.str[0], parts.str[1], parts.str[-1]

    cases = case.unique()
    _, test_cases = train_test_split(cases, test_size=0.1, random_state=42)
    in_test = case.isin(test_cases)
    # Later days of train cases: all but the first four days (ordered by day number) go to test.
    moved: set[tuple[str, str]] = set()
    for c, days in day[~in_test].groupby(case[~in_test]):
        ordered = sorted(set(days), key=lambda d: int(d[len("day"):]))
        moved.update((c, d) for d in ordered[DAYS_KEPT_IN_TRAIN:])
    in_test |= pd.Series(list(zip(case, day, strict=True)), index=labels.index).isin(moved)

    source = raw / "train"
    test_case_set = set(test_cases)
    pairs = []
    for c in cases:
        for path in sorted(p for p in (source / c).rglob("*") if p.is_file()):
            relative = path.relative_to(source)
            day_folder = relative.parts[1] if len(relative.parts) > 2 else None
            to_test = c in test_case_set or (
                day_folder is not None and (c, day_folder.removeprefix(f"{c}_")) in moved
            )
            pairs.append((path, public / ("test" if to_test else "train") / relative))
    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    place_files(pairs)

    train = labels[~in_test].copy()
    test = labels[in_test].copy()
    sizes = []
    listed: dict[tuple[str, str], list[str]] = {}  # each scan folder's png stems, listed once
    for c, d, s in zip(case[in_test], day[in_test], slice_no[in_test], strict=True):
        if (c, d) not in listed:
            listed[(c, d)] = [p.stem for p in (source / c / f"{c}_{d}" / "scans").glob("*.png")]
        found = [stem for stem in listed[(c, d)] if stem.startswith(f"slice_{s}_")]
        if len(found) != 1:
            raise FileNotFoundError(f"Expected one image for {c}_{d} slice {s}, found {len(found)}.")
        width, height = found[0].split("_")[2:4]
        sizes.append((float(width), float(height)))
    test["image_width"] = [w for w, _ in sizes]
    test["image_height"] = [h for _, h in sizes]
    test = test.rename(columns={"segmentation": "predicted"})

    sample = test[["id", "class"]].assign(predicted="1 1 5 2")
    sample.to_csv(public / "sample_submission.csv", index=False, na_rep="")
    test.to_csv(private / "test.csv", index=False, na_rep="")
    train.to_csv(public / "train.csv", index=False, na_rep="")
    test[["id", "class"]].to_csv(public / "test.csv", index=False, na_rep="")
