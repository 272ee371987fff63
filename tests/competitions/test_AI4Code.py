import pandas as pd
import pytest

from mlebench.tables import read_csv

from ._checks import checksums, grade_fn, score, tree_digest

CID = "AI4Code"

# Seed-0 fixture (20,304 notebooks: the preparer asserts a 20,000-notebook test set), prepared
# by the reference and by us: identical bytes (notebook folders compared as tree digests).
EXPECTED = {
    "private/test_orders.csv": "8fdc1c6abca363cb6309adb823615899",
    "public/sample_submission.csv": "f404cb0c214c70c7d03854880686de2e",
    "public/train_ancestors.csv": "f154cd6f9b0ee9685f3811e1ef1357ba",
    "public/train_orders.csv": "1975dc7a24889e72f0f203412e83aa1e",
}
EXPECTED_TREES = {
    "public/train": "d4e0544db9f82cfd7bdaa1932e35f440",
    "public/test": "c57f41c459cd18e28c65bd7272d169d8",
}


@pytest.mark.digest
def test_prepare_split_checksums_and_grades(prepare_synthetic, tmp_path):
    # One preparation (a few seconds: 20,000 test notebooks) for all the split and grading checks.
    comp = prepare_synthetic(CID)
    pub = comp.public_dir
    answers, sample = read_csv(comp.answers), read_csv(comp.sample_submission)
    train_orders = read_csv(pub / "train_orders.csv")
    ancestors = read_csv(pub / "train_ancestors.csv")
    test_files = {p.stem for p in (pub / "test").glob("*.json")}
    assert len(answers) == len(sample) == len(test_files) == 20_000
    assert set(answers.id) == set(sample.id) == test_files
    assert {p.stem for p in (pub / "train").glob("*.json")} == set(train_orders.id) == set(ancestors.id)
    assert set(train_orders.id).isdisjoint(test_files)
    assert checksums(comp.prepared_dir, EXPECTED) == EXPECTED
    assert {k: tree_digest(comp.prepared_dir / k) for k in EXPECTED_TREES} == EXPECTED_TREES

    assert score(comp, answers.sample(frac=1, random_state=0), tmp_path)[0] == 1.0
    assert -1.0 <= score(comp, sample, tmp_path)[0] < 1.0
    reverse = answers.assign(cell_order=[" ".join(o.split()[::-1]) for o in answers.cell_order])
    assert score(comp, reverse, tmp_path)[0] == -1.0
    first = answers.cell_order[0].split()
    for bad in (
        answers.iloc[:-1],
        answers[["id"]],
        answers.assign(id=["x"] + list(answers.id[1:])),
        answers.assign(cell_order=[" ".join(o.split()[:-1]) for o in answers.cell_order]),
        answers.assign(cell_order=[" ".join(["zzzzzzzz", *first[1:]])] + list(answers.cell_order[1:])),
        answers.assign(cell_order=[" ".join([first[0], *first[:-1]])] + list(answers.cell_order[1:])),
    ):
        raw, reason = score(comp, bad, tmp_path)
        assert raw is None and reason


def test_hand_checked_kendall_tau():
    answers = pd.DataFrame({"id": ["n1", "n2"], "cell_order": ["a b c", "x y"]})
    submission = pd.DataFrame({"id": ["n2", "n1"], "cell_order": ["y x", "b a c"]})
    # n1: 1 swapped pair of 3*2 = 6; n2: 1 of 2*1 = 2 -> 1 - 4 * 2 / 8 = 0
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.0, abs=1e-12)
    submission = pd.DataFrame({"id": ["n1", "n2"], "cell_order": ["b a c", "x y"]})
    # 1 swapped pair of 8 -> 1 - 4/8 = 0.5
    assert grade_fn(CID)(submission, answers) == pytest.approx(0.5, abs=1e-12)
