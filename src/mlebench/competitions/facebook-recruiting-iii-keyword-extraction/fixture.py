"""Synthetic `facebook-recruiting-iii-keyword-extraction.zip`, packaged like Kaggle's: `Train.zip`
(Train.csv: `Id`, `Title`, `Body` (HTML with newlines, quotes and code), `Tags` (space-separated
lowercase tags)), `Test.zip` (Test.csv: `Id`, `Title`, `Body`) and `SampleSubmission.csv`."""

from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip, zip_bytes
from mlebench.competitions._kit.text import syllable_sentence

TAGS = ["c#", "java", "php", "javascript", "android", "jquery", "c++", "python", "iphone", "asp.net",
        "mysql", "html", "linux", ".net", "ios", "objective-c", "sql", "css", "ruby-on-rails",
        "windows", "sql-server", "wpf", "image-processing", "file-upload", "mime-types", "r"]


def _questions(rng: np.random.Generator, first_id: int, n: int, labelled: bool) -> pd.DataFrame:
    rows = []
    for i in range(n):
        body = f"<p>{syllable_sentence(rng, int(rng.integers(5, 30)))}</p>\n\n"
        if rng.random() < 0.5:
            body += f'<pre><code>x = "{syllable_sentence(rng, 2)}";\nprint(x)\n</code></pre>\n'
        row = {"Id": first_id + i, "Title": syllable_sentence(rng, int(rng.integers(3, 10))).capitalize() + "?",
               "Body": body}
        if labelled:
            row["Tags"] = " ".join(rng.choice(TAGS, int(rng.integers(1, 6)), replace=False))
        rows.append(row)
    return pd.DataFrame(rows)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = _questions(rng, 1, 300, labelled=True)
    test = _questions(rng, 6_034_196, 50, labelled=False)
    sample = pd.DataFrame({"Id": test["Id"], "Tags": "javascript c# python php java"})
    return write_zip(out_dir / "facebook-recruiting-iii-keyword-extraction.zip", {
        "SampleSubmission.csv": sample,
        "Test.zip": zip_bytes({"Test.csv": test}),
        "Train.zip": zip_bytes({"Train.csv": train}),
    })
