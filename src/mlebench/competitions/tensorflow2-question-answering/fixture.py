"""Synthetic `tensorflow2-question-answering.zip`: `simplified-nq-train.jsonl` (one JSON object a
line: `document_text` (space-separated tokens with HTML tags), `long_answer_candidates`
(`start_token`, `top_level`, `end_token`), `question_text`, `annotations` (one annotation:
`yes_no_answer`, `long_answer` (`start_token`, `candidate_index`, `end_token`; -1 when absent),
`short_answers`, `annotation_id`), `document_url`, `example_id` (signed 64-bit integer)),
`simplified-nq-test.jsonl` (no annotations or url) and sample_submission.csv (`<id>_long` /
`<id>_short` rows, empty `PredictionString`). 1,150 training lines, so that the preparer's
1,000-line chunks are exercised."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from mlebench.competitions._kit.archives import write_zip
from mlebench.competitions._kit.text import syllable_sentence, words

N_TRAIN, N_TEST = 1150, 10


def _document(rng: np.random.Generator) -> tuple[list[str], list[dict]]:
    title = words(rng, int(rng.integers(1, 4)))
    tokens = ["<H1>", *title, "</H1>"]
    candidates = []
    for _ in range(int(rng.integers(2, 6))):
        start = len(tokens)
        tokens += ["<P>", *words(rng, int(rng.integers(4, 15))), "</P>"]
        candidates.append({"start_token": start, "top_level": True, "end_token": len(tokens)})
    return tokens, candidates


def _example(rng: np.random.Generator, labelled: bool) -> dict:
    tokens, candidates = _document(rng)
    example = {"document_text": " ".join(tokens), "long_answer_candidates": candidates,
               "question_text": syllable_sentence(rng, int(rng.integers(4, 9)))}
    if labelled:
        yes_no, short = "NONE", []
        long = {"start_token": -1, "candidate_index": -1, "end_token": -1}
        if rng.random() < 0.5:
            index = int(rng.integers(0, len(candidates)))
            cand = candidates[index]
            long = {"start_token": cand["start_token"], "candidate_index": index,
                    "end_token": cand["end_token"]}
            kind = rng.random()
            if kind < 0.05:
                yes_no = str(rng.choice(["YES", "NO"]))
            elif kind < 0.75:
                for _ in range(int(rng.integers(1, 3))):
                    s = int(rng.integers(cand["start_token"] + 1, cand["end_token"] - 1))
                    short.append({"start_token": s, "end_token": s + 1})
        example["annotations"] = [{"yes_no_answer": yes_no, "long_answer": long,
                                   "short_answers": short,
                                   "annotation_id": int(rng.integers(10**17, 2**63 - 1))}]
        example["document_url"] = ("https://en.wikipedia.org//w/index.php?title="
                                   f"{tokens[1].capitalize()}&amp;oldid={int(rng.integers(10**8, 9 * 10**8))}")
    example["example_id"] = int(rng.integers(-(2**63), 2**63 - 1))
    return example


def _jsonl(examples: list[dict]) -> str:
    return "".join(json.dumps(e) + "\n" for e in examples)


def make_fixture(out_dir: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    train = [_example(rng, labelled=True) for _ in range(N_TRAIN)]
    test = [_example(rng, labelled=False) for _ in range(N_TEST)]
    test = [{k: e[k] for k in ("example_id", "question_text", "document_text", "long_answer_candidates")}
            for e in test]
    ids = [f"{e['example_id']}_{kind}" for e in test for kind in ("long", "short")]
    sample = pd.DataFrame({"example_id": ids, "PredictionString": ""})
    return write_zip(out_dir / "tensorflow2-question-answering.zip", {
        "sample_submission.csv": sample,
        "simplified-nq-test.jsonl": _jsonl(test),
        "simplified-nq-train.jsonl": _jsonl(train),
    })
