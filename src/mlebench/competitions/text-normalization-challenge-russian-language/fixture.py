"""Synthetic `text-normalization-challenge-russian-language.zip`: ru_train.csv.zip, ru_test(_2).csv.zip and
ru_sample_submission(_2).csv.zip, one token per row (see `_kit/text_normalization.py`)."""

from pathlib import Path

from mlebench.competitions._kit.text_normalization import make_text_normalization_fixture


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    return make_text_normalization_fixture("ru", "text-normalization-challenge-russian-language", out_dir, seed)
