"""Split by TFRecord shard: the 16 training shards are divided 90/10 (scikit-learn
`train_test_split`, `random_state=0`, on the sorted shard paths); the images named inside the test
shards form the test set. Shards are renamed ld_train{i:02d}-{count}.tfrec / ld_test{i:02d}-{count}.tfrec
in split order; images are hard-linked into public/train_images and public/test_images."""

from pathlib import Path

from sklearn.model_selection import train_test_split

from mlebench.data.files import link_or_copy, place_files
from mlebench.data.tfrecord import ids_from_tfrecord
from mlebench.tables import read_csv


def prepare(raw: Path, public: Path, private: Path) -> None:
    shards = sorted(p for p in (raw / "train_tfrecords").iterdir() if p.is_file() and p.suffix == ".tfrec")
    train_shards, test_shards = train_test_split(shards, test_size=0.1, random_state=0)
    test_ids = {name for shard in test_shards for name in ids_from_tfrecord(shard)}

    labels = read_csv(raw / "train.csv")
    is_test = labels["image_id"].isin(test_ids)
    train, test = labels[~is_test], labels[is_test]
    sample = test.assign(label=4)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    pairs = []
    for kind, group in (("train", train_shards), ("test", test_shards)):
        (public / f"{kind}_tfrecords").mkdir(exist_ok=True)
        for i, shard in enumerate(group):
            count = shard.stem.split("-")[1]
            pairs.append((shard, public / f"{kind}_tfrecords" / f"ld_{kind}{i:02d}-{count}.tfrec"))
    (public / "train_images").mkdir(exist_ok=True)
    (public / "test_images").mkdir(exist_ok=True)
    pairs += [(raw / "train_images" / i, public / "train_images" / i) for i in train["image_id"]]
    pairs += [(raw / "train_images" / i, public / "test_images" / i) for i in test["image_id"]]
    place_files(pairs)
    link_or_copy(raw / "label_num_to_disease_map.json", public / "label_num_to_disease_map.json")

    assert len(train) + len(test) == len(labels)
    assert set(train["image_id"]).isdisjoint(test["image_id"])
