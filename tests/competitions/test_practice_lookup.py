"""Attacks on the practice competitions' answers (issue 14, hole 5).

scikit-learn, and with it the data the practice competitions derive from, is in every agent's
environment. When the practice test sets were bundled rows, matching `load_breast_cancer()` to
test.csv read the labels off: AUC 1.0, gold. Each test below is the best lookup an agent can run
with what the sandbox holds -- exact matching, nearest neighbour on standardised or rank-transformed
features (any rescaling or monotone transform of a column), columns matched up by their value
distributions (any permutation), and for digits nearest neighbour on the pixels, contrast
normalised and shifted -- one of them as an agent in the real sandbox. The bound each asserts: the
lookup scores worse than an honest model trained on the competition's own train.csv, never
reaches the shipped leaderboard's gold threshold, and is never perfect. Using the bundled data to
*train* a model is legitimate learning, not what these tests stop; for digits, where each practice
image does have bundled sources, a test bounds what having them is worth (deskewed lookup).
"""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.neighbors import NearestNeighbors

from mlebench.grading.io import load_answers, read_csv
from mlebench.grading.medals import thresholds
from mlebench.registry import Registry
from tests._sandbox import requires_sandbox

CLS, REG, DIG = "practice-tabular-classification", "practice-tabular-regression", "practice-digit-images"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    from mlebench.data import prepare_competition

    registry = Registry(tmp_path_factory.mktemp("practice-lookup") / "data")
    out = {}
    for cid in (CLS, REG, DIG):
        out[cid] = registry.get_competition(cid)
        prepare_competition(out[cid], force=True)
    return out


def _score(competition, submission: pd.DataFrame) -> float:
    result = competition.grader.grade(submission, load_answers(competition.answers))
    assert result.valid, result.invalid_reason
    return result.score


def _gold(competition) -> float:
    return thresholds(pd.read_csv(competition.leaderboard)).gold


# --- the attack as an agent runs it, in the real sandbox ---------------------------------------
LOOKUP_AGENT = textwrap.dedent('''
    # Issue 14's one-liner, made thorough: read the labels of the bundled tumours off scikit-learn.
    import os
    GENERATOR = os.path.join("competitions", "_kit", "practice.py")
    import json
    import numpy as np, pandas as pd
    from sklearn.datasets import load_breast_cancer
    from sklearn.neighbors import NearestNeighbors

    data = load_breast_cancer()
    test = pd.read_csv("/home/data/test.csv")
    x = test.drop(columns="id").to_numpy(float)
    key = lambda rows: [tuple(float(f"{v:.3g}") for v in r) for r in rows]
    exact = dict(zip(key(data.data), (data.target == 0).astype(float)))
    hits = [exact.get(k) for k in key(x)]
    both = np.vstack([x, data.data])
    both = (both - both.mean(0)) / both.std(0)
    nearest = NearestNeighbors(n_neighbors=1).fit(both[len(x):]).kneighbors(both[:len(x)])[1][:, 0]
    label = [h if h is not None else float(data.target[n] == 0) for h, n in zip(hits, nearest)]
    pd.DataFrame({"id": test["id"], "malignant": label}).to_csv("/home/submission/submission.csv", index=False)

    # The other way in: rerun the practice generator itself (its draws are seeded).
    import importlib.util, sys
    generator = [os.path.join(root, f) for top in {*sys.path, "/home", "/tmp", "/opt"}
                 for root, _, files in os.walk(top or ".") for f in files
                 if os.path.join(root, f).endswith(GENERATOR)]
    print(json.dumps({"bundled_rows": len(data.data), "exact_hits": sum(h is not None for h in hits),
                      "mlebench_importable": importlib.util.find_spec("mlebench") is not None,
                      "generator_files": generator}))
''')


