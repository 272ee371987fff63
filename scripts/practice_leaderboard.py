"""Private leaderboards of the offline practice competitions, made by a reference portfolio.

Practice competitions (`source: builtin`) have no Kaggle leaderboard, so medals need one made
honestly: each entry ("team") is one documented reference solution -- a scikit-learn model with
fixed hyperparameters, trained on a subset of the features and a seeded subsample of the public
training rows -- whose submission is written to CSV and scored by the competition's own grader
on the held-out private test set, exactly like an agent's submission. Nothing is tuned on the
test set and every entry is kept, good or bad.

    python scripts/practice_leaderboard.py            # rewrite the shipped boards
    python scripts/practice_leaderboard.py --check    # compare, exit 1 on a change
    python scripts/practice_leaderboard.py -c practice-tabular-regression

A maintainer's script: nothing in the package imports it (the boards it writes are data).

Writes `<competition>/leaderboard.csv` (teamId, teamName, score, submissionDate, method; best
first, ties by teamId) and `<competition>/leaderboard.md` (how it was made, with versions).
`submissionDate` is a fixed placeholder (one minute per teamId), not a real time.

The fits go through OpenBLAS, whose vector kernels (SSE, AVX2, AVX-512) round differently enough
to move a logistic regression's solution and flip a test prediction; on x86-64 the script
therefore reruns itself with `OPENBLAS_CORETYPE=Nehalem` (SSE kernels, present on every x86-64
CPU), which is how the shipped boards were made and how the tests reproduce them.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.data import prepare_competition
from mlebench.grading.io import load_answers
from mlebench.grading.medals import thresholds
from mlebench.registry import COMPETITIONS_DIR, Registry
from mlebench.tables import read_csv

SCRIPT = "python scripts/practice_leaderboard.py"
BASE_DATE = datetime(2024, 1, 1)


@dataclass(frozen=True)
class Entry:
    """One reference solution: a model factory, a named feature subset, a training-row fraction."""

    model: str
    features: str
    fraction: float
    make: Callable[[], object]

    @property
    def name(self) -> str:
        return f"{self.model} | {self.features} | {round(self.fraction * 100)}% rows"


# --- models ------------------------------------------------------------------------------------
# Nearest neighbours search a k-d tree: brute force ranks by distances computed through BLAS
# (|x|^2 - 2xy + |y|^2), whose last bits, and so the choice among tied neighbours, vary with the
# CPU's OpenBLAS kernel.
def _scaled(model: object) -> object:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def classification_models() -> dict[str, Callable[[], object]]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    return {
        "logistic regression C=0.01 (scaled)": lambda: _scaled(LogisticRegression(C=0.01, max_iter=2000)),
        "logistic regression C=1 (scaled)": lambda: _scaled(LogisticRegression(C=1.0, max_iter=2000)),
        "gaussian naive bayes": GaussianNB,
        "3-nearest neighbours (scaled)": lambda: _scaled(KNeighborsClassifier(3, algorithm="kd_tree")),
        "15-nearest neighbours (scaled)": lambda: _scaled(KNeighborsClassifier(15, algorithm="kd_tree")),
        "decision tree depth 2": lambda: DecisionTreeClassifier(max_depth=2, random_state=0),
        "decision tree depth 6": lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
        "random forest 50 trees": lambda: RandomForestClassifier(50, random_state=0, n_jobs=1),
    }


def regression_models() -> dict[str, Callable[[], object]]:
    from sklearn.dummy import DummyRegressor
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import Lasso, LinearRegression, Ridge
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.svm import SVR
    from sklearn.tree import DecisionTreeRegressor

    return {
        "mean of train (dummy)": DummyRegressor,
        "linear regression": LinearRegression,
        "ridge alpha=1 (scaled)": lambda: _scaled(Ridge(alpha=1.0)),
        "ridge alpha=100 (scaled)": lambda: _scaled(Ridge(alpha=100.0)),
        "lasso alpha=1 (scaled)": lambda: _scaled(Lasso(alpha=1.0)),
        "lasso alpha=20 (scaled)": lambda: _scaled(Lasso(alpha=20.0)),
        "5-nearest neighbours (scaled)": lambda: _scaled(KNeighborsRegressor(5, algorithm="kd_tree")),
        "25-nearest neighbours (scaled)": lambda: _scaled(KNeighborsRegressor(25, algorithm="kd_tree")),
        "decision tree depth 3": lambda: DecisionTreeRegressor(max_depth=3, random_state=0),
        "decision tree depth 8": lambda: DecisionTreeRegressor(max_depth=8, random_state=0),
        "random forest 50 trees": lambda: RandomForestRegressor(50, random_state=0, n_jobs=1),
        "random forest 50 trees min leaf 10": lambda: RandomForestRegressor(
            50, min_samples_leaf=10, random_state=0, n_jobs=1),
        "gradient boosting 100 trees": lambda: GradientBoostingRegressor(random_state=0),
        "SVR rbf C=100 (scaled)": lambda: _scaled(SVR(C=100.0)),
        "SVR rbf C=1 (scaled)": lambda: _scaled(SVR(C=1.0)),
    }


def digit_models() -> dict[str, Callable[[], object]]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return {
        "logistic regression C=1": lambda: LogisticRegression(C=1.0, max_iter=3000),
        "1-nearest neighbour": lambda: KNeighborsClassifier(1, algorithm="kd_tree"),
        "7-nearest neighbours": lambda: KNeighborsClassifier(7, algorithm="kd_tree"),
        "gaussian naive bayes": GaussianNB,
        "decision tree depth 4": lambda: DecisionTreeClassifier(max_depth=4, random_state=0),
        "decision tree depth 12": lambda: DecisionTreeClassifier(max_depth=12, random_state=0),
        "random forest 30 trees": lambda: RandomForestClassifier(30, random_state=0, n_jobs=1),
        "SVC rbf C=10": lambda: SVC(C=10.0, gamma="scale"),
    }


# --- tasks -------------------------------------------------------------------------------------
@dataclass
class Task:
    competition_id: str
    id_column: str
    target: str
    feature_sets: dict[str, list[str]]
    fractions: tuple[float, ...]
    models: Callable[[], dict[str, Callable[[], object]]]
    kind: str  # "proba", "regression" or "label"
    load: Callable[[Path], tuple[pd.DataFrame, pd.DataFrame]]  # public dir -> (train, test)

    def entries(self) -> list[Entry]:
        return [Entry(m, f, frac, make) for f in self.feature_sets for frac in self.fractions
                for m, make in self.models().items()]


def _load_tabular(public: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from mlebench.tables import read_csv

    return read_csv(public / "train.csv"), read_csv(public / "test.csv")


def _pixels(folder: Path, ids: list[str], size: int) -> np.ndarray:
    from PIL import Image

    rows = []
    for i in ids:
        with Image.open(folder / f"{i}.png") as im:
            a = np.asarray(im.convert("L"), dtype=np.float64) / 255.0
        k = a.shape[0] // size
        rows.append(a.reshape(size, k, size, k).mean(axis=(1, 3)).ravel())
    return np.stack(rows)


def _load_digits(public: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from mlebench.tables import read_csv

    train = read_csv(public / "train.csv", dtype={"id": str})
    test = read_csv(public / "sample_submission.csv", dtype={"id": str})[["id"]]
    frames = []
    for frame, folder in ((train, public / "train"), (test, public / "test")):
        blocks = [frame.reset_index(drop=True)]
        for size in (4, 8, 16):
            px = _pixels(folder, frame["id"].tolist(), size)
            blocks.append(pd.DataFrame(px, columns=[f"p{size}_{j}" for j in range(size * size)]))
        frames.append(pd.concat(blocks, axis=1))
    return frames[0], frames[1]


_BC = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
       "concave_points", "symmetry", "fractal_dimension"]

TASKS: dict[str, Task] = {
    "practice-tabular-classification": Task(
        "practice-tabular-classification", "id", "malignant",
        {
            "all 30 features": [f"{p}_{c}" for p in ("mean", "worst") for c in _BC]
            + [f"{c}_error" for c in _BC],
            "10 mean_* features": [f"mean_{c}" for c in _BC],
            "10 *_error features": [f"{c}_error" for c in _BC],
            "texture, smoothness, symmetry (mean)": ["mean_texture", "mean_smoothness", "mean_symmetry"],
            "fractal dimension + symmetry errors": ["fractal_dimension_error", "symmetry_error",
                                                    "texture_error", "smoothness_error"],
        },
        (1.0, 0.3, 0.1),
        classification_models, "proba", _load_tabular,
    ),
    "practice-tabular-regression": Task(
        "practice-tabular-regression", "id", "progression",
        {
            "all 10 features": ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"],
            "bmi, bp, s5": ["bmi", "bp", "s5"],
            "bmi only": ["bmi"],
            "age, sex, bp": ["age", "sex", "bp"],
            "blood serum s1-s6": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "age, sex": ["age", "sex"],
        },
        (1.0, 0.5, 0.15),
        regression_models, "regression", _load_tabular,
    ),
    "practice-digit-images": Task(
        "practice-digit-images", "id", "label",
        {
            "16x16 pixels": [f"p16_{j}" for j in range(256)],
            "8x8 pixels": [f"p8_{j}" for j in range(64)],
            "4x4 pixels": [f"p4_{j}" for j in range(16)],
        },
        (1.0, 0.2, 0.05, 0.02),
        digit_models, "label", _load_digits,
    ),
}


def _subsample(train: pd.DataFrame, target: str, fraction: float, stratify: bool) -> pd.DataFrame:
    if fraction >= 1.0:
        return train
    from sklearn.model_selection import train_test_split

    part, _ = train_test_split(train, train_size=fraction, random_state=0,
                               stratify=train[target] if stratify else None)
    return part


def run_entry(task: Task, entry: Entry, train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """Train one reference solution and return its submission (id, target)."""
    cols = task.feature_sets[entry.features]
    part = _subsample(train, task.target, entry.fraction, stratify=task.kind != "regression")
    model = entry.make()
    model.fit(part[cols].to_numpy(), part[task.target].to_numpy())
    X = test[cols].to_numpy()
    if task.kind == "proba":
        pred = model.predict_proba(X)[:, list(model.classes_).index(1)]
    else:
        pred = model.predict(X)
    return pd.DataFrame({task.id_column: test[task.id_column].to_numpy(), task.target: pred})


def build_leaderboard(competition_id: str, data_dir: Path | None = None,
                      limit: int | None = None) -> pd.DataFrame:
    """Prepare the competition (into `data_dir`, default a temporary one), run its portfolio
    (the first `limit` entries only, if given) and return the leaderboard, best first."""
    task = TASKS[competition_id]
    with tempfile.TemporaryDirectory(prefix="practice-lb-") as tmp:
        competition = Registry(data_dir or Path(tmp) / "data").get_competition(competition_id)
        prepare_competition(competition, force=data_dir is None)
        train, test = task.load(competition.public_dir)
        answers = load_answers(competition.answers)
        rows = []
        for team_id, entry in enumerate(task.entries()[:limit], start=1):
            sub_path = Path(tmp) / f"submission_{team_id}.csv"
            run_entry(task, entry, train, test).to_csv(sub_path, index=False)
            result = competition.grader.grade(read_csv(sub_path), answers)
            if not result.valid:
                raise RuntimeError(f"{entry.name}: invalid submission ({result.invalid_reason})")
            rows.append({
                "teamId": team_id,
                "teamName": f"ref-{team_id:03d}",
                "score": result.score,
                "submissionDate": (BASE_DATE + timedelta(minutes=team_id)).strftime("%Y-%m-%d %H:%M:%S"),
                "method": entry.name,
            })
    board = pd.DataFrame(rows)
    ascending = competition.config.lower_is_better
    board = board.sort_values(["score", "teamId"], ascending=[ascending, True], kind="mergesort")
    return board.reset_index(drop=True)


def versions() -> dict[str, str]:
    import PIL
    import sklearn

    return {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
            "scikit-learn": sklearn.__version__, "pillow": PIL.__version__}


def describe(competition_id: str, board: pd.DataFrame) -> str:
    task = TASKS[competition_id]
    t = thresholds(board)
    models = "\n".join(f"- {m}" for m in task.models())
    feats = "\n".join(f"- {name}: {', '.join(cols) if len(cols) <= 12 else f'{len(cols)} columns'}"
                      for name, cols in task.feature_sets.items())
    vers = ", ".join(f"{k} {v}" for k, v in versions().items())
    fractions = ", ".join(f"{round(f * 100)}%" for f in task.fractions)
    return f"""# Leaderboard of {competition_id}

