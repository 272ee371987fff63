"""Time and peak memory of our preparers on the largest Medium-split downloads, at a scale of their real size.

For one competition, writes a raw folder shaped like Kaggle's extracted download (the same files,
columns, dtypes and id formats as the competition's `fixture.py`), with every row / file count
multiplied by `--scale` (default 0.05 of the real size, which runs in a minute or two on a 2-core
machine), runs our `prepare` in a child process and prints its wall time, its peak RSS (the
child's own VmHWM high-water mark; its `ru_maxrss` is not used because
a spawned child's can include the parent's peak) and its throughput. Run it at two scales to see how memory grows: a
flat RSS means the preparer streams, a proportional one means it holds the data.

Real sizes (Kaggle's downloads), and what is scaled:

- h-and-m-personalized-fashion-recommendations: transactions_train.csv 31,788,324 rows
  (2018-09-20 .. 2020-09-22), 1,371,980 customers, 105,542 articles, 105,100 images. All scaled.
- icecube-neutrinos-in-deep-ice: train_meta.parquet 131,953,924 rows = 660 batches of ~200,000
  events; 660 pulse files train/batch_<n>.parquet (~1 GB each, 100+ GB). The number of batches is
  scaled (events per batch stay real); the pulse files are tiny stand-ins (the preparer only copies
  them, so their bytes cost disk time, not memory). train_meta is written with 1,048,576-row row
  groups (pyarrow's default; the real file's row grouping is an assumption).
- billion-word-imputation: train_v2.txt 30,301,028 lines (4.1 GB), shipped as train_v2.txt.zip.
  Lines scaled (a block of 100,000 generated sentences is repeated); the preparer stops at
  30,301,028 lines, so `--scale` > 1 is pointless.
- herbarium-2020-fgvc7: 1,030,747 train images, 32,093 categories, 138,292 test images.
- herbarium-2021-fgvc8: 2,257,759 train images, 64,500 categories, 243,020 test images.
- herbarium-2022-fgvc9: 839,772 train images, 15,501 categories, 210,407 test images.
  For the herbaria, images and categories are scaled (mean images per category stays real); the
  images are 100-byte stand-ins (the preparers hard-link them and never decode them).
- cdiscount-image-classification-challenge: train.bson 7,069,896 products (12.37M images, 58 GB),
  5,270 categories. Products scaled; each holds 1-4 100-byte stand-in pictures (the real ones
  average ~8 KB per product, so real passes cost more disk time, not more memory).

    .venv/bin/python benchmarks/bench_prepare_medium.py --competition billion-word-imputation --scale 0.05
    .venv/bin/python benchmarks/bench_prepare_medium.py --competition all --scale 0.02
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

RUN_PREPARE = """
import importlib, sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
prepare = importlib.import_module(f"mlebench.competitions.{sys.argv[1]}.prepare").prepare
prepare(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
# VmHWM is this process's own high-water mark; ru_maxrss can carry the spawning parent's peak.
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print("VMHWM_KIB", int(hwm.split()[1]))
"""

STUB_JPEG = b"\xff\xd8\xff\xe0" + bytes(92) + b"\xff\xd9"  # 100 bytes, never decoded


def _hex_ids(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    raw = rng.integers(0, 256, (n, nbytes), dtype=np.uint8)
    return np.array([bytes(r).hex() for r in raw])


def _write_stub_files(paths: list[Path]) -> None:
    made: set[Path] = set()
    for p in paths:
        if p.parent not in made:
            p.parent.mkdir(parents=True, exist_ok=True)
            made.add(p.parent)
        p.write_bytes(STUB_JPEG)


# --- h-and-m-personalized-fashion-recommendations --------------------------------------------------

def gen_hm(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n_tx, n_cust, n_art = (max(100, int(x * scale)) for x in (31_788_324, 1_371_980, 105_542))
    customers = np.sort(_hex_ids(rng, n_cust, 32))
    articles = np.unique(rng.integers(108_775_015, 959_461_001, 2 * n_art))[:n_art]
    article_ids = np.array([f"{a:010d}" for a in articles])
    pd.DataFrame({"article_id": article_ids, "product_code": [a[:7] for a in article_ids],
                  "prod_name": "Vest top", "detail_desc": "Soft jersey."}).to_csv(raw / "articles.csv", index=False)
    pd.DataFrame({"customer_id": customers, "FN": np.nan, "Active": np.nan, "club_member_status": "ACTIVE",
                  "fashion_news_frequency": "NONE", "age": 30.0,
                  "postal_code": _hex_ids(rng, n_cust, 32)}).to_csv(raw / "customers.csv", index=False)
    pd.DataFrame({"customer_id": customers, "prediction": " ".join(article_ids[:12])}).to_csv(
        raw / "sample_submission.csv", index=False)
    days = pd.date_range("2018-09-20", "2020-09-22", freq="D").strftime("%Y-%m-%d").to_numpy()
    day_of_row = np.sort(rng.integers(0, len(days), n_tx))
    block = 1_000_000
    with open(raw / "transactions_train.csv", "w") as f:
        for start in range(0, n_tx, block):
            k = min(block, n_tx - start)
            pd.DataFrame({
                "t_dat": days[day_of_row[start:start + k]],
                "customer_id": customers[rng.integers(0, n_cust, k)],
                "article_id": article_ids[rng.integers(0, n_art, k)],
                "price": rng.integers(5, 300, k) / 5900,
                "sales_channel_id": rng.choice([1, 2], k, p=[0.3, 0.7]),
            }).to_csv(f, index=False, header=start == 0)
    n_img = int(n_art * 105_100 / 105_542)
    _write_stub_files([raw / "images" / a[:3] / f"{a}.jpg" for a in article_ids[:n_img]])
    return n_tx, "transactions"


# --- icecube-neutrinos-in-deep-ice ----------------------------------------------------------------

def gen_icecube(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    from fastparquet import write

    n_batches = max(10, round(660 * scale))
    per_batch = 131_953_924 // 660
    n, next_event = n_batches * per_batch, 0
    for first in range(0, n_batches, 20):  # 20 batches (4M rows) at a time, appended as row groups
        batches = np.arange(first + 1, min(first + 20, n_batches) + 1, dtype=np.int64)
        k = len(batches) * per_batch
        counts = rng.integers(10, 80, k)
        last = np.cumsum(counts) - 1
        events = next_event + np.cumsum(rng.integers(1, 50, k)).astype(np.int64)
        next_event = int(events[-1])
        meta = pd.DataFrame({
            "batch_id": np.repeat(batches, per_batch),
            "event_id": events,
            "first_pulse_index": (last - counts + 1).astype(np.int64),
            "last_pulse_index": last.astype(np.int64),
            "azimuth": rng.uniform(0, 2 * np.pi, k),
            "zenith": np.arccos(rng.uniform(-1, 1, k)),
        })
        write(str(raw / "train_meta.parquet"), meta, row_group_offsets=1 << 20, compression="snappy",
              append=first > 0)
    del meta
    pd.DataFrame({"sensor_id": np.arange(5160), "x": 0.0, "y": 0.0, "z": 0.0}).to_csv(
        raw / "sensor_geometry.csv", index=False)
    pulses = pd.DataFrame({"sensor_id": np.arange(8, dtype=np.int16), "time": np.arange(8, dtype=np.int64),
                           "charge": np.ones(8, np.float32), "auxiliary": np.zeros(8, bool)},
                          index=pd.Index(np.arange(8), name="event_id"))
    (raw / "train").mkdir()
    write(str(raw / "train" / "batch_1.parquet"), pulses, compression="snappy")
    stub = (raw / "train" / "batch_1.parquet").read_bytes()
    for b in range(2, n_batches + 1):
        (raw / "train" / f"batch_{b}.parquet").write_bytes(stub)
    return n, "meta rows"


# --- billion-word-imputation ----------------------------------------------------------------------

def gen_billion_word(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n_lines = max(1000, int(30_301_028 * scale))
    vocab = np.array([f"w{i}" for i in range(5000)] + ["the", "of", ",", ".", '"', "'s", "--"])
    block = []
    for _ in range(100_000):
        words = vocab[rng.integers(0, len(vocab), int(rng.integers(2, 45)))]
        block.append(" ".join(words.tolist()) + " .\n")
    text = "".join(block)
    with zipfile.ZipFile(raw / "train_v2.txt.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            zf.open("train_v2.txt", "w", force_zip64=True) as member:
        data = text.encode()
        full, rest = divmod(n_lines, len(block))
        for _ in range(full):
            member.write(data)
        member.write("".join(block[:rest]).encode())
    with zipfile.ZipFile(raw / "test_v2.txt.zip", "w") as zf:
        zf.writestr("test_v2.txt", '"id","sentence"\n1,"A b ."\n')
    return n_lines, "lines"


# --- herbaria -------------------------------------------------------------------------------------

HERBARIA = {  # real train images, categories, test images
    "herbarium-2020-fgvc7": (1_030_747, 32_093, 138_292),
    "herbarium-2021-fgvc8": (2_257_759, 64_500, 243_020),
    "herbarium-2022-fgvc9": (839_772, 15_501, 210_407),
}
LICENSES = [{"id": 0, "name": "Public Domain Dedication", "url": "http://creativecommons.org/publicdomain/zero/1.0/"}]


def _category_sizes(rng: np.random.Generator, n_images: int, n_cats: int, minimum: int) -> np.ndarray:
    mean = n_images / n_cats
    sizes = np.maximum(minimum, rng.geometric(1 / mean, n_cats))
    return sizes


def gen_herbarium(cid: str, raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    n_img, n_cat, _ = HERBARIA[cid]
    n_cat = max(20, int(n_cat * scale))
    year = int(cid.split("-")[1])
    sizes = _category_sizes(rng, n_img * scale, n_cat, 2 if year == 2022 else 1)
    cats = np.sort(rng.choice(np.arange({2020: 32093, 2021: 64500, 2022: 15505}[year]), n_cat, replace=False))
    labels = rng.permutation(np.repeat(cats, sizes)).tolist()
    n = len(labels)
    ids = rng.choice(np.arange(1000, 3_000_000), n, replace=False).tolist()
    institution = rng.integers(0, 60, n).tolist()
    info = {"contributor": "bench", "date_created": f"{year}-02-01", "description": "synthetic", "url": "",
            "version": "1.0", "year": year}
    images, annotations, paths = [], [], []
    if year == 2022:
        per_cat: dict[int, int] = {}
        for c, inst in zip(labels, institution, strict=True):
            k = per_cat[c] = per_cat.get(c, 0) + 1
            image_id = f"{c:05d}__{k:03d}"
            file_name = f"{c // 100:03d}/{c % 100:02d}/{image_id}.jpg"
            annotations.append({"genus_id": c % 2564 + 1, "institution_id": inst, "category_id": c,
                                "image_id": image_id})
            images.append({"image_id": image_id, "file_name": file_name, "license": 0})
            paths.append(raw / "train_images" / file_name)
        meta = {"annotations": annotations,
                "categories": [{"category_id": int(c), "scientificName": f"Genus{c} species", "family": "Asteraceae",
                                "genus": f"Genus{c}", "species": "species", "authors": "L."} for c in cats],
                "genera": [{"genus_id": g + 1, "genus": f"Genus{g}"} for g in range(2564)],
                "distances": [], "images": images,
                "institutions": [{"institution_id": i, "collectionCode": f"H{i}"} for i in range(60)],
                "licenses": LICENSES}
        (raw / "train_metadata.json").write_text(json.dumps(meta))
        (raw / "test_metadata.json").write_text("[]")
        pd.DataFrame({"Id": [0], "Predicted": 42}).to_csv(raw / "sample_submission.csv", index=False)
    else:
        root = raw / "nybg2020" / "train" if year == 2020 else raw / "train"
        for image_id, c, inst in zip(ids, labels, institution, strict=True):
            file_name = f"images/{c // 100:03d}/{c % 100:02d}/{image_id}.jpg"
            images.append({"file_name": file_name, "height": 1000, "id": image_id, "license": 0, "width": 681})
            ann = {"category_id": c, "id": image_id, "image_id": image_id}
            ann["region_id" if year == 2020 else "institution_id"] = inst
            annotations.append(ann)
            paths.append(root / file_name)
        categories = [{"family": "Fabaceae", "genus": f"Genus{c}", "id": int(c), "name": f"Genus{c} species L."}
                      for c in cats]
        extra = ({"regions": [{"id": i, "name": f"R{i}"} for i in range(60)]} if year == 2020
                 else {"institutions": [{"id": i, "name": f"H{i}"} for i in range(60)]})
        meta = {"annotations": annotations, "categories": categories, "images": images, "info": info,
                "licenses": LICENSES, **extra}
        root.mkdir(parents=True)
        (root / "metadata.json").write_text(json.dumps(meta))
        (root.parent / "test").mkdir(exist_ok=True)
        (root.parent / "test" / "metadata.json").write_text(json.dumps({"images": [], "info": info,
                                                                        "licenses": LICENSES}))
        pd.DataFrame({"Id": [0], "Predicted": 0}).to_csv(raw / "sample_submission.csv", index=False)
    _write_stub_files(paths)
    return n, "images"


def gen_cdiscount(raw: Path, scale: float, rng: np.random.Generator) -> tuple[int, str]:
    from mlebench.data.bson_lite import encode

    n = max(1000, int(7_069_896 * scale))
    ids = np.cumsum(rng.integers(1, 3, n)) - 1
    categories = rng.choice(np.arange(1_000_000_000, 1_000_023_000), 5270, replace=False)
    categories[0] = 1000010653
    labels = categories[rng.integers(0, len(categories), n)]
    n_imgs = rng.integers(1, 5, n)
    pictures = [{"picture": STUB_JPEG}] * 4
    with open(raw / "train.bson", "wb") as f:
        for pid, cat, k in zip(ids.tolist(), labels.tolist(), n_imgs.tolist(), strict=True):
            f.write(encode({"_id": pid, "imgs": pictures[:k], "category_id": cat}))
    pd.DataFrame({"category_id": np.sort(categories), "category_level1": "AUTO - MOTO",
                  "category_level2": "SOUS-CATEGORIE", "category_level3": "PRODUIT"}).to_csv(
        raw / "category_names.csv", index=False)
    (raw / "test.bson").write_bytes(encode({"_id": 10, "imgs": pictures[:1]}))
    (raw / "train_example.bson").write_bytes(b"")
    pd.DataFrame({"_id": [10], "category_id": 1000010653}).to_csv(raw / "sample_submission.csv", index=False)
    return n, "products"


GENERATORS = {
    "h-and-m-personalized-fashion-recommendations": gen_hm,
    "icecube-neutrinos-in-deep-ice": gen_icecube,
    "billion-word-imputation": gen_billion_word,
    **{cid: (lambda c: lambda raw, scale, rng: gen_herbarium(c, raw, scale, rng))(cid) for cid in HERBARIA},
    "cdiscount-image-classification-challenge": gen_cdiscount,
}


def run_child(cid: str, raw: Path, out: Path) -> tuple[float, int]:
    """Run our preparer in a child; return (seconds, that child's peak RSS in bytes, from its VmHWM)."""
    public, private = out / "public", out / "private"
    public.mkdir(parents=True)
    private.mkdir(parents=True)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN_PREPARE, cid, str(raw), str(public), str(private)],
                          stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{cid}: preparer failed with exit code {proc.returncode}")
    kib = [int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("VMHWM_KIB")]
    return seconds, kib[-1] * 1024


def disk_usage(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def bench(cid: str, scale: float, seed: int, workdir: Path | None, keep: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-medium-", dir=workdir))
    try:
        raw = work / "raw"
        raw.mkdir()
        t0 = time.perf_counter()
        n, unit = GENERATORS[cid](raw, scale, np.random.default_rng(seed))
        gen = time.perf_counter() - t0
        size = disk_usage(raw)
        seconds, rss = run_child(cid, raw, work / "out")
        print(f"{cid:45s} scale {scale:<6g} {n:>11,} {unit:12s} raw {size / 1e6:8,.0f} MB (gen {gen:5.1f} s) "
              f"| prepare {seconds:7.1f} s  peak RSS {rss / 2**20:7,.0f} MiB  {n / seconds:>11,.0f} {unit}/s",
              flush=True)
    finally:
        if keep:
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run_cli(doc: str | None, generators: dict, bench_fn) -> None:
    """The command line shared by the scaled preparation benchmarks (Medium and High)."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--competition", "-c", required=True, choices=[*generators, "all"])
    ap.add_argument("--scale", type=float, action="append", help="repeatable; default 0.05")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    ids = list(generators) if args.competition == "all" else [args.competition]
    for cid in ids:
        for scale in args.scale or [0.05]:
            bench_fn(cid, scale, args.seed, args.workdir, args.keep)


def main() -> None:
    run_cli(__doc__, GENERATORS, bench)


if __name__ == "__main__":
    main()
