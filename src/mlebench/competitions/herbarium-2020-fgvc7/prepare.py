"""Split nybg2020/train per category (in order of first appearance): a category with one image stays
in train; with 2-4 images its last max(1, int(0.2 n)) go to test; otherwise `train_test_split`
(test_size=0.2, random_state=0). Train keeps its metadata and image paths (grouped by category);
the test images are shuffled (`random.Random(0)`), renamed by position to images/<i // 1000:03d>/<i>.jpg
with string ids "0", "1", ..., and their categories become private/answers.csv. The metadata is
read as latin-1 and written with json indent=4, sorted keys (as the reference does)."""

import json
import random
from pathlib import Path

import pandas as pd

from mlebench.competitions._kit.tables import split_category
from mlebench.data.files import place_files

TEST_SIZE = 0.2


def prepare(raw: Path, public: Path, private: Path) -> None:
    src = raw / "nybg2020" / "train"
    with open(src / "metadata.json", encoding="latin-1") as f:  # as the reference reads it
        meta = json.load(f)

    by_category: dict[int, list[tuple[dict, dict]]] = {}
    for annotation, image in zip(meta["annotations"], meta["images"], strict=True):
        assert annotation["image_id"] == image["id"], (annotation["image_id"], image["id"])
        by_category.setdefault(annotation["category_id"], []).append((annotation, image))
    splits = {cat: split_category(items, TEST_SIZE) for cat, items in by_category.items()}

    train_dir = public / "nybg2020" / "train"
    train_pairs = [pair for train, _ in splits.values() for pair in train]
    for cat in splits:
        (train_dir / "images" / f"{cat // 100:03d}" / f"{cat % 100:02d}").mkdir(parents=True, exist_ok=True)
    train_meta = {**meta, "annotations": [dict(a) for a, _ in train_pairs], "images": [dict(i) for _, i in train_pairs]}
    place_files([(src / i["file_name"], train_dir / i["file_name"]) for _, i in train_pairs])
    with open(train_dir / "metadata.json", "w") as f:
        json.dump(train_meta, f, indent=4, sort_keys=True)

    test_pairs = [pair for _, test in splits.values() for pair in test]
    random.Random(0).shuffle(test_pairs)
    test_dir = public / "nybg2020" / "test"
    test_images, rows, copies = [], [], []
    for idx, (annotation, image) in enumerate(test_pairs):
        file_name = f"images/{idx // 1000:03d}/{idx}.jpg"
        test_images.append({**image, "id": str(idx), "file_name": file_name})
        rows.append({"Id": str(idx), "Predicted": annotation["category_id"]})
        copies.append((src / image["file_name"], test_dir / file_name))
    place_files(copies)
    test_dir.mkdir(parents=True, exist_ok=True)
    public_test = {"images": test_images, "info": meta["info"], "licenses": meta["licenses"]}
    with open(test_dir / "metadata.json", "w") as f:
        json.dump(public_test, f, indent=4, sort_keys=True)

    answers = pd.DataFrame(rows, columns=["Id", "Predicted"])
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(Predicted=0).to_csv(public / "sample_submission.csv", index=False)

    assert len(train_pairs) + len(test_pairs) == len(meta["annotations"])
