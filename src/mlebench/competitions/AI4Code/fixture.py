"""Synthetic `AI4Code.zip`, shaped like Kaggle's: `train/<id>.json` notebooks (`{"cell_type": {cell
id: "code"|"markdown"}, "source": {cell id: text}}`, code cells in order followed by the markdown
cells shuffled), `test/<id>.json` (4 example notebooks), train_orders.csv (`id`, `cell_order`:
space-separated cell ids in true order), train_ancestors.csv (`id`, `ancestor_id`, `parent_id`)
and sample_submission.csv. Notebook ids are 14 hex digits, cell ids 8, ancestor ids 8.

The preparer holds out exactly 20,000 notebooks (an assertion), so the fixture has 20,300 small
notebooks (2-6 cells each), mostly with their own ancestor and some in fork families. Random
draws are made in bulk to keep this quick."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_fast_zip
from mlebench.competitions._kit.ids import hex_id_array
from mlebench.competitions._kit.text import words

N_TRAIN, N_TEST = 20_300, 4


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    ids = np.sort(hex_id_array(rng, N_TRAIN + N_TEST, 14))
    is_test = np.zeros(len(ids), bool)
    is_test[rng.choice(len(ids), N_TEST, replace=False)] = True
    n_cells = rng.integers(2, 7, len(ids))
    bounds = np.concatenate([[0], np.cumsum(n_cells)])
    cells = hex_id_array(rng, int(bounds[-1]), 8)
    is_code = rng.random(len(cells)) < 0.6
    numbers = rng.integers(0, 100, len(cells))
    vocabulary = words(rng, 60)
    headings = rng.integers(0, len(vocabulary), (len(cells), 3))
    shuffle_keys = rng.random(len(cells))

    files: dict[str, str | pd.DataFrame] = {}
    orders = []
    for k, notebook_id in enumerate(ids):
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        span = range(lo, hi)
        code = [i for i in span if is_code[i]]
        markdown = sorted((i for i in span if not is_code[i]), key=lambda i: shuffle_keys[i])
        shown = code + markdown
        source = {cells[i]: (f"x = {numbers[i]}\nprint(x)" if is_code[i]
                             else "# " + " ".join(vocabulary[j] for j in headings[i]))
                  for i in shown}
        notebook = {"cell_type": {cells[i]: "code" if is_code[i] else "markdown" for i in shown},
                    "source": source}
        folder = "test" if is_test[k] else "train"
        files[f"{folder}/{notebook_id}.json"] = json.dumps(notebook, separators=(",", ":"))
        orders.append(" ".join(cells[lo:hi]))

    train = ~is_test
    train_ids = ids[train]
    # Fork families: about 8% of notebooks share an earlier notebook's ancestor.
    ancestors = hex_id_array(rng, len(train_ids), 8)
    shared = rng.random(len(train_ids)) < 0.08
    earlier = (rng.random(len(train_ids)) * np.arange(len(train_ids))).astype(int)
    ancestor_of = np.where(shared, ancestors[earlier], ancestors)
    has_parent = rng.random(len(train_ids)) < 0.05
    parent = np.where(has_parent, train_ids[rng.integers(0, len(train_ids), len(train_ids))], None)
    files["train_orders.csv"] = pd.DataFrame({"id": train_ids, "cell_order": np.array(orders)[train]})
    files["train_ancestors.csv"] = pd.DataFrame(
        {"id": train_ids, "ancestor_id": ancestor_of, "parent_id": parent})
    test_ids = ids[is_test]
    files["sample_submission.csv"] = pd.DataFrame({"id": test_ids, "cell_order": [
        " ".join(json.loads(files[f"test/{i}.json"])["cell_type"]) for i in test_ids]})
    return write_fast_zip(out_dir / "AI4Code.zip", files)
