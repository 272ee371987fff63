"""Split Kaggle's train2019.json per category: categories with one image stay in train, those with
2-4 images put their last image in test, larger ones use `train_test_split(test_size=0.12,
random_state=0)`. Test images are shuffled (`random.Random(0)`) and renamed `test2019/<name>.jpg`.
Writes train2019.json / test2019.json (indent 4, sorted keys), copies val2019.json, and the answers
(`id`, `predicted`); the sample submission repeats `random.Random(42).randint(0, 1009)` (one value).

Images go straight from train_val2019.tar.gz (read once as a stream) into two uncompressed tarballs
named like the reference's, public/train_val2019.tar.gz (members `<kingdom>/<category>/<name>.jpg`)
and public/test2019.tar.gz (members `<name>.jpg`): no extraction to disk."""

import json
import random
import tarfile
from pathlib import Path

import pandas as pd

from mlebench.competitions._kit.tables import split_category
from mlebench.data.files import link_or_copy

TEST_SIZE = 0.12


def _write_tars(raw: Path, public: Path, targets: dict[str, tuple[str, str]]) -> None:
    """`targets`: source member name (`train_val2019/...`) -> ("train" | "test", name in tarball)."""
    outs = {"train": tarfile.open(public / "train_val2019.tar.gz", "w"),
            "test": tarfile.open(public / "test2019.tar.gz", "w")}
    done: set[str] = set()
    try:
        extracted = raw / "train_val2019"
        if extracted.is_dir():
            for src, (side, arcname) in targets.items():
                outs[side].add(raw / src, arcname=arcname)
                done.add(src)
        else:
            with tarfile.open(raw / "train_val2019.tar.gz", "r|gz") as source:
                for member in source:
                    name = member.name.removeprefix("./")
                    if not member.isfile() or name not in targets or name in done:
                        continue
                    side, arcname = targets[name]
                    info = tarfile.TarInfo(arcname)
                    info.size, info.mtime, info.mode = member.size, member.mtime, 0o644
                    outs[side].addfile(info, source.extractfile(member))
                    done.add(name)
    finally:
        for out in outs.values():
            out.close()
    missing = set(targets) - done
    assert not missing, f"{len(missing)} images missing from train_val2019, e.g. {sorted(missing)[:3]}"


def prepare(raw: Path, public: Path, private: Path) -> None:
    with open(raw / "train2019.json", encoding="utf-8") as f:
        meta = json.load(f)

    by_category: dict[int, list] = {}
    for annotation, image in zip(meta["annotations"], meta["images"], strict=False):
        assert annotation["image_id"] == image["id"], (annotation["image_id"], image["id"])
        by_category.setdefault(annotation["category_id"], []).append((annotation, image))
    train_parts, test_parts = {}, {}
    for category, items in by_category.items():
        train_parts[category], test_parts[category] = split_category(items, TEST_SIZE)
    train_items = [item for items in train_parts.values() for item in items]
    test_items = [item for items in test_parts.values() for item in items]
    random.Random(0).shuffle(test_items)

    new_train = {**meta, "annotations": [a.copy() for a, _ in train_items], "images": [i.copy() for _, i in train_items]}
    with open(public / "train2019.json", "w") as f:
        json.dump(new_train, f, indent=4, sort_keys=True)
    link_or_copy(raw / "val2019.json", public / "val2019.json")

    test_images = [{**image, "file_name": "test2019/" + image["file_name"].split("/")[-1]} for _, image in test_items]
    public_test = {k: v for k, v in meta.items() if k not in ("categories", "annotations")}
    public_test["images"] = test_images
    assert public_test.keys() == {"images", "info", "licenses"}, sorted(public_test)
    with open(public / "test2019.json", "w") as f:
        json.dump(public_test, f, indent=4, sort_keys=True)

    answers = pd.DataFrame({"id": [image["id"] for image in test_images],
                            "predicted": [a["category_id"] for a, _ in test_items]})
    answers.to_csv(private / "answers.csv", index=False)
    sample = answers.copy()
    sample["predicted"] = [random.Random(42).randint(0, 1009) for _ in range(len(sample))]
    sample.to_csv(public / "kaggle_sample_submission.csv", index=False)

    targets = {image["file_name"]: ("train", image["file_name"].removeprefix("train_val2019/")) for _, image in train_items}
    for (_, old), new in zip(test_items, test_images, strict=True):
        targets[old["file_name"]] = ("test", new["file_name"].removeprefix("test2019/"))
    assert len(targets) == len(train_items) + len(test_items), "image file names are not unique"
    _write_tars(raw, public, targets)
    assert len(train_items) + len(test_items) == len(meta["annotations"])
