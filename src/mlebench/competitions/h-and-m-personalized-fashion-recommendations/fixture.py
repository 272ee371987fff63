"""Synthetic `h-and-m-personalized-fashion-recommendations.zip`: transactions_train.csv (t_dat,
64-hex customer_id, zero-padded 10-digit article_id, price, sales_channel_id), articles.csv (the 25
article attributes), customers.csv, sample_submission.csv (12 article ids per customer) and
`images/<first 3 digits>/<article_id>.jpg` for most articles."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mlebench.competitions._kit.archives import write_zip

N_CUSTOMERS, N_ARTICLES, N_TRANSACTIONS = 160, 90, 1800
FIRST_DAY = pd.Timestamp("2020-08-01")
N_DAYS = 53  # up to 2020-09-22, Kaggle's last day
PRODUCTS = [(253, "Vest top", "Garment Upper body"), (272, "Trousers", "Garment Lower body"),
            (265, "Dress", "Garment Full body"), (286, "Underwear bottom", "Underwear"),
            (302, "Socks", "Socks & Tights"), (255, "T-shirt", "Garment Upper body")]
COLOURS = [(9, "Black", 4, "Dark", 5, "Black"), (10, "White", 3, "Light", 9, "White"),
           (73, "Dark Blue", 4, "Dark", 2, "Blue"), (13, "Beige", 2, "Medium Dusty", 11, "Beige")]
INDEXES = [("A", "Ladieswear", 1, "Ladieswear"), ("F", "Menswear", 3, "Menswear"),
           ("H", "Children Sizes 92-140", 4, "Baby/Children"), ("D", "Divided", 2, "Divided")]


def _hex(rng: np.random.Generator, n: int) -> list[str]:
    return ["".join(f"{b:02x}" for b in rng.integers(0, 256, 32)) for _ in range(n)]


def _articles(rng: np.random.Generator) -> pd.DataFrame:
    codes = np.sort(rng.choice(np.arange(108775, 959461), N_ARTICLES // 3, replace=False))
    ids = sorted({int(c) * 1000 + int(v) for c in codes for v in rng.choice(np.arange(1, 20), 3, replace=False)})
    rows = []
    for aid in ids:
        ptype, pname, pgroup = PRODUCTS[int(rng.integers(len(PRODUCTS)))]
        colour = COLOURS[int(rng.integers(len(COLOURS)))]
        index = INDEXES[int(rng.integers(len(INDEXES)))]
        rows.append({
            "article_id": f"{aid:010d}", "product_code": f"{aid // 1000:07d}",
            "prod_name": f"{rng.choice(['Tilly', 'Jade', 'Luna', 'Rex'])} {pname.lower()}",
            "product_type_no": ptype, "product_type_name": pname, "product_group_name": pgroup,
            "graphical_appearance_no": 1010016, "graphical_appearance_name": "Solid",
            "colour_group_code": f"{colour[0]:02d}", "colour_group_name": colour[1],
            "perceived_colour_value_id": colour[2], "perceived_colour_value_name": colour[3],
            "perceived_colour_master_id": colour[4], "perceived_colour_master_name": colour[5],
            "department_no": int(rng.integers(1200, 9000)), "department_name": "Jersey Basic",
            "index_code": index[0], "index_name": index[1], "index_group_no": index[2],
            "index_group_name": index[3], "section_no": int(rng.integers(2, 99)),
            "section_name": "Womens Everyday Basics", "garment_group_no": 1002,
            "garment_group_name": "Jersey Basic",
            "detail_desc": "" if rng.random() < 0.05 else f"{pname} in soft cotton jersey.",
        })
    return pd.DataFrame(rows)


def _customers(rng: np.random.Generator) -> pd.DataFrame:
    n = N_CUSTOMERS
    fn = np.where(rng.random(n) < 0.35, 1.0, np.nan)
    return pd.DataFrame({
        "customer_id": sorted(_hex(rng, n)),
        "FN": fn,
        "Active": np.where(~np.isnan(fn) & (rng.random(n) < 0.95), 1.0, np.nan),
        "club_member_status": rng.choice(["ACTIVE", "PRE-CREATE", "LEFT CLUB"], n, p=[0.9, 0.08, 0.02]),
        "fashion_news_frequency": rng.choice(["NONE", "Regularly", "Monthly"], n, p=[0.6, 0.39, 0.01]),
        "age": np.where(rng.random(n) < 0.02, np.nan, rng.integers(16, 90, n)),
        "postal_code": _hex(rng, n),
    })


def _jpeg(rng: np.random.Generator) -> bytes:
    buf = io.BytesIO()
    colour = tuple(int(c) for c in rng.integers(0, 256, 3))
    Image.new("RGB", (12, 16), colour).save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    articles, customers = _articles(rng), _customers(rng)
    days = np.sort(rng.integers(0, N_DAYS, N_TRANSACTIONS))
    transactions = pd.DataFrame({
        "t_dat": (FIRST_DAY + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        "customer_id": rng.choice(customers["customer_id"], N_TRANSACTIONS),
        "article_id": rng.choice(articles["article_id"], N_TRANSACTIONS),
        "price": rng.integers(5, 300, N_TRANSACTIONS) / 5900,
        "sales_channel_id": rng.choice([1, 2], N_TRANSACTIONS, p=[0.3, 0.7]),
    })
    # Most bought first, ties by id: value_counts' quicksort orders ties differently with AVX-512.
    counts = transactions["article_id"].value_counts(sort=False)
    popular = sorted(counts.index, key=lambda aid: (-counts[aid], aid))[:12]
    sample = pd.DataFrame({"customer_id": customers["customer_id"], "prediction": " ".join(popular)})
    files: dict = {
        "articles.csv": articles, "customers.csv": customers,
        "sample_submission.csv": sample, "transactions_train.csv": transactions,
    }
    for aid in articles["article_id"]:
        if rng.random() < 0.9:  # not every article has an image
            files[f"images/{aid[:3]}/{aid}.jpg"] = _jpeg(rng)
    return write_zip(out_dir / "h-and-m-personalized-fashion-recommendations.zip", files)
