"""Hold out 10% of Kaggle's training RNA sequences as the test set, drawn (seed 0) only among the
sequences that pass the signal-to-noise filter (`SN_filter` > 0).

The answers hold one row per test sequence position (`id_seqpos` = `<id>_<position>`): the five
measured degradation values for the first `seq_scored` positions (`keep` True) and zeros with
`keep` False for the unmeasured tail. Kaggle's bpps/ base-pairing matrices are not copied, as in
the reference implementation.
"""

from pathlib import Path

import pandas as pd

from mlebench.tables import read_csv

TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]


def _answer_rows(test: pd.DataFrame) -> pd.DataFrame:
    records = []
    for _, row in test.iterrows():
        scored, length = row["seq_scored"], row["seq_length"]
        assert all(len(row[t]) == scored for t in TARGETS) and scored < length
        for pos in range(length):
            values = {t: row[t][pos] if pos < scored else 0.0 for t in TARGETS}
            records.append({"id_seqpos": f"{row['id']}_{pos}", **values, "keep": pos < scored})
    return pd.DataFrame(records)


def prepare(raw: Path, public: Path, private: Path) -> None:
    train = pd.read_json(raw / "train.json", lines=True)
    kaggle_test_columns = pd.read_json(raw / "test.json", lines=True).columns
    sample_columns = read_csv(raw / "sample_submission.csv", nrows=0).columns

    n_test = int(len(train) * 0.1)
    test_index = train[train["SN_filter"] > 0].sample(n=n_test, random_state=0).index
    is_test = train.index.isin(test_index)
    new_train, new_test = train[~is_test].copy(), train[is_test].copy()

    answers = _answer_rows(new_test)
    answers.to_csv(private / "test.csv", index=False, float_format="%.10f")

    new_train["index"] = range(len(new_train))
    new_train.to_json(public / "train.json", orient="records", lines=True)

    public_test = new_test[kaggle_test_columns].copy()
    public_test["index"] = range(len(public_test))
    public_test.to_json(public / "test.json", orient="records", lines=True)

    sample = answers[["id_seqpos", *TARGETS]].copy()
    sample[TARGETS] = 0.0
    sample.to_csv(public / "sample_submission.csv", index=False, float_format="%.10f")

    assert set(public_test.columns) == set(kaggle_test_columns)
    assert not set(TARGETS) & set(public_test.columns)
    assert set(sample.columns) == set(sample_columns)
    assert len(sample) == len(public_test) * public_test["seq_length"].iloc[0]
