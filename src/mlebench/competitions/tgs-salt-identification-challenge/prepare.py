"""Hold out 25% of Kaggle's 4,000 labelled images (scikit-learn `train_test_split`,
`random_state=0`) as the test set; CSVs are sorted by id. As in the reference, public/depths.csv
keeps only the new training images' depths (the test images' depths are dropped). Images and masks
are read from `competition_data.zip`, unpacked into a scratch folder, and hard-linked."""

import tempfile
import zipfile
from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import place_files
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="tgs-", dir=public.parent) as tmp:
        with zipfile.ZipFile(raw / "competition_data.zip") as zf:
            zf.extractall(tmp)
        data = Path(tmp) / "competition_data"
        labels = read_csv(data / "train.csv").fillna("")
        train, test = train_test_split(labels, test_size=0.25, random_state=0)
        assert set(train["id"]).isdisjoint(test["id"])
        images = {p.stem: p for p in (data / "train" / "images").glob("*.png")}
        assert len(images) == len(labels), "train.csv and train/images disagree"

        pairs = []
        for i in train["id"]:
            pairs.append((images[i], public / "train" / "images" / f"{i}.png"))
            pairs.append(
                (data / "train" / "masks" / f"{i}.png", public / "train" / "masks" / f"{i}.png")
            )
        pairs += [(images[i], public / "test" / "images" / f"{i}.png") for i in test["id"]]
        place_files(pairs)

    train.sort_values(by="id").to_csv(public / "train.csv", index=False)
    test = test.sort_values(by="id")
    test.to_csv(private / "test.csv", index=False)
    test.assign(rle_mask="1 1").to_csv(public / "sample_submission.csv", index=False)
    depths = read_csv(raw / "depths.csv")
    depths[depths["id"].isin(set(train["id"]))].sort_values(by="id").to_csv(
        public / "depths.csv", index=False
    )
