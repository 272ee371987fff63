"""Hold out 10% of Kaggle's training plays (split by `game_play`, seed 0) as the test set.

Every per-play table (labels, helmet boxes, tracking, video metadata) and the three videos of each
play follow their play into the new train or test side; the held-out labels become the answers.
"""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy

VIEWS = ("All29", "Endzone", "Sideline")
TABLES = ("baseline_helmets", "player_tracking", "video_metadata")


def prepare(raw: Path, public: Path, private: Path) -> None:
    # Plain pandas parsing (not round-trip floats), as the reference does, so rewritten floats match.
    labels = pd.read_csv(raw / "train_labels.csv")
    plays = labels["game_play"].unique()
    train_plays, test_plays = train_test_split(plays, test_size=0.1, random_state=0)

    train_labels = labels[labels["game_play"].isin(train_plays)]
    test_labels = labels[labels["game_play"].isin(test_plays)]
    assert set(train_labels["contact_id"]).isdisjoint(test_labels["contact_id"])
    train_labels.to_csv(public / "train_labels.csv", index=False)
    test_labels.to_csv(private / "test.csv", index=False)

    for name in TABLES:
        table = pd.read_csv(raw / f"train_{name}.csv")
        table[table["game_play"].isin(train_plays)].to_csv(public / f"train_{name}.csv", index=False)
        table[table["game_play"].isin(test_plays)].to_csv(public / f"test_{name}.csv", index=False)

    for side, side_labels in (("train", train_labels), ("test", test_labels)):
        (public / side).mkdir(exist_ok=True)
        side_plays = side_labels["game_play"].unique()
        for view in VIEWS:
            for play in side_plays:
                name = f"{play}_{view}.mp4"
                link_or_copy(raw / "train" / name, public / side / name)
        found = len(list((public / side).glob("*.mp4")))
        assert found == 3 * len(side_plays), f"{side}: expected {3 * len(side_plays)} videos, found {found}"

    pd.DataFrame({"contact_id": test_labels["contact_id"], "contact": 0}).to_csv(
        public / "sample_submission.csv", index=False
    )
