"""Grading time of full-size-shaped submissions for High competitions that `bench_grading.py
--full-size` cannot upsize: answers that are not one row per unique id, or rows whose masks or
boxes matter more than their count.

Each competition is prepared from its synthetic fixture; its answers file is then overwritten with
generated answers of the real test set's shape (row count, ids, masks, boxes), written the way its
preparer writes them, and a non-trivial full-size submission (perturbed predictions, shuffled rows)
is graded with `mlebench.grading.api.evaluate`. Wall and CPU time are those of `evaluate` (reading
the submission and the cached answers, and scoring); the answers' first parse (done once, at
prepare) is reported apart. Goal: < 10 s (these are High competitions), judged on wall time.

    .venv/bin/python benchmarks/bench_grading_shaped.py
    .venv/bin/python benchmarks/bench_grading_shaped.py -c vesuvius-challenge-ink-detection
"""

from __future__ import annotations

import argparse
import importlib
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import ndimage

from mlebench.data import prepare_competition
from mlebench.grading.api import evaluate
from mlebench.grading.io import load_answers
from mlebench.metrics.rle import rle_encode
from mlebench.registry import Registry

GOAL_S = 10.0
Frames = tuple[pd.DataFrame, pd.DataFrame]  # (answers, submission)


def hex_ids(rng: np.random.Generator, n: int, digits: int) -> list[str]:
    chars = np.array(list("0123456789abcdef"))[rng.integers(0, 16, (n, digits))]
    return ["".join(row) for row in chars]


def competition_module(cid: str, name: str):
    return importlib.import_module(f"mlebench.competitions.{cid}.{name}")


# --- one generator per competition: (answers, submission) of the real test set's shape ----------


def contrails(rng: np.random.Generator) -> Frames:
    """1,856 records of 256 x 256 pixels, ~45% with line-shaped contrails (column-major RLE, "-"
    when empty); predictions dilate the truth, drop 20% of it and add 0.2% noise pixels."""
    n, side = 1_856, 256
    ids = (9 * 10**18 + rng.choice(10**17, n, replace=False)).astype(np.uint64)
    true_rles, pred_rles = [], []
    for _ in range(n):
        true = np.zeros((side, side), dtype=bool)
        if rng.random() < 0.45:
            for _ in range(rng.integers(1, 6)):
                r, c, angle = rng.uniform(0, side), rng.uniform(0, side), rng.uniform(0, np.pi)
                t = np.arange(rng.integers(20, 120))
                rr = np.clip((r + t * np.sin(angle)).astype(int), 0, side - 1)
                cc = np.clip((c + t * np.cos(angle)).astype(int), 0, side - 1)
                true[rr, cc] = true[np.clip(rr + 1, 0, side - 1), cc] = True
        pred = ndimage.binary_dilation(true) & (rng.random((side, side)) < 0.8)
        pred |= rng.random((side, side)) < 0.002
        true_rles.append(rle_encode(true) or "-")
        pred_rles.append(rle_encode(pred) or "-")
    answers = pd.DataFrame({"record_id": ids, "encoded_pixels": true_rles, "height": side, "width": side})
    submission = pd.DataFrame({"record_id": ids, "encoded_pixels": pred_rles})
    return answers, submission.sample(frac=1, random_state=0)


