"""The three offline practice competitions (`source: builtin`): preparation of their data (new
rows and images derived from scikit-learn's bundled data, see tests/competitions/
test_practice_lookup.py for why none is a bundled one), grading, medals against their shipped leaderboards, and the leaderboards'
reproducibility by scripts/practice_leaderboard.py."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlebench.grade import grade_csv
from mlebench.registry import COMPETITIONS_DIR, Registry
from mlebench.tables import read_csv


def _load_script(name: str):
    """A maintainer's script under scripts/ (not part of the package), imported from its path."""
    path = Path(__file__).resolve().parents[2] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


plb = _load_script("practice_leaderboard")

CLS, REG, DIG = "practice-tabular-classification", "practice-tabular-regression", "practice-digit-images"
PRACTICE = [CLS, REG, DIG]

# (id column, target, public train rows, private test rows, lower is better, leaderboard teams)
SPEC = {
    CLS: ("id", "malignant", 750, 250, False, 120),
    REG: ("id", "progression", 750, 250, True, 270),
    DIG: ("id", "label", 1221, 306, False, 96),
}

# md5 of the prepared files (the data is fixed: fixed draws from scikit-learn's bundled data, fixed
# split, made without CPU-dependent maths); for the image folders, of every PNG's name and bytes.
PREPARED_MD5 = {
    CLS: {
        "private/test.csv": "5562631d5f1335f7ddfccd5d44961b8e",
        "public/sample_submission.csv": "5a2b1a1c12dcfc7ff914822615a4dd75",
        "public/test.csv": "656caf56d8093aac0812854c7f1fdf23",
        "public/train.csv": "d32ad61d33305a3de5540d923f8b8a1a",
    },
    REG: {
        "private/test.csv": "3aed41d083e42f2897d58269122e4966",
        "public/sample_submission.csv": "7f1b414f579c48539b896b468960a25e",
        "public/test.csv": "bd9e762dca05b64ec2a9231597a5b13d",
        "public/train.csv": "f0cb8e826b55dbe690799adb7392b846",
    },
    DIG: {
        "private/test.csv": "45f43a1cb5a36f686226b57169433ae7",
        "public/sample_submission.csv": "09c7225edf8459cad42050c15c808f57",
        "public/train.csv": "21205811c35b3538093ebf0adbe613d6",
        "public/train/": "ae087efa7c4a64208a470067ca4ba6be",
        "public/test/": "e80bb5d1b9c290cd469ba9bff18dfda7",
    },
}

# Sample submission scores (all far from any medal).
SAMPLE_SCORE = {CLS: 0.5, REG: 165.50486, DIG: 0.09804}


def _md5(path: Path) -> str:
    if path.is_dir():
        digest = hashlib.md5()
        for png in sorted(path.glob("*.png")):
            digest.update(png.name.encode())
            digest.update(png.read_bytes())
        return digest.hexdigest()
    return hashlib.md5(path.read_bytes()).hexdigest()