@requires_sandbox
def test_lookup_agent_in_the_sandbox_finds_no_answer(prepared, tmp_path, capsys, lite_env):
    """Inside the sandbox the agent has scikit-learn and its bundled data (it loads all 569 rows),
    yet finds none of the test rows there, and mlebench's generator (which would redraw them) is
    not there to run. Its nearest-row labels are graded on the host as what
    they are, a 1-nearest-neighbour classifier: below gold, and below an honest model on
    train.csv."""
    from mlebench.cli import main

    c = prepared[CLS]
    agent = tmp_path / "lookup"
    agent.mkdir()
    (agent / "main.py").write_text(LOOKUP_AGENT)
    (agent / "agent.yaml").write_text('name: lookup\ncommand: ["python3", "/home/agent/main.py"]\nfiles: .\n'
                                        'env_profile: lite\n')
    assert main(["run", "--agent", str(agent / "agent.yaml"), "-c", CLS, "--time-limit", "120s",
                 "--run-dir", str(tmp_path / "runs"), "--data-dir", str(c.data_dir)]) == 0
    capsys.readouterr()
    run = tmp_path / "runs" / f"{CLS}_seed0"
    said = json.loads((run / "agent.stdout.log").read_text().strip().splitlines()[-1])
    assert said == {"bundled_rows": 569, "exact_hits": 0, "mlebench_importable": False,
                    "generator_files": []}
    report = json.loads((run / "grading_report.json").read_text())
    assert report["valid_submission"] and not report["gold_medal"] and report["score"] < 1
    honest = _honest_tabular(CLS, c, read_csv(c.public_dir / "train.csv"),
                             read_csv(c.public_dir / "test.csv"))
    assert report["score"] < honest


