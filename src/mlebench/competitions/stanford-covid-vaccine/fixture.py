"""Synthetic `stanford-covid-vaccine.zip`: train.json and test.json (JSON lines with Kaggle's
fields: RNA sequence, dot-bracket structure, predicted loop types, and for train the five per-base
degradation profiles with their errors), sample_submission.csv and bpps/<id>.npy base-pairing
probability matrices."""

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip

TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]
HEAD, TAIL = "GGAAA", "AAAGAAACAACAACAACAAC"
PAIRS = {"G": "C", "C": "G", "A": "U", "U": "A"}


def _rna(rng: np.random.Generator, length: int) -> tuple[str, str, str, list[tuple[int, int]]]:
    """Sequence, structure, loop types and base pairs of a molecule made of short hairpins."""
    n_mid = length - len(HEAD) - len(TAIL)
    seq = list(rng.choice(list("GACU"), n_mid))
    struct, loops, pairs = ["."] * n_mid, ["E"] * n_mid, []
    pos = int(rng.integers(0, 4))
    while pos + 14 <= n_mid:
        stem, loop = int(rng.integers(3, 6)), int(rng.integers(3, 6))
        for k in range(stem):
            i, j = pos + k, pos + 2 * stem + loop - 1 - k
            seq[j] = PAIRS[seq[i]]
            struct[i], struct[j], loops[i], loops[j] = "(", ")", "S", "S"
            pairs.append((i + len(HEAD), j + len(HEAD)))
        for k in range(pos + stem, pos + stem + loop):
            loops[k] = "H"
        pos += 2 * stem + loop + int(rng.integers(1, 6))
    pad = lambda s, c: c * len(HEAD) + s + c * len(TAIL)  # noqa: E731
    return HEAD + "".join(seq) + TAIL, pad("".join(struct), "."), pad("".join(loops), "E"), pairs


def _record(rng: np.random.Generator, length: int, scored: int, labelled: bool) -> tuple[dict, bytes]:
    rid = "id_" + "".join(rng.choice(list("0123456789abcdef"), 9))
    seq, struct, loops, pairs = _rna(rng, length)
    record = {"index": 0, "id": rid, "sequence": seq, "structure": struct, "predicted_loop_type": loops}
    if labelled:
        snr = round(float(rng.uniform(0, 12)), 3)
        record.update({"signal_to_noise": snr, "SN_filter": float(snr > 1 and rng.random() < 0.85)})
    record.update({"seq_length": length, "seq_scored": scored})
    if labelled:
        for t in TARGETS:
            err = "reactivity_error" if t == "reactivity" else t.replace("deg_", "deg_error_")
            record[err] = np.round(rng.uniform(0.01, 0.3, scored), 4).tolist()
        for t in TARGETS:
            record[t] = np.round(rng.gamma(1.2, 0.4, scored) - 0.05, 4).tolist()
    bpp = np.zeros((length, length))
    for i, j in pairs:
        bpp[i, j] = bpp[j, i] = round(float(rng.uniform(0.3, 1.0)), 6)
    buf = io.BytesIO()
    np.save(buf, bpp)
    return record, buf.getvalue()


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    files: dict = {}
    train, test = [], []
    for i in range(50):
        record, bpp = _record(rng, 107, 68, labelled=True)
        record["index"] = i
        train.append(record)
        files[f"bpps/{record['id']}.npy"] = bpp
    for i, (length, scored) in enumerate([(107, 68)] * 3 + [(130, 91)] * 3):
        record, bpp = _record(rng, length, scored, labelled=False)
        record["index"] = i
        test.append(record)
        files[f"bpps/{record['id']}.npy"] = bpp
    ids = [f"{r['id']}_{p}" for r in test for p in range(r["seq_length"])]
    sample = pd.DataFrame({"id_seqpos": ids, **{t: 0.0 for t in TARGETS}})
    files.update({"sample_submission.csv": sample, "test.json": _jsonl(test), "train.json": _jsonl(train)})
    return write_zip(out_dir / "stanford-covid-vaccine.zip", dict(sorted(files.items())))