def _grade(df: pd.DataFrame, competition, tmp_path: Path, name: str = "submission.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return grade_csv(path, competition)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """All three prepared once for the module (preparation is deterministic and offline)."""
    from mlebench.data import prepare_competition

    registry = Registry(tmp_path_factory.mktemp("practice") / "data")
    out = {}
    for cid in PRACTICE:
        competition = registry.get_competition(cid)
        outcome = prepare_competition(competition, force=True)
        assert outcome.source == "builtin"
        out[cid] = competition
    return out


def test_practice_split_lists_the_three():
    assert sorted(Registry().get_split("practice")) == sorted(PRACTICE)
    for cid in PRACTICE:
        c = Registry().get_competition(cid)
        assert c.is_practice and c.implemented and c.config.awards_medals
        assert c.lower_is_better is SPEC[cid][4]
        assert c.leaderboard.is_file() and c.task_card.is_file()


@pytest.mark.digest
@pytest.mark.parametrize("cid", PRACTICE)
def test_prepare_split(cid, prepared):
    c = prepared[cid]
    id_col, target, n_train, n_test, _, _ = SPEC[cid]
    train = read_csv(c.public_dir / "train.csv", dtype={id_col: str})
    answers = read_csv(c.answers, dtype={id_col: str})
    sample = read_csv(c.sample_submission, dtype={id_col: str})
    assert (len(train), len(answers)) == (n_train, n_test)
    assert list(answers.columns) == [id_col, target]
    assert not set(train[id_col]) & set(answers[id_col])
    assert list(sample.columns) == [id_col, target]
    assert sorted(sample[id_col]) == sorted(answers[id_col])
    assert train[id_col].is_unique and answers[id_col].is_unique
    assert (c.public_dir / "description.md").read_text() == c.task_card.read_text()
    if cid == DIG:
        train_png = {p.stem for p in (c.public_dir / "train").glob("*.png")}
        test_png = {p.stem for p in (c.public_dir / "test").glob("*.png")}
        assert train_png == set(train[id_col]) and test_png == set(answers[id_col])
        assert not (c.public_dir / "test.csv").exists()
        from PIL import Image

        with Image.open(next(iter((c.public_dir / "test").glob("*.png")))) as im:
            assert (im.size, im.mode) == ((32, 32), "L")
        assert sorted(train[target].unique()) == list(range(10))
    else:
        test = read_csv(c.public_dir / "test.csv", dtype={id_col: str})
        assert target not in test.columns
        assert list(test[id_col]) == list(answers[id_col])
        assert list(train.columns) == [*test.columns, target]
    for rel, expected in PREPARED_MD5[cid].items():
        assert _md5(c.prepared_dir / rel) == expected, rel


@pytest.mark.parametrize("cid", PRACTICE)
def test_sample_is_poor_and_perfect_is_gold(cid, prepared):
    c = prepared[cid]
    sample = grade_csv(c.sample_submission, c)
    assert sample.valid_submission
    assert sample.score == pytest.approx(SAMPLE_SCORE[cid], abs=1e-9)
    assert not (sample.gold_medal or sample.silver_medal or sample.bronze_medal or sample.above_median)
    perfect = grade_csv(c.answers, c)  # the answers are in submission format
    assert perfect.valid_submission and perfect.gold_medal
    assert perfect.score == (0.0 if c.lower_is_better else 1.0)


def _fit_predict(cid, c):
    """A deliberately mid-quality model, written independently of the leaderboard script."""
    id_col, target = SPEC[cid][:2]
    if cid == DIG:
        from sklearn.naive_bayes import GaussianNB

        train = read_csv(c.public_dir / "train.csv", dtype={id_col: str})
        test = read_csv(c.sample_submission, dtype={id_col: str})[[id_col]]
        X_tr = plb._pixels(c.public_dir / "train", train[id_col].tolist(), 4)
        X_te = plb._pixels(c.public_dir / "test", test[id_col].tolist(), 4)
        pred = GaussianNB().fit(X_tr, train[target]).predict(X_te)
        return pd.DataFrame({id_col: test[id_col], target: pred})
    train = read_csv(c.public_dir / "train.csv")
    test = read_csv(c.public_dir / "test.csv")
    if cid == CLS:
        from sklearn.linear_model import LogisticRegression

        cols = ["mean_texture", "mean_smoothness"]
        model = LogisticRegression(max_iter=1000).fit(train[cols], train[target])
        return pd.DataFrame({id_col: test[id_col], target: model.predict_proba(test[cols])[:, 1]})
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(train[["bmi"]], train[target])
    return pd.DataFrame({id_col: test[id_col], target: model.predict(test[["bmi"]])})


@pytest.mark.parametrize("cid", PRACTICE)
def test_mid_quality_model(cid, prepared, tmp_path):
    c = prepared[cid]
    report = _grade(_fit_predict(cid, c), c, tmp_path)
    assert report.valid_submission, report.invalid_reason
    sample = SAMPLE_SCORE[cid]
    perfect = 0.0 if c.lower_is_better else 1.0
    lo, hi = sorted([sample, perfect])
    assert lo < report.score < hi
    board = pd.read_csv(c.leaderboard)
    worse = board["score"] > report.score if c.lower_is_better else board["score"] < report.score
    assert 0 < worse.sum() < len(board)  # somewhere inside the leaderboard, not first nor last
    assert not report.gold_medal


def _invalid_cases(cid, answers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    id_col, target = SPEC[cid][:2]
    good = answers.copy()
    cases = {
        "missing target column": good[[id_col]],
        "missing id column": good[[target]],
        "too few rows": good.iloc[:-1],
        "too many rows": pd.concat([good, good.iloc[:1]]),
        "duplicate id": good.assign(**{id_col: [good[id_col].iloc[0], *good[id_col].iloc[1:-1],
                                                good[id_col].iloc[0]]}),
        "unknown id": good.assign(**{id_col: [*good[id_col].iloc[:-1], "not-an-id"]}),
        "NaN value": good.assign(**{target: [np.nan, *good[target].iloc[1:]]}),
        "text value": good.assign(**{target: ["abc", *good[target].iloc[1:].astype(str)]}),
    }
    if cid == CLS:
        cases["probability above 1"] = good.assign(**{target: [1.5, *good[target].iloc[1:]]})
        cases["negative probability"] = good.assign(**{target: [-0.1, *good[target].iloc[1:]]})
    if cid == REG:
        cases["infinite value"] = good.assign(**{target: [np.inf, *good[target].iloc[1:]]})
    if cid == DIG:
        cases["label 10"] = good.assign(**{target: [10, *good[target].iloc[1:]]})
        cases["fractional label"] = good.assign(**{target: [3.5, *good[target].iloc[1:]]})
    return cases


@pytest.mark.parametrize("cid", PRACTICE)
def test_invalid_submissions(cid, prepared, tmp_path):
    c = prepared[cid]
    answers = read_csv(c.answers, dtype={SPEC[cid][0]: str} if cid == DIG else None)
    for i, (what, df) in enumerate(_invalid_cases(cid, answers).items()):
        report = _grade(df, c, tmp_path, f"bad{i}.csv")
        assert report.valid_submission is False, what
        assert report.invalid_reason, what


def test_hand_checked_scores(prepared, tmp_path):
    # Digits: 4 of 306 labels changed -> 302 / 306 = 0.98693; float labels like 3.0 are accepted.
    c = prepared[DIG]
    ans = read_csv(c.answers, dtype={"id": str})
    sub = ans.assign(label=ans["label"].astype(float))
    sub.loc[:3, "label"] = (sub.loc[:3, "label"] + 1) % 10
    assert _grade(sub, c, tmp_path).score == pytest.approx(302 / 306, abs=1e-5)
    # Regression: every prediction 10 too high -> RMSE exactly 10.
    c = prepared[REG]
    ans = read_csv(c.answers)
    assert _grade(ans.assign(progression=ans["progression"] + 10), c, tmp_path).score == 10.0
    # Classification: the labels themselves reversed (1 - y) rank every pair wrongly -> AUC 0.
    c = prepared[CLS]
    ans = read_csv(c.answers)
    assert _grade(ans.assign(malignant=1.0 - ans["malignant"]), c, tmp_path).score == 0.0


@pytest.mark.parametrize("cid", PRACTICE)
def test_shipped_leaderboard_shape(cid):
    from mlebench.grading.medals import is_lower_better, thresholds

    board = pd.read_csv(Registry().get_competition(cid).leaderboard)
    assert list(board.columns) == ["teamId", "teamName", "score", "submissionDate", "method"]
    assert len(board) == SPEC[cid][5] == len(plb.TASKS[cid].entries())
    assert board["teamId"].is_unique and board["method"].is_unique
    scores = board["score"].to_numpy()
    assert (np.diff(scores) >= 0).all() if SPEC[cid][4] else (np.diff(scores) <= 0).all()
    assert is_lower_better(board) is SPEC[cid][4]
    t = thresholds(board)
    assert t.gold != t.bronze  # the medals separate entries
    assert (COMPETITIONS_DIR / cid / "leaderboard.md").is_file()


# Run under the script's pinned BLAS kernels (`PINNED_BLAS_ENV`): on another kernel (AVX-512
# here) a logistic regression may converge elsewhere and flip a prediction.
_REPRODUCE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import practice_leaderboard as plb
from mlebench.registry import Registry
from mlebench.tables import read_csv
out = {}
for cid in sys.argv[3:]:
    c = Registry(sys.argv[2]).get_competition(cid)
    task = plb.TASKS[cid]
    train, test = task.load(c.public_dir)
    answers = read_csv(c.answers, dtype={"id": str} if cid == "practice-digit-images" else None)
    entries = task.entries()
    out[cid] = {str(team): [entries[team - 1].name,
                            c.grader.grade(plb.run_entry(task, entries[team - 1], train, test),
                                           answers).score]
                for team in (1, 2, len(entries))}
print(json.dumps(out))
"""
_REGENERATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import practice_leaderboard as plb
board = plb.build_leaderboard(sys.argv[2])
print(json.dumps(board[["teamId", "method", "score"]].to_dict(orient="list")))
"""


def _pinned(code: str, *args: str) -> dict:
    scripts = Path(__file__).resolve().parents[2] / "scripts"
    env = {**os.environ, **plb.PINNED_BLAS_ENV}
    out = subprocess.run([sys.executable, "-c", code, str(scripts), *args], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_leaderboard_entries_reproduce_fast(prepared):
    """Rerun a few portfolio entries of each competition on the prepared data: same scores."""
    data_dir = prepared[CLS].data_dir
    assert all(prepared[cid].data_dir == data_dir for cid in PRACTICE)
    results = _pinned(_REPRODUCE, str(data_dir), *PRACTICE)
    for cid in PRACTICE:
        board = pd.read_csv(prepared[cid].leaderboard).set_index("teamId")
        for team_id, (method, score) in results[cid].items():
            assert board.loc[int(team_id), "method"] == method
            assert score == pytest.approx(board.loc[int(team_id), "score"], abs=2e-5), method


@pytest.mark.slow
@pytest.mark.parametrize("cid", PRACTICE)
def test_leaderboard_regenerates(cid):
    """The whole script gives the shipped file (about 4-8 s per competition on 2 cores)."""
    board = _pinned(_REGENERATE, cid)
    shipped = pd.read_csv(Registry().get_competition(cid).leaderboard)
    assert board["teamId"] == list(shipped["teamId"])
    assert board["method"] == list(shipped["method"])
    np.testing.assert_allclose(board["score"], shipped["score"], atol=2e-5, rtol=0)


def test_practice_data_of_an_older_task_version_is_prepared_again(tmp_path):
    """Practice data prepared by an older mlebench (bundled rows: its answers could be looked up,
    and the shipped leaderboard was scored on another test set) never counts as prepared."""
    import json

    from mlebench.data import is_dataset_prepared, prepare_competition

    c = Registry(tmp_path / "data").get_competition(CLS)
    prepare_competition(c)
    manifest = c.prepared_dir / "PREPARED.json"
    assert is_dataset_prepared(c) and json.loads(manifest.read_text())["task_version"] == c.version
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "task_version": c.version - 1}))
    c.answers.write_text("id,malignant\n0,1\n")  # what an old preparation would leave
    assert not is_dataset_prepared(c) and not is_dataset_prepared(c, grading_only=True)
    assert prepare_competition(c).status == "prepared"
    assert is_dataset_prepared(c) and _md5(c.answers) == PREPARED_MD5[CLS]["private/test.csv"]
