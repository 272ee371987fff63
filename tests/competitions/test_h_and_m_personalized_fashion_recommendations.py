import importlib
import zipfile

import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import assert_invalid, grade_fn, prepared_tree_digests, raw_score

CID = "h-and-m-personalized-fashion-recommendations"

# Seed-0 fixture, prepared by ours and by the reference implementation: identical digests.
EXPECTED = {
    "private/answers.csv": "9b78322d1c28332e35387fd23bee3c9c",
    "public/articles.csv": "362606a791ce3a5596a2612f6aed4cb6",
    "public/customers.csv": "948e94acb7d83a900743749280c3ecb4",
    "public/images": "32079af4e7f8edaf71e99cba76f87918",
    "public/sample_submission.csv": "a3bc3dbd48c16bd0478d8bebcf8b4591",
    "public/transactions_train.csv": "a9a9f107c5202cb05db7b55bbad0e3dd",
}


@pytest.fixture
def comp(prepare_synthetic):
    return prepare_synthetic(CID)


@pytest.mark.digest
def test_split(comp):
    pub = comp.public_dir
    train, answers = read_csv(pub / "transactions_train.csv"), read_csv(comp.answers, dtype=str)
    sample, customers = read_csv(comp.sample_submission), read_csv(pub / "customers.csv")
    assert list(train.columns) == ["t_dat", "customer_id", "article_id", "price", "sales_channel_id"]
    assert train.t_dat.max() == "2020-09-14" and answers.customer_id.is_unique
    assert set(answers.customer_id) <= set(sample.customer_id) == set(customers.customer_id)
    # Fidelity: the same digests as the reference's preparation of this fixture.
    assert prepared_tree_digests(comp) == EXPECTED


def test_chunked_split_is_identical(comp, tmp_path, monkeypatch):
    prepare = importlib.import_module(f"mlebench.competitions.{CID}.prepare")
    fixture = importlib.import_module(f"mlebench.competitions.{CID}.fixture")
    with zipfile.ZipFile(fixture.make_fixture(tmp_path / "download", seed=0)) as zf:
        zf.extractall(tmp_path / "raw")
    monkeypatch.setattr(prepare, "CHUNK_ROWS", 97)  # 1,800 transactions -> 19 chunks
    (tmp_path / "pub").mkdir(), (tmp_path / "priv").mkdir()
    prepare.prepare(tmp_path / "raw", tmp_path / "pub", tmp_path / "priv")
    for rel, path in (("public/transactions_train.csv", tmp_path / "pub/transactions_train.csv"),
                      ("private/answers.csv", tmp_path / "priv/answers.csv")):
        assert path.read_bytes() == (comp.prepared_dir / rel).read_bytes()


def test_grades(comp, tmp_path):
    answers = read_csv(comp.answers, dtype=str)
    sample = read_csv(comp.sample_submission, dtype=str)
    perfect = sample[["customer_id"]].merge(answers, how="left").fillna("")
    assert raw_score(comp, perfect.sample(frac=1, random_state=0), tmp_path) == 1.0
    assert raw_score(comp, sample, tmp_path) == 0.0  # Kaggle's zero-padded ids never match
    a = perfect
    assert_invalid(comp, {
        "extra-column": a.assign(x=1),
        "no-prediction": a.drop(columns=["prediction"]),
        "renamed-id": a.rename(columns={"customer_id": "cid"}),
        "missing-buyer": a[a.customer_id != answers.customer_id.iloc[0]],
    }, tmp_path)


def test_hand_checked():
    answers = pd.DataFrame({"customer_id": ["b", "a"], "prediction": ["5", "1 2"]})
    submission = pd.DataFrame({"customer_id": ["a", "b", "z"], "prediction": ["2 3 1", "7 5", "1"]})
    # a: hits at ranks 1 and 3 -> (1/1 + 2/3) / 2 = 5/6; b: hit at rank 2 -> 1/2; z unscored.
    assert grade_fn(CID)(submission, answers) == pytest.approx((5 / 6 + 1 / 2) / 2, abs=1e-12)
