"""Synthetic `google-quest-challenge.zip`: train.csv (qa_id, 10 text columns, 30 rater targets in
[0, 1]), test.csv (the 11 non-target columns) and sample_submission.csv, like Kaggle's download.
Targets are averages of a few raters' votes (thirds, sixths, ninths, written to 15 digits);
`question_type_spelling` is non-zero on only a handful of rows, as on Kaggle."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.ids import random_names
from mlebench.competitions._kit.text import paragraphs, vocab_sentence

from .classes import CLASSES

N_TRAIN, N_TEST = 300, 25
HOSTS = {
    "TECHNOLOGY": ["superuser.com", "serverfault.com", "askubuntu.com", "electronics.stackexchange.com"],
    "STACKOVERFLOW": ["stackoverflow.com"],
    "CULTURE": ["english.stackexchange.com", "rpg.stackexchange.com"],
    "SCIENCE": ["math.stackexchange.com", "physics.stackexchange.com"],
    "LIFE_ARTS": ["photo.stackexchange.com", "cooking.stackexchange.com", "diy.stackexchange.com"],
}
HIGH = [round(v, 15) for v in (1 / 3, 0.5, 2 / 3, 7 / 9, 5 / 6, 8 / 9, 1.0)]
LOW = [round(v, 15) for v in (0.0, 1 / 3, 0.5, 2 / 3, 1.0)]
MOSTLY_HIGH = {"question_asker_intent_understanding", "question_body_critical", "question_interestingness_others",
               "question_interestingness_self", "question_well_written", "answer_helpful",
               "answer_level_of_information", "answer_plausible", "answer_relevance", "answer_satisfaction",
               "answer_well_written", "question_expect_short_answer", "question_fact_seeking",
               "question_has_commonly_accepted_answer"}


def _records(rng: np.random.Generator, qa_ids: np.ndarray) -> pd.DataFrame:
    n = len(qa_ids)
    categories = rng.choice(list(HOSTS), n)
    hosts = [str(rng.choice(HOSTS[c])) for c in categories]
    titles = [vocab_sentence(rng, 4, 12, "?") for _ in range(n)]
    question_users = random_names(rng, n)
    answer_users = random_names(rng, n)
    return pd.DataFrame({
        "qa_id": qa_ids,
        "question_title": titles,
        "question_body": [paragraphs(rng, int(rng.integers(1, 4))) for _ in range(n)],
        "question_user_name": question_users,
        "question_user_page": [f"https://{h}/users/{rng.integers(1, 200000)}" for h in hosts],
        "answer": [paragraphs(rng, int(rng.integers(1, 4))) for _ in range(n)],
        "answer_user_name": answer_users,
        "answer_user_page": [f"https://{h}/users/{rng.integers(1, 200000)}" for h in hosts],
        "url": [f"http://{h}/questions/{rng.integers(1, 400000)}/{'-'.join(t.lower().rstrip('?').split()[:6])}"
                for h, t in zip(hosts, titles, strict=True)],
        "category": categories,
        "host": hosts,
    })


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    qa_ids = np.sort(rng.choice(np.arange(0, 10000), N_TRAIN + N_TEST, replace=False))
    test_pos = np.sort(rng.choice(N_TRAIN + N_TEST, N_TEST, replace=False))
    is_test = np.zeros(N_TRAIN + N_TEST, bool)
    is_test[test_pos] = True
    train = _records(rng, qa_ids[~is_test])
    for col in CLASSES:
        if col in MOSTLY_HIGH:
            train[col] = rng.choice(HIGH, N_TRAIN)
        else:
            train[col] = np.where(rng.random(N_TRAIN) < 0.55, 0.0, rng.choice(LOW, N_TRAIN))
    spelling = np.zeros(N_TRAIN)
    spelling[rng.choice(N_TRAIN, 4, replace=False)] = rng.choice(LOW[1:], 4)
    train["question_type_spelling"] = spelling
    test = _records(rng, qa_ids[is_test])
    sample = test[["qa_id"]].copy()
    for col in CLASSES:
        sample[col] = 0.00308
    return write_zip(out_dir / "google-quest-challenge.zip", {
        "sample_submission.csv": sample, "test.csv": test, "train.csv": train,
    })
