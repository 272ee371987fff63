"""Synthetic `random-acts-of-pizza.zip`: train.json and test.json (each also as a .json.zip, as
Kaggle ships them) and sampleSubmission.csv. Train requests carry all 32 fields; test requests
only the 17 fields known when the request was posted."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.ids import random_names
from mlebench.competitions._kit.text import sentence

TEST_FIELDS = [
    "giver_username_if_known", "request_id", "request_text_edit_aware", "request_title",
    "requester_account_age_in_days_at_request", "requester_days_since_first_post_on_raop_at_request",
    "requester_number_of_comments_at_request", "requester_number_of_comments_in_raop_at_request",
    "requester_number_of_posts_at_request", "requester_number_of_posts_on_raop_at_request",
    "requester_number_of_subreddits_at_request", "requester_subreddits_at_request",
    "requester_upvotes_minus_downvotes_at_request", "requester_upvotes_plus_downvotes_at_request",
    "requester_username", "unix_timestamp_of_request", "unix_timestamp_of_request_utc",
]
SUBREDDITS = ["AskReddit", "pics", "funny", "gaming", "Random_Acts_Of_Pizza", "IAmA", "todayilearned"]


def _request(rng: np.random.Generator, i: int, user: str) -> dict:
    received = bool(rng.random() < 0.25)
    age = float(rng.exponential(300)) * (rng.random() > 0.1)
    ts = float(int(rng.integers(1291766400, 1380499200)))
    raop_days = float(rng.exponential(20)) * (rng.random() < 0.2)
    comments, posts = int(rng.integers(0, 900)), int(rng.integers(0, 200))
    subs = sorted(set(rng.choice(SUBREDDITS, int(rng.integers(0, 5))).tolist()))
    upm, upp = int(rng.integers(-10, 5000)), int(rng.integers(0, 20000))
    text = " ".join(sentence(rng) for _ in range(int(rng.integers(0, 4))))
    edited = bool(rng.random() < 0.1)
    later = float(rng.uniform(0, 800))
    return {
        "giver_username_if_known": ("N/A" if not received or rng.random() < 0.7 else f"giver_{i}"),
        "number_of_downvotes_of_request_at_retrieval": int(rng.integers(0, 5)),
        "number_of_upvotes_of_request_at_retrieval": int(rng.integers(0, 20)),
        "post_was_edited": (ts + 3600.0 if edited and rng.random() < 0.3 else edited),
        "request_id": f"t3_{np.base_repr(int(rng.integers(36**4, 36**5)), 36).lower()}{i}",
        "request_number_of_comments_at_retrieval": int(rng.integers(0, 30)),
        "request_text": text + (" EDIT: thank you!" if edited else ""),
        "request_text_edit_aware": text,
        "request_title": "[Request] " + sentence(rng, 3, 9),
        "requester_account_age_in_days_at_request": age,
        "requester_account_age_in_days_at_retrieval": age + later,
        "requester_days_since_first_post_on_raop_at_request": raop_days,
        "requester_days_since_first_post_on_raop_at_retrieval": raop_days + later,
        "requester_number_of_comments_at_request": comments,
        "requester_number_of_comments_at_retrieval": comments + int(rng.integers(0, 300)),
        "requester_number_of_comments_in_raop_at_request": int(rng.integers(0, 5)),
        "requester_number_of_comments_in_raop_at_retrieval": int(rng.integers(0, 20)),
        "requester_number_of_posts_at_request": posts,
        "requester_number_of_posts_at_retrieval": posts + int(rng.integers(0, 50)),
        "requester_number_of_posts_on_raop_at_request": int(rng.integers(0, 2)),
        "requester_number_of_posts_on_raop_at_retrieval": int(rng.integers(1, 4)),
        "requester_number_of_subreddits_at_request": len(subs),
        "requester_received_pizza": received,
        "requester_subreddits_at_request": subs,
        "requester_upvotes_minus_downvotes_at_request": upm,
        "requester_upvotes_minus_downvotes_at_retrieval": upm + int(rng.integers(0, 500)),
        "requester_upvotes_plus_downvotes_at_request": upp,
        "requester_upvotes_plus_downvotes_at_retrieval": upp + int(rng.integers(0, 900)),
        "requester_user_flair": (("shroom" if rng.random() < 0.8 else "PIF") if received else None),
        "requester_username": user,
        "unix_timestamp_of_request": ts,
        "unix_timestamp_of_request_utc": ts - 3600.0 * int(rng.integers(-8, 9)),
    }


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    users = [u.replace(" ", "_").lower() + str(i) for i, u in enumerate(random_names(rng, 280))]
    requests = [_request(rng, i, user) for i, user in enumerate(users)]
    train = requests[:200]
    test = [{k: r[k] for k in TEST_FIELDS} for r in requests[200:]]
    train_json = json.dumps(train, indent=4)
    test_json = json.dumps(test, indent=4)
    sample = pd.DataFrame({"request_id": [r["request_id"] for r in test], "requester_received_pizza": 0})
    return write_zip(out_dir / "random-acts-of-pizza.zip", {
        "sampleSubmission.csv": sample,
        "test.json": test_json,
        "test.json.zip": zip_bytes({"test.json": test_json}),
        "train.json": train_json,
        "train.json.zip": zip_bytes({"train.json": train_json}),
    })