def vesuvius(rng: np.random.Generator, noise: bool) -> Frames:
    """The held-out fragment `a`, 7,606 x 5,249 pixels, ~15% ink in blobs (row-major RLE). The
    prediction dilates the truth and flips 1% of pixels, or (`noise`) marks 10% of the pixels
    at random: ~3.6M runs, the worst realistic string to parse."""
    height, width = 7_606, 5_249
    field = ndimage.gaussian_filter(rng.random((height // 4, width // 4)).astype(np.float32), 2)
    coarse = field > np.quantile(field, 0.85)
    true = np.pad(np.kron(coarse, np.ones((4, 4), dtype=bool)),
                  ((0, height - 4 * coarse.shape[0]), (0, width - 4 * coarse.shape[1])))
    if noise:
        pred = rng.random((height, width)) < 0.1
    else:
        pred = ndimage.binary_dilation(true, iterations=2) ^ (rng.random((height, width)) < 0.01)
    answers = pd.DataFrame({"Id": ["a"], "Predicted": [rle_encode(true.T)], "width": [width], "height": [height]})
    return answers, pd.DataFrame({"Id": ["a"], "Predicted": [rle_encode(pred.T)]})


def vinbigdata(rng: np.random.Generator, extra_boxes: int) -> Frames:
    """1,500 test images annotated by the fixture's generator and reduced by the preparer (first
    box per (image, class); "No finding" as 0 0 1 1): ~1.7 answer rows per image. Each image's
    prediction is its true boxes moved by ~30 px with random scores, plus `extra_boxes` random boxes."""
    cid = "vinbigdata-chest-xray-abnormalities-detection"
    fixture, prepare = competition_module(cid, "fixture"), competition_module(cid, "prepare")
    held_out = pd.DataFrame([row for image_id in fixture._image_ids(rng, 1_500)
                             for row in fixture._annotations(rng, image_id)], columns=fixture.COLUMNS)
    answers = prepare._first_box_per_class(held_out).fillna(0)
    answers.loc[answers["class_id"] == prepare.NO_FINDING, ["x_max", "y_max"]] = 1.0
    boxes: dict[str, list[str]] = {}
    for image_id, c, *box in answers[["image_id", "class_id", *prepare.BOX]].itertuples(index=False):
        moved = np.asarray(box) + (0 if c == prepare.NO_FINDING else rng.normal(0, 30, 4))
        boxes.setdefault(image_id, []).append(f"{c} {rng.random():.4f} " + " ".join(f"{v:.1f}" for v in moved))
    for parts in boxes.values():
        x0, y0 = rng.uniform(0, 2000, (2, extra_boxes))
        w, h = rng.uniform(50, 800, (2, extra_boxes))
        parts += [f"{c} {s:.4f} {a:.1f} {b:.1f} {a + dx:.1f} {b + dy:.1f}" for c, s, a, b, dx, dy in
                  zip(rng.integers(0, 15, extra_boxes), rng.random(extra_boxes), x0, y0, w, h, strict=True)]
    submission = pd.DataFrame({"image_id": list(boxes), "PredictionString": [" ".join(p) for p in boxes.values()]})
    return answers, submission.sample(frac=1, random_state=0)


LYFT_CLASSES = ["car", "pedestrian", "other_vehicle", "truck", "bicycle", "bus", "motorcycle",
                "emergency_vehicle", "animal"]
LYFT_SHARES = [0.7, 0.1, 0.08, 0.04, 0.03, 0.02, 0.01, 0.01, 0.01]


def lyft_3d(rng: np.random.Generator, predicted_per_row: int = 50) -> Frames:
    """4,536 test samples (36 logs x 126), ~28 true boxes each (`1.0 x y z w l h yaw class`, as the
    preparer adds the confidence); 50 predicted boxes per sample, 70% near a true box (30 cm, 0.1 rad
    off, 10% with another class), 30% anywhere in the scene."""
    n, m = 4_536, predicted_per_row
    ids = hex_ids(rng, n, 64)
    truth, predicted = [], []
    for _ in range(n):
        ego = rng.uniform([500, 1500], [2800, 2900])
        k = max(1, int(rng.poisson(28)))
        cls = rng.choice(len(LYFT_CLASSES), k, p=LYFT_SHARES)
        xy, z = ego + rng.uniform(-60, 60, (k, 2)), rng.uniform(-25, -15, k)
        wlh = np.where(cls[:, None] == 1, [0.8, 0.8, 1.8], [1.9, 4.6, 1.7]) * rng.uniform(0.8, 1.25, (k, 3))
        yaw = rng.uniform(-np.pi, np.pi, k)
        truth.append(" ".join(
            f"1.0 {xy[j, 0]!r} {xy[j, 1]!r} {z[j]!r} {wlh[j, 0]:.3f} {wlh[j, 1]:.3f} {wlh[j, 2]:.3f} "
            f"{yaw[j]!r} {LYFT_CLASSES[cls[j]]}" for j in range(k)))
        src = rng.integers(0, k, m)
        stray = rng.random(m) < 0.3
        pxy = np.where(stray[:, None], ego + rng.uniform(-60, 60, (m, 2)), xy[src] + rng.normal(0, 0.3, (m, 2)))
        pcls = np.where(rng.random(m) < 0.1, rng.choice(len(LYFT_CLASSES), m, p=LYFT_SHARES), cls[src])
        pz, pyaw, score = z[src] + rng.normal(0, 0.2, m), yaw[src] + rng.normal(0, 0.1, m), rng.random(m)
        predicted.append(" ".join(
            f"{score[j]:.4f} {pxy[j, 0]:.4f} {pxy[j, 1]:.4f} {pz[j]:.4f} {wlh[src[j], 0]:.3f} "
            f"{wlh[src[j], 1]:.3f} {wlh[src[j], 2]:.3f} {pyaw[j]:.4f} {LYFT_CLASSES[pcls[j]]}" for j in range(m)))
    answers = pd.DataFrame({"Id": ids, "PredictionString": truth})
    submission = pd.DataFrame({"Id": ids, "PredictionString": predicted})
    return answers, submission.sample(frac=1, random_state=0)


HMS_VOTES = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
HMS_LABELS = ["Seizure", "LPD", "GPD", "LRDA", "GRDA", "Other"]


def hms(rng: np.random.Generator) -> Frames:
    """10,700 labelled windows (private test.csv, all 15 columns) of ~1,780 EEGs, so `eeg_id`
    repeats (~6 windows each); the submission has one row per window, 70% the true vote shares and
    30% a random distribution, rows shuffled."""
    n = 10_700
    eegs = rng.choice(2**32 - 1, n // 6, replace=False)
    eeg_id = np.repeat(eegs, rng.multinomial(n - len(eegs), np.full(len(eegs), 1 / len(eegs))) + 1)
    sub_id = pd.Series(eeg_id).groupby(eeg_id).cumcount().to_numpy()
    votes = rng.integers(0, 5, (n, len(HMS_VOTES)))
    votes[votes.sum(axis=1) == 0, -1] = 1
    spectrogram = dict(zip(eegs, rng.choice(2**31 - 1, len(eegs), replace=False), strict=True))
    patient = dict(zip(eegs, rng.integers(1, 65_000, len(eegs)), strict=True))
    answers = pd.DataFrame({
        "eeg_id": eeg_id, "eeg_sub_id": sub_id, "eeg_label_offset_seconds": 2.0 * sub_id,
        "spectrogram_id": [spectrogram[e] for e in eeg_id], "spectrogram_sub_id": sub_id,
        "spectrogram_label_offset_seconds": 2.0 * sub_id + 30.0, "label_id": rng.choice(2**32 - 1, n, replace=False),
        "patient_id": [patient[e] for e in eeg_id], "expert_consensus": np.array(HMS_LABELS)[votes.argmax(axis=1)],
        **dict(zip(HMS_VOTES, votes.T, strict=True)),
    })
    shares = votes / votes.sum(axis=1, keepdims=True)
    predicted = 0.7 * shares + 0.3 * rng.dirichlet(np.ones(len(HMS_VOTES)), n)
    submission = pd.DataFrame({"eeg_id": eeg_id, **dict(zip(HMS_VOTES, predicted.T, strict=True))})
    return answers, submission.sample(frac=1, random_state=0)


def smartphone(rng: np.random.Generator) -> Frames:
    """37,087 epochs (1 s apart) of 8 held-out phone trips, each a random walk around Mountain View;
    predictions are ~3 m off (more on a few epochs), rows shuffled."""
    n, trips = 37_087, 8
    trip = np.sort(rng.integers(0, trips, n))
    names = [f"2021-0{4 + k // 4}-{10 + k}-US-MTV-{1 + k % 2}-{['GooglePixel4', 'GooglePixel5', 'SamsungS20Ultra'][k % 3]}"
             for k in range(trips)]
    start = 1_600_000_000_000 + trip * 10**8
    t = start + 1000 * pd.Series(trip).groupby(trip).cumcount().to_numpy() + 449
    lat = 37.4 + np.cumsum(rng.normal(0, 1e-4, n))
    lon = -122.1 + np.cumsum(rng.normal(0, 1e-4, n))
    answers = pd.DataFrame({"tripId": np.array(names)[trip], "UnixTimeMillis": t,
                            "LatitudeDegrees": lat, "LongitudeDegrees": lon})
    off = rng.normal(0, 2.7e-5, (2, n)) * np.where(rng.random(n) < 0.05, 10, 1)
    submission = answers.assign(LatitudeDegrees=lat + off[0], LongitudeDegrees=lon + off[1])
    return answers, submission.sample(frac=1, random_state=0)


CERVICAL_TARGETS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]


def cervical(rng: np.random.Generator) -> Frames:
    """1,817 held-out studies melted to 14,536 (study, target) rows, as the preparer writes them
    (`StudyInstanceUID, prediction_type, fractured, row_id`); predicted probabilities lean towards
    the truth, rows shuffled."""
    n = 1_817
    uids = [f"1.2.826.0.1.3680043.{i}" for i in rng.choice(np.arange(1, 33_000), n, replace=False)]
    wide = pd.DataFrame((rng.random((n, 7)) < 0.1).astype(int), columns=CERVICAL_TARGETS[1:])
    wide.insert(0, "patient_overall", wide.max(axis=1))
    wide.insert(0, "StudyInstanceUID", uids)
    answers = wide.melt(id_vars="StudyInstanceUID", var_name="prediction_type", value_name="fractured")
    answers["row_id"] = answers["StudyInstanceUID"] + "_" + answers["prediction_type"]
    predicted = np.clip(0.6 * answers["fractured"] + 0.4 * rng.random(len(answers)), 0.01, 0.99)
    submission = pd.DataFrame({"row_id": answers["row_id"], "fractured": predicted})
    return answers, submission.sample(frac=1, random_state=0)


IWILDCAM_CATEGORIES = [0, 1, 3, 4, 8, 10, 11, 13, 14, 16, 17, 18, 19, 22]


def iwildcam(rng: np.random.Generator) -> Frames:
    """16,877 answer rows (`Id, Category`) for 16,862 images: 15 images annotated twice, so `Id`
    repeats; the submission repeats them too, 70% of categories right, rows shuffled."""
    unique = pd.unique(pd.Series([f"{x:08x}-23d2-11e8-a6a3-ec086b02610b"
                                  for x in rng.integers(0x58000000, 0x5B000000, 17_000)]))[:16_862]
    ids = np.concatenate([unique, rng.choice(unique, 15, replace=False)])
    category = rng.choice(IWILDCAM_CATEGORIES, len(ids))
    answers = pd.DataFrame({"Id": ids, "Category": category})
    guess = np.where(rng.random(len(ids)) < 0.7, category, rng.choice(IWILDCAM_CATEGORIES, len(ids)))
    return answers, pd.DataFrame({"Id": ids, "Category": guess}).sample(frac=1, random_state=0)


class Case(NamedTuple):
    competition: str
    shape: str  # what is generated, for the report line
    make: Callable[[np.random.Generator], Frames]


CASES = [
    Case("google-research-identify-contrails-reduce-global-warming", "1,856 x 256x256 RLE masks", contrails),
    Case("vesuvius-challenge-ink-detection", "7606x5249 mask, dilated pred", partial(vesuvius, noise=False)),
    Case("vesuvius-challenge-ink-detection", "7606x5249 mask, 10% noise pred", partial(vesuvius, noise=True)),
    # ~1.6 true boxes per image, plus 18 random ones (a realistic ~20) or 60 (the heaviest case timed
    # when the competition was built)
    Case("vinbigdata-chest-xray-abnormalities-detection", "1,500 images, ~20 boxes/image",
         partial(vinbigdata, extra_boxes=18)),
    Case("vinbigdata-chest-xray-abnormalities-detection", "1,500 images, ~62 boxes/image",
         partial(vinbigdata, extra_boxes=60)),
    Case("3d-object-detection-for-autonomous-vehicles", "~28 true, 50 predicted boxes/row", lyft_3d),
    Case("hms-harmful-brain-activity-classification", "~6 windows per eeg_id", hms),
    Case("smartphone-decimeter-2022", "8 trips", smartphone),
    Case("rsna-2022-cervical-spine-fracture-detection", "1,817 studies x 8 targets", cervical),
    Case("iwildcam-2019-fgvc6", "15 repeated Ids", iwildcam),
]


def run_case(case: Case, comp, sub_path: Path) -> str:
    t0 = time.perf_counter()
    answers, submission = case.make(np.random.default_rng(0))
    made = time.perf_counter() - t0
    answers.to_csv(comp.answers, index=False)  # as the preparer writes them
    submission.to_csv(sub_path, index=False)
    t0 = time.perf_counter()
    load_answers(comp.answers)  # done once by `mlebench prepare`, which warms the cache
    parse = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()  # reading the submission and scoring
    result = evaluate(sub_path, comp)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    note = f"score={result.score:.5g}" if result.valid else f"invalid: {result.invalid_reason}"
    note += (f" (answers parse at prepare: {parse:.2f}s; grading CPU {cpu:.2f}s; "
             f"submission {sub_path.stat().st_size / 2**20:.1f} MiB; generated in {made:.1f}s)")
    goal = f"{'ok' if elapsed < GOAL_S else 'OVER'} <{GOAL_S:.0f}s"
    return f"{case.competition:56} {case.shape:32} {len(answers):7d} {elapsed:8.2f} {goal:>9}  {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--competition", action="append", default=[],
                        help="competition id (repeatable; default: all)")
    args = parser.parse_args()
    known = {case.competition for case in CASES}
    if unknown := set(args.competition) - known:
        parser.error(f"no shaped case for {sorted(unknown)}; choose from {sorted(known)}")
    os.environ.setdefault("MLEBENCH_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        reg = Registry(Path(tmp) / "data")
        print(f"{'competition':56} {'shape':32} {'rows':>7} {'grade s':>8} {'goal':>9}  note", flush=True)
        prepared: set[str] = set()
        for k, case in enumerate(CASES):
            if args.competition and case.competition not in args.competition:
                continue
            try:
                comp = reg.get_competition(case.competition)
                if case.competition not in prepared:
                    prepare_competition(comp, synthetic=True, force=True)
                    prepared.add(case.competition)
                print(run_case(case, comp, Path(tmp) / f"submission_{k}.csv"), flush=True)
            except Exception as e:  # a benchmark reports, it does not stop
                print(f"{case.competition:56} {case.shape:32} {'-':>7} {'-':>8} {'-':>9}  "
                      f"error: {type(e).__name__}: {str(e)[:80]}", flush=True)


if __name__ == "__main__":
    main()