# --- lookups on tables ---------------------------------------------------------------------------
def _standardised(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / np.where(a.std(axis=0) > 0, a.std(axis=0), 1)


def _ranked(a: np.ndarray) -> np.ndarray:
    """Each column's values replaced by their quantile in that column (undoes any monotone
    transform an attacker suspects was applied to a column)."""
    return (np.argsort(np.argsort(a, axis=0, kind="stable"), axis=0, kind="stable") + 0.5) / len(a)


def _match_columns(test: np.ndarray, bundled: np.ndarray) -> list[int]:
    """For each test column, the bundled column whose standardised quantiles are closest
    (recovers a shuffled or renamed column order from the value distributions alone)."""
    q = np.linspace(0.02, 0.98, 49)
    qt, qb = np.quantile(_standardised(test), q, axis=0), np.quantile(_standardised(bundled), q, axis=0)
    return [int(np.argmin(((qb - qt[:, [j]]) ** 2).sum(axis=0))) for j in range(test.shape[1])]


def _nearest(test: np.ndarray, bundled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dist, idx = NearestNeighbors(n_neighbors=1).fit(bundled).kneighbors(test)
    return dist[:, 0], idx[:, 0]


def _lookups(test: np.ndarray, bundled: np.ndarray) -> dict[str, np.ndarray]:
    """Index of the bundled row each lookup takes for each test row."""
    perm = _match_columns(test, bundled)
    both = _standardised(np.vstack([test, bundled]))  # one scaler for both: no rescaling assumed
    return {
        "nearest, standardised together": _nearest(both[:len(test)], both[len(test):])[1],
        "nearest, standardised separately": _nearest(_standardised(test), _standardised(bundled))[1],
        "nearest, rank-transformed": _nearest(_ranked(test), _ranked(bundled))[1],
        "nearest, columns matched by distribution": _nearest(
            _standardised(test), _standardised(bundled[:, perm]))[1],
    }


def _exact_matches(test: pd.DataFrame, bundled: pd.DataFrame) -> int:
    """Test rows equal to a bundled row after rounding both to 3 significant digits."""
    def key(frame: pd.DataFrame) -> set[tuple]:
        return set(map(tuple, np.vectorize(lambda v: float(f"{v:.3g}"))(frame.to_numpy(float))))

    return len(key(test) & key(bundled))


def _honest_tabular(cid: str, competition, train: pd.DataFrame, test: pd.DataFrame) -> float:
    """A plain model on the competition's own train.csv: scaled logistic / linear regression."""
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    target = "malignant" if cid == CLS else "progression"
    features = [c for c in test.columns if c != "id"]
    if cid == CLS:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        model.fit(train[features], train[target])
        pred = model.predict_proba(test[features])[:, 1]
    else:
        pred = LinearRegression().fit(train[features], train[target]).predict(test[features])
    return _score(competition, pd.DataFrame({"id": test["id"], target: pred}))


def _bundled_table(cid: str) -> tuple[np.ndarray, np.ndarray]:
    if cid == CLS:
        data = load_breast_cancer()
        return data.data, (data.target == 0).astype(float)  # malignant = 1
    data = load_diabetes(scaled=False)
    return data.data, data.target.astype(float)


@pytest.mark.parametrize("cid", [CLS, REG])
def test_tabular_lookups_score_below_an_honest_model(cid, prepared):
    c = prepared[cid]
    target = "malignant" if cid == CLS else "progression"
    train, test = read_csv(c.public_dir / "train.csv"), read_csv(c.public_dir / "test.csv")
    features = [col for col in test.columns if col != "id"]
    bundled_x, bundled_y = _bundled_table(cid)
    assert _exact_matches(test[features], pd.DataFrame(bundled_x)) == 0

    honest, gold = _honest_tabular(cid, c, train, test), _gold(c)
    better = (lambda a, b: a < b) if c.lower_is_better else (lambda a, b: a > b)
    perfect = 0.0 if c.lower_is_better else 1.0
    assert better(honest, _score(c, read_csv(c.sample_submission)))
    for name, idx in _lookups(test[features].to_numpy(float), bundled_x).items():
        looked_up = pd.DataFrame({"id": test["id"], target: bundled_y[idx]})
        score = _score(c, looked_up)
        # The bound: an honest model beats every lookup; no lookup reaches gold or perfection.
        assert better(honest, score), f"{name}: lookup {score} vs honest {honest}"
        assert better(gold, score) and score != perfect, f"{name}: lookup {score}, gold {gold}"


def test_no_tabular_test_row_is_near_a_bundled_row(prepared):
    """Closer than any two bundled rows are to each other would be a copy in disguise: the
    nearest bundled row to every test row is farther than the closest bundled pair."""
    for cid in (CLS, REG):
        test = read_csv(prepared[cid].public_dir / "test.csv").drop(columns="id").to_numpy(float)
        bundled = _bundled_table(cid)[0]
        both = _standardised(np.vstack([test, bundled]))
        to_bundled = _nearest(both[:len(test)], both[len(test):])[0]
        dist, _ = NearestNeighbors(n_neighbors=2).fit(both[len(test):]).kneighbors(both[len(test):])
        closest_pair = dist[:, 1][dist[:, 1] > 0].min()
        assert to_bundled.min() > closest_pair, cid


# --- lookups on digit images ---------------------------------------------------------------------
def _blocks(images: np.ndarray, size: int) -> np.ndarray:
    """Square images averaged down to size x size, one flat row each."""
    n, k = len(images), images.shape[1] // size
    return images.reshape(n, size, k, size, k).mean(axis=(2, 4)).reshape(n, -1)


def _contrast_normalised(a: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-9)


def _shifted(images: np.ndarray, reach: int) -> tuple[np.ndarray, np.ndarray]:
    """Every image shifted by up to `reach` pixels each way: (flat images, index of each)."""
    n, h, w = images.shape
    padded = np.pad(images, ((0, 0), (reach, reach), (reach, reach)))
    shifts = [padded[:, dy:dy + h, dx:dx + w].reshape(n, -1)
              for dy in range(2 * reach + 1) for dx in range(2 * reach + 1)]
    return np.vstack(shifts), np.tile(np.arange(n), len(shifts))


def _deskewed(images: np.ndarray) -> np.ndarray:
    """The classic handwriting normalisation: each image centred on its ink and sheared upright
    by its second moments (flat rows)."""
    from scipy import ndimage

    n, h, w = images.shape
    yy, xx = np.mgrid[:h, :w]
    out = []
    for img in images:
        mass = img.sum() + 1e-9
        my, mx = (yy * img).sum() / mass, (xx * img).sum() / mass
        slant = ((xx - mx) * (yy - my) * img).sum() / max(((yy - my) ** 2 * img).sum(), 1e-9)
        shear = np.array([[1.0, 0.0], [slant, 1.0]])
        offset = np.array([my, mx]) - shear @ np.array([h / 2, w / 2])
        out.append(ndimage.affine_transform(img, shear, offset=offset, order=1).reshape(-1))
    return np.stack(out)


@pytest.fixture(scope="module")
def digit_sets(prepared):
    """Pixels (0..1) of the practice train and test images, the bundled digits, and for each test
    image the bundled digits its generator blended (its own sources)."""
    from PIL import Image

    c = prepared[DIG]
    train = read_csv(c.public_dir / "train.csv", dtype={"id": str})
    test_ids = read_csv(c.sample_submission, dtype={"id": str})["id"].tolist()

    def pixels(folder: str, ids: list[str]) -> np.ndarray:
        out = []
        for i in ids:
            with Image.open(c.public_dir / folder / f"{i}.png") as im:
                out.append(np.asarray(im.convert("L"), dtype=np.float64) / 255)
        return np.stack(out)

    digits = load_digits()
    fixture = c.module("fixture")
    position = {image_id: n for n, image_id in enumerate(fixture.image_ids(len(digits.images)))}
    sources = fixture.blend_sources(digits.images, digits.target)
    return {
        "train": pixels("train", train["id"].tolist()), "train_labels": train["label"].to_numpy(),
        "test": pixels("test", test_ids), "test_ids": test_ids,
        "bundled": digits.images / 16.0, "bundled_labels": digits.target,
        "own_sources": [set(sources[position[i]].tolist()) for i in test_ids],
    }


def _labels_score(competition, ids: list[str], labels: np.ndarray) -> float:
    return _score(competition, pd.DataFrame({"id": ids, "label": labels}))


def test_digit_pixel_lookups_score_below_an_honest_model(prepared, digit_sets):
    """Nearest bundled digit by pixels (raw, contrast-normalised, or searched over shifts): below
    an SVC on train.csv's pixels, below gold, and almost never the test image's own source."""
    from sklearn.svm import SVC

    c, s = prepared[DIG], digit_sets
    bundled, labels = s["bundled"], s["bundled_labels"]
    test_8, test_16 = _blocks(s["test"], 8), _blocks(s["test"], 16)
    honest = _labels_score(c, s["test_ids"], SVC(C=10).fit(_blocks(s["train"], 16), s["train_labels"])
                           .predict(test_16))
    assert honest > _score(c, read_csv(c.sample_submission, dtype={"id": str}))
    assert not (set(map(tuple, np.round(test_8 * 16).astype(int)))
                & set(map(tuple, (bundled * 16).astype(int).reshape(len(bundled), -1))))

    templates, owner = _shifted(bundled.repeat(2, axis=1).repeat(2, axis=2), 2)
    lookups = {
        "nearest 8x8 pixels": _nearest(test_8, bundled.reshape(len(bundled), -1))[1],
        "nearest contrast-normalised 8x8 pixels": _nearest(
            _contrast_normalised(test_8), _contrast_normalised(bundled.reshape(len(bundled), -1)))[1],
        "nearest contrast-normalised 16x16, shifted up to 2 px": owner[_nearest(
            _contrast_normalised(test_16), _contrast_normalised(templates))[1]],
    }
    gold = _gold(c)
    for name, idx in lookups.items():
        score = _labels_score(c, s["test_ids"], labels[idx])
        found = np.mean([i in own for i, own in zip(idx, s["own_sources"], strict=True)])
        assert honest > score and gold > score, f"{name}: lookup {score} vs honest {honest}, gold {gold}"
        assert found < 0.2, f"{name}: {found:.0%} of test images matched to their own source"


def test_deskewed_lookup_is_learning_not_lookup(prepared, digit_sets):
    """Deskewed, a nearest-neighbour classifier on the bundled digits is a strong, legitimate
    model (it may reach gold, like the same classifier on train.csv). What makes it a lookup is
    the test image's own source in the bundled set: it finds one for few images, removing them
    costs it little, and the same classifier on train.csv scores higher."""
    c, s = prepared[DIG], digit_sets
    labels = s["bundled_labels"]
    test = _contrast_normalised(_deskewed(_blocks(s["test"], 16).reshape(-1, 16, 16)))
    bundled = _contrast_normalised(_deskewed(s["bundled"].repeat(2, axis=1).repeat(2, axis=2)))
    train = _contrast_normalised(_deskewed(_blocks(s["train"], 16).reshape(-1, 16, 16)))
    honest = _labels_score(c, s["test_ids"], s["train_labels"][_nearest(test, train)[1]])
    ranked = NearestNeighbors(n_neighbors=30).fit(bundled).kneighbors(test)[1]
    lookup = _labels_score(c, s["test_ids"], labels[ranked[:, 0]])
    own = s["own_sources"]
    found = np.mean([row[0] in o for row, o in zip(ranked, own, strict=True)])
    without_own = _labels_score(c, s["test_ids"], labels[[next(i for i in row if i not in o)
                                                          for row, o in zip(ranked, own, strict=True)]])
    assert lookup < honest and lookup != 1.0
    assert found < 0.3
    assert lookup - without_own < 0.05
