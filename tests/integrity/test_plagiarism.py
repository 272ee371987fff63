"""Plagiarism check: Dolos against public notebooks (real Dolos when installed; skipped otherwise),
notebooks from a folder or fetched once from a loopback fake Kaggle with the official client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlebench.aggregation import integrity_flags
from mlebench.cli import main
from mlebench.errors import MLEBenchError
from mlebench.integrity.notebooks import FETCHED, kernel_refs, notebooks_for
from mlebench.integrity.plagiarism import (
    DEFAULT_THRESHOLD,
    PLAGIARISM_FILE,
    DolosUnavailable,
    find_dolos,
)
from tests.data.fake_kaggle_kernels import FakeKaggleKernels, Kernel

CID = "spaceship-titanic"

LGBM = '''import numpy as np
import pandas as pd
import lightgbm as lgb
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import accuracy_score

train = pd.read_csv("/kaggle/input/spaceship-titanic/train.csv")
test = pd.read_csv("/kaggle/input/spaceship-titanic/test.csv")
for df in (train, test):
    df[["Deck", "Num", "Side"]] = df["Cabin"].str.split("/", expand=True)
    df["Group"] = df["PassengerId"].str.split("_").str[0].astype(int)
    df["Spend"] = df[["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]].sum(axis=1)
    for col in ("HomePlanet", "CryoSleep", "Destination", "VIP", "Deck", "Side"):
        df[col] = df[col].astype("category")
features = [c for c in train.columns if c not in ("PassengerId", "Name", "Cabin", "Transported")]
y = train["Transported"].astype(int)
oof = np.zeros(len(train))
preds = np.zeros(len(test))
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
for fold, (tr, va) in enumerate(folds.split(train, y)):
    model = lgb.LGBMClassifier(n_estimators=2000, learning_rate=0.02, num_leaves=31,
                               subsample=0.8, colsample_bytree=0.7)
    model.fit(train.loc[tr, features], y[tr], eval_set=[(train.loc[va, features], y[va])],
              callbacks=[lgb.early_stopping(100, verbose=False)])
    oof[va] = model.predict_proba(train.loc[va, features])[:, 1]
    preds += model.predict_proba(test[features])[:, 1] / folds.n_splits
    print(fold, accuracy_score(y[va], oof[va] > 0.5))
print("CV", accuracy_score(y, oof > 0.5))
sub = pd.DataFrame({"PassengerId": test["PassengerId"], "Transported": preds > 0.5})
sub.to_csv("submission.csv", index=False)
'''

EDA = '''import matplotlib.pyplot as plt
import seaborn as sns
import pandas as pd

df = pd.read_csv("../input/spaceship-titanic/train.csv")
print(df.shape)
print(df.info())
print(df.isna().mean().sort_values(ascending=False))
fig, axes = plt.subplots(2, 3, figsize=(15, 8))
for ax, col in zip(axes.ravel(), ["HomePlanet", "CryoSleep", "Destination", "VIP", "Age", "Spa"]):
    if df[col].dtype == object or df[col].dtype == bool:
        sns.countplot(data=df, x=col, hue="Transported", ax=ax)
    else:
        sns.histplot(data=df, x=col, hue="Transported", bins=30, ax=ax)
    ax.set_title(col)
plt.tight_layout()
plt.show()
corr = df.select_dtypes("number").corr()
sns.heatmap(corr, annot=True, cmap="coolwarm")
plt.show()
'''

TORCH = '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

class Net(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Dropout(0.2),
                                  nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.body(x).squeeze(-1)

def train_model(x, y, epochs=20):
    net = Net(x.shape[1])
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-4)
    loss_fn = nn.BCEWithLogitsLoss()
    loader = DataLoader(TensorDataset(x, y), batch_size=256, shuffle=True)
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        print(epoch, total / len(loader.dataset))
    return net
'''

# An agent's own solution for the same task: same libraries and idioms, different program.
ORIGINAL = '''import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_score

DATA = "/home/data"
train = pd.read_csv(f"{DATA}/train.csv")
test = pd.read_csv(f"{DATA}/test.csv")


def featurize(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["age"] = frame["Age"].fillna(frame["Age"].median())
    out["cryo"] = frame["CryoSleep"].fillna(False).astype(int)
    out["vip"] = frame["VIP"].fillna(False).astype(int)
    spend_cols = ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]
    out["total_spend"] = frame[spend_cols].fillna(0).sum(axis=1)
    out["no_spend"] = (out["total_spend"] == 0).astype(int)
    deck = frame["Cabin"].fillna("U/0/U").str.split("/").str[0]
    out = out.join(pd.get_dummies(deck, prefix="deck"))
    out = out.join(pd.get_dummies(frame["HomePlanet"].fillna("none"), prefix="planet"))
    return out


x_train, x_test = featurize(train), featurize(test)
x_test = x_test.reindex(columns=x_train.columns, fill_value=0)
clf = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05)
print("cv accuracy", cross_val_score(clf, x_train, train["Transported"], cv=5).mean())
clf.fit(x_train, train["Transported"])
pd.DataFrame({"PassengerId": test["PassengerId"], "Transported": clf.predict(x_test)}).to_csv(
    "/home/submission/submission.csv", index=False)
'''


def _notebook(code: str) -> str:
    """An .ipynb with `code` split into cells (plus a markdown cell and a shell escape)."""
    chunks = code.split("\n\n")
    cells = [{"cell_type": "markdown", "source": ["# A public notebook\n"], "metadata": {}}]
    cells.append({"cell_type": "code", "source": ["!pip install -q lightgbm\n"], "metadata": {},
                  "outputs": [], "execution_count": None})
    cells += [{"cell_type": "code", "source": c.splitlines(keepends=True), "metadata": {},
               "outputs": [], "execution_count": None} for c in chunks]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _notebooks(root: Path) -> Path:
    (root / "alice").mkdir(parents=True)
    (root / "alice" / "lgbm-cv-baseline.ipynb").write_text(_notebook(LGBM))
    (root / "bob").mkdir()
    (root / "bob" / "spaceship-eda.ipynb").write_text(_notebook(EDA))
    (root / "carol_torch-mlp.py").write_text(TORCH)
    return root


def _run(group: Path, seed: int, files: dict[str, str]) -> Path:
    rd = group / f"{CID}_seed{seed}"
    rd.mkdir(parents=True)
    (rd / "metadata.json").write_text(json.dumps({"competition_id": CID, "seed": seed}))
    for rel, text in files.items():
        (rd / rel).parent.mkdir(parents=True, exist_ok=True)
        (rd / rel).write_text(text)
    return rd


@pytest.fixture
def dolos() -> tuple[str, Path, str]:
    try:
        return find_dolos()
    except DolosUnavailable as e:
        pytest.skip(f"Dolos is not installed, so the plagiarism check is not exercised: {e}")


def test_copied_notebook_is_flagged_and_original_code_is_not(dolos, tmp_path, capsys):
    nbs, group = _notebooks(tmp_path / "notebooks"), tmp_path / "group"
    # The copy: the notebook's code cells pasted into a script, comments and a variable renamed.
    copied = "# my solution\n" + LGBM.replace("preds", "test_pred")
    copy_run = _run(group, 0, {"code/solution.py": copied, "code/utils.py": "x = 1\n"})
    clean_run = _run(group, 1, {"code/solution.py": ORIGINAL, "logs/notes.ipynb": _notebook(ORIGINAL)})

    assert main(["integrity", "plagiarism", str(group), "--notebooks", str(nbs)]) == 1
    out = capsys.readouterr().out
    assert "FLAGGED  spaceship-titanic_seed0" in out and "alice/lgbm-cv-baseline" in out

    rec = json.loads((copy_run / PLAGIARISM_FILE).read_text())
    assert rec["threshold"] == DEFAULT_THRESHOLD == 0.6 and rec["tool"]["name"] == "dolos"
    assert rec["notebooks"]["count"] == 3 and "carol_torch-mlp" in rec["notebooks"]["names"]
    by_file = {f["file"]: f for f in rec["files"]}
    sol = by_file["code/solution.py"]
    assert sol["notebook"] == "alice/lgbm-cv-baseline" and sol["similarity"] >= 0.9
    assert sol["flagged"] and rec["summary"]["flagged"]
    assert not by_file["code/utils.py"]["flagged"]

    clean = json.loads((clean_run / PLAGIARISM_FILE).read_text())
    assert set(f["file"] for f in clean["files"]) == {"code/solution.py", "logs/notes.ipynb"}
    assert not clean["summary"]["flagged"] and clean["summary"]["max_similarity"] < 0.6
    # Reports mark the copying run, never the clean one.
    assert integrity_flags(copy_run)["flagged"] and integrity_flags(copy_run)["plagiarism"]
    assert not integrity_flags(clean_run)["flagged"]
    from mlebench.reporting.html import render_html
    from mlebench.reporting.report import build_report, markdown_table

    for rd in (copy_run, clean_run):  # the minimum a report needs of a finished run
        (rd / "grading_report.json").write_text(json.dumps({"score": 0.5, "valid_submission": True}))
        (rd / "metadata.json").write_text(json.dumps({"competition_id": CID, "seed": int(
            rd.name[-1]), "status": "completed", "agent": {"name": "x"}}))
    report = build_report([group])
    assert "FLAGGED (plagiarism)" in render_html(report, tmp_path)
    assert f"{CID} seed 0" in markdown_table(report) and f"{CID} seed 1" not in markdown_table(report)
    # A lower threshold is honoured; findings land in the run folder, which bundles take whole.
    assert main(["integrity", "plagiarism", str(group), "--notebooks", str(nbs),
                 "--threshold", "0.01"]) == 1
    assert json.loads((clean_run / PLAGIARISM_FILE).read_text())["summary"]["flagged"]
    from mlebench.bundles.bundle import collect_files

    files, _ = collect_files(group, b"not-a-key-0123456789")
    assert f"{CID}_seed0/{PLAGIARISM_FILE}" in files


def test_notebooks_dir_per_competition_and_errors(tmp_path, capsys):
    nbs = _notebooks(tmp_path / "nb" / CID)
    found, source = notebooks_for(CID, tmp_path / "data", tmp_path / "nb")
    assert set(found) == {"alice/lgbm-cv-baseline", "bob/spaceship-eda", "carol_torch-mlp"}
    assert str(nbs) in source
    (tmp_path / "empty").mkdir()
    with pytest.raises(MLEBenchError, match="No notebooks"):
        notebooks_for(CID, tmp_path / "data", tmp_path / "empty")
    group = tmp_path / "group"
    _run(group, 0, {"code/a.py": LGBM})
    assert main(["integrity", "plagiarism", str(group), "--dolos", str(tmp_path / "nope")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "not installed" in err or "Node.js" in err
    assert "Traceback" not in err
    assert main(["integrity", "plagiarism", str(group), "--threshold", "2"]) == 2
    assert main(["integrity", "plagiarism", str(tmp_path / "missing")]) == 2


def test_offline_or_without_credentials_says_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(MLEBenchError) as info:  # MLEBENCH_OFFLINE=1 in the test suite
        notebooks_for(CID, tmp_path / "data")
    assert "--notebooks DIR" in str(info.value) and "MLEBENCH_OFFLINE" in str(info.value)
    monkeypatch.delenv("MLEBENCH_OFFLINE")
    with pytest.raises(MLEBenchError) as info:
        notebooks_for(CID, tmp_path / "data")
    assert "--notebooks DIR" in str(info.value) and "No Kaggle credentials" in str(info.value)
    with pytest.raises(MLEBenchError, match="pins no notebooks"):
        notebooks_for("practice-tabular-classification", tmp_path / "data")


@pytest.fixture
def kaggle(monkeypatch, tmp_path):
    server = FakeKaggleKernels().start()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("KAGGLE_API_TOKEN", "KAGGLE_KERNEL_RUN_TYPE", "NO_PROXY", "no_proxy", "ALL_PROXY",
                "all_proxy", "XDG_CONFIG_HOME", "MLEBENCH_OFFLINE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KAGGLE_API_ENVIRONMENT", "LOCALHOST")
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, server.url)
    monkeypatch.setenv("KAGGLE_USERNAME", "alice")
    monkeypatch.setenv("KAGGLE_KEY", "secret-key")
    try:
        yield server
    finally:
        server.stop()
    assert not server.refused, server.refused


def test_pinned_notebooks_are_fetched_once_with_the_kaggle_client(kaggle, tmp_path):
    cid = "detecting-insults-in-social-commentary"
    refs = kernel_refs(cid)
    assert len(refs) == 4
    kaggle.kernels[refs[0]] = Kernel(_notebook(LGBM))
    kaggle.kernels[refs[1]] = Kernel(EDA, kernel_type="script")
    kaggle.kernels[refs[2]] = Kernel("x", private=True)
    found, source = notebooks_for(cid, tmp_path / "data")
    cache = tmp_path / "data" / cid / "notebooks"
    assert set(found) == set(refs[:2]) and str(cache) in source
    assert found[refs[0]].suffix == ".ipynb" and found[refs[1]].read_text() == EDA
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [FETCHED, refs[0].split("/")[0], refs[1].split("/")[0]])
    record = json.loads((cache / FETCHED).read_text())
    assert record["fetched"] == refs[:2]
    assert record["unavailable"] == {refs[2]: "Kaggle answered 403", refs[3]: "Kaggle answered 404"}
    pulls = len(kaggle.kernel_pulls())
    assert pulls == 4 and kaggle.kernel_pulls()[0]["headers"].get("Authorization")
    notebooks_for(cid, tmp_path / "data")  # cached: Kaggle is not asked again
    assert len(kaggle.kernel_pulls()) == pulls


def test_bad_credentials_are_explained(kaggle, tmp_path, monkeypatch):
    monkeypatch.setenv("KAGGLE_KEY", "wrong")
    with pytest.raises(MLEBenchError) as info:
        notebooks_for("detecting-insults-in-social-commentary", tmp_path / "data")
    assert "rejected your credentials (401)" in str(info.value)
    assert "--notebooks DIR" in str(info.value)


def test_cli_fetches_pinned_notebooks_and_flags_a_copy(dolos, kaggle, tmp_path, capsys):
    package = dolos[1].parents[1]  # found before `kaggle` moved HOME (and the default cache)
    cid = "detecting-insults-in-social-commentary"
    refs = kernel_refs(cid)
    kaggle.kernels[refs[1]] = Kernel(_notebook(LGBM))
    kaggle.kernels[refs[2]] = Kernel(EDA, kernel_type="script")
    group = tmp_path / "group"
    rd = group / f"{cid}_seed0"
    (rd / "code").mkdir(parents=True)
    (rd / "metadata.json").write_text(json.dumps({"competition_id": cid, "seed": 0}))
    (rd / "code" / "train.py").write_text(LGBM)
    assert main(["integrity", "plagiarism", str(group), "--data-dir", str(tmp_path / "d"),
                 "--dolos", str(package)]) == 1
    assert f"like {refs[1]}" in " ".join(capsys.readouterr().out.split())
    rec = json.loads((rd / PLAGIARISM_FILE).read_text())
    assert rec["files"][0]["notebook"] == refs[1] and rec["notebooks"]["count"] == 2
    assert "Kaggle, cached in" in rec["notebooks"]["source"]
