"""Per-category split of Kaggle's training specimens so that every category with two or more
specimens reaches the test set: a category of one stays in train; of two to four, its last
`max(1, int(0.2 n))` specimens go to test; of five or more, scikit-learn `train_test_split`
(`test_size=0.2`, `random_state=0`). Train specimens keep their ids and paths; test specimens are
shuffled together (`random.Random(0)`) and renamed `<i>` / `images/<i // 1000:03d>/<i>.jpg`.
Images are hard-linked."""

import json
import random
from pathlib import Path

import pandas as pd

from mlebench.competitions._kit.tables import split_category
from mlebench.data.files import place_files


def prepare(raw: Path, public: Path, private: Path) -> None:
    metadata = json.loads((raw / "train" / "metadata.json").read_text(encoding="utf-8"))
    by_category: dict[int, list[tuple[dict, dict]]] = {}
    for annotation, image in zip(metadata["annotations"], metadata["images"], strict=False):
        assert annotation["image_id"] == image["id"], "annotations and images are out of step"
        by_category.setdefault(annotation["category_id"], []).append((annotation, image))

    pairs = []
    train_annotations, train_images, held_out = [], [], []
    for items in by_category.values():
        train, test = split_category(items, 0.2)
        held_out += test
        for annotation, image in train:
            train_annotations.append(dict(annotation))
            train_images.append(dict(image))
            name = image["file_name"]
            pairs.append((raw / "train" / name, public / "train" / name))

    random.Random(0).shuffle(held_out)
    test_images, rows = [], []
    for i, (annotation, image) in enumerate(held_out):
        name = f"images/{i // 1000:03d}/{i}.jpg"
        test_images.append({**image, "id": str(i), "file_name": name})
        rows.append({"Id": str(i), "Predicted": annotation["category_id"]})
        pairs.append((raw / "train" / image["file_name"], public / "test" / name))
    place_files(pairs)

    train_meta = {**metadata, "annotations": train_annotations, "images": train_images}
    with open(public / "train" / "metadata.json", "w") as f:
        json.dump(train_meta, f, indent=4, sort_keys=True)
    test_meta = {k: v for k, v in metadata.items()
                 if k not in ("annotations", "categories", "institutions")}
    test_meta["images"] = test_images
    with open(public / "test" / "metadata.json", "w") as f:
        json.dump(test_meta, f, indent=4, sort_keys=True)

    answers = pd.DataFrame(rows)
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(Predicted=0).to_csv(public / "sample_submission.csv", index=False)
