"""Synthetic `text-normalization-challenge-english-language.zip`: en_train.csv.zip, en_test(_2).csv.zip and
en_sample_submission(_2).csv.zip, one token per row (see `_kit/text_normalization.py`)."""

from pathlib import Path

from mlebench.competitions._kit.text_normalization import make_text_normalization_fixture


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    return make_text_normalization_fixture("en", "text-normalization-challenge-english-language", out_dir, seed)