`leaderboard.csv` is not from Kaggle. It was made by
`{SCRIPT} -c {competition_id}`
(`scripts/practice_leaderboard.py`) with {vers}.

Each of its {len(board)} entries is one reference solution: the full cross product of
{len(task.models())} models x {len(task.feature_sets)} feature subsets x {len(task.fractions)} \
training-row fractions ({fractions}, a seeded subsample of the public train.csv).
Each solution's submission was written to CSV and scored with this competition's grader on the
private test set, like any agent's submission, and every entry is kept.
`method` names the solution; `teamName` and `submissionDate` are placeholders.

Medal thresholds ({len(board)} teams): gold {t.gold}, silver {t.silver}, bronze {t.bronze};
median {round(t.median, 6)}.

## Models

{models}

## Feature subsets

{feats}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--competition", action="append", choices=sorted(TASKS))
    parser.add_argument("--check", action="store_true",
                        help="Compare with the shipped leaderboards instead of writing them.")
    args = parser.parse_args(argv)
    status = 0
    for cid in args.competition or sorted(TASKS):
        board = build_leaderboard(cid)
        path = COMPETITIONS_DIR / cid / "leaderboard.csv"
        if args.check:
            shipped = pd.read_csv(path)
            same = shipped.equals(pd.read_csv(pd.io.common.StringIO(board.to_csv(index=False))))
            print(f"{cid}: {'matches' if same else 'DIFFERS from'} {path}")
            status |= 0 if same else 1
            continue
        board.to_csv(path, index=False)
        (path.parent / "leaderboard.md").write_text(describe(cid, board))
        print(f"{cid}: {len(board)} entries -> {path}")
    return status


# The same BLAS kernels on every x86-64 CPU (see the module's docstring).
PINNED_BLAS_ENV = {"OPENBLAS_CORETYPE": "Nehalem"} if platform.machine() in ("x86_64", "AMD64") else {}


if __name__ == "__main__":
    if any(os.environ.get(k) != v for k, v in PINNED_BLAS_ENV.items()):
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **PINNED_BLAS_ENV})
    sys.exit(main())
