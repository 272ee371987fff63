"""Hold out the drives of 10% of the collection dates (split by date, seed 0) as the test set.

Drives are copied whole into public/train or public/test; the test drives' ground_truth.csv files
become the answers (one row per phone and timestamp, `tripId` = `<drive>-<phone>`) and are deleted
from public/test. As in the reference implementation, everything else in a test drive is kept,
including supplemental/span_log.nmea (the reference receiver's track: a known leak; the `v2`
variant removes those files).
"""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_tree

ANSWER_COLUMNS = ["tripId", "UnixTimeMillis", "LatitudeDegrees", "LongitudeDegrees"]
# The sample submission's constant position (the reference's values).
SAMPLE_LAT, SAMPLE_LON = 37.904611315634504, -86.48107806249548


def drive_date(drive_id: str) -> str:
    """`2021-4-29-US-SJC-2` -> `2021-04-29` (drive ids start with the collection date)."""
    parts = drive_id.split("-")
    assert len(parts) >= 3 and all(p.isdigit() for p in parts[:3]), f"not a dated drive id: {drive_id}"
    year, month, day = parts[:3]
    return f"{year}-{month.zfill(2)}-{day.zfill(2)}"


def prepare(raw: Path, public: Path, private: Path) -> None:
    drives = sorted(p.name for p in (raw / "train").glob("*") if p.is_dir())
    dates = sorted({drive_date(d) for d in drives})
    train_dates, test_dates = train_test_split(dates, test_size=0.1, random_state=0)
    assert train_dates and test_dates, "need at least one train and one test date"
    train_drives = sorted(d for d in drives if drive_date(d) in train_dates)
    test_drives = sorted(d for d in drives if drive_date(d) in test_dates)

    for side, side_drives in (("train", train_drives), ("test", test_drives)):
        for drive in side_drives:
            link_tree(raw / "train" / drive, public / side / drive)

    answers = []
    for path in sorted((public / "test").rglob("ground_truth.csv")):
        # Plain pandas parsing (not round-trip floats), as the reference does, so rewritten floats match.
        truth = pd.read_csv(path)
        truth["tripId"] = f"{path.parent.parent.name}-{path.parent.name}"
        answers.append(truth[ANSWER_COLUMNS])
        path.unlink()
    test = pd.concat(answers, ignore_index=True)
    test.to_csv(private / "test.csv", index=False)

    link_tree(raw / "metadata", public / "metadata")

    sample = test.copy()
    sample["LatitudeDegrees"] = SAMPLE_LAT
    sample["LongitudeDegrees"] = SAMPLE_LON
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert sorted(p.name for p in (public / "test").iterdir()) == test_drives
    assert not list((public / "test").rglob("ground_truth.csv"))
