from pathlib import Path

from mlebench.competitions._kit.text_normalization import prepare_text_normalization


def prepare(raw: Path, public: Path, private: Path) -> None:
    prepare_text_normalization("ru", raw, public, private)
