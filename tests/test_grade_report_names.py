"""Grading reports never overwrite each other: unique names, written atomically."""

from __future__ import annotations

import json
import threading
import time

from mlebench.grade import grade_jsonl
from mlebench.utils import atomic_create_text


def test_reports_in_the_same_second_keep_their_own_files(prepare_synthetic, registry, tmp_path):
    comp = prepare_synthetic("spaceship-titanic")
    jsonl = tmp_path / "subs.jsonl"
    jsonl.write_text(json.dumps({"competition_id": comp.id,
                                 "submission_path": str(comp.sample_submission)}) + "\n")
    out = tmp_path / "out"
    out.mkdir()
    # Whatever second the next report lands in, another run already wrote its report there.
    now = time.time()
    taken = {}
    for t in (now + s for s in range(5)):
        name = time.strftime("%Y-%m-%dT%H-%M-%S-%Z", time.gmtime(t)) + "_grading_report.json"
        taken[name] = f'{{"another run": "{name}"}}'
        (out / name).write_text(taken[name])
    first = grade_jsonl(jsonl, out, registry)
    second = grade_jsonl(jsonl, out, registry)
    assert first != second and first.name not in taken and second.name not in taken
    assert first.name.endswith("_grading_report.json") and "-2_grading" in first.name
    for name, text in taken.items():
        assert (out / name).read_text() == text
    assert json.loads(first.read_text())["total_runs"] == 1
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_concurrent_writers_each_get_a_name_and_a_whole_file(tmp_path):
    names = [f"r{i}.json" for i in range(16)]
    results, barrier = [], threading.Barrier(8)

    def write(i: int) -> None:
        barrier.wait()
        results.append(atomic_create_text(tmp_path, iter(names), f"writer {i} " + "x" * 100_000))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 8
    texts = {p.read_text() for p in results}
    assert {t.split()[1] for t in texts} == {str(i) for i in range(8)}
    assert all(len(t) == len("writer 0 ") + 100_000 for t in texts)
