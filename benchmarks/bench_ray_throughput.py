"""Throughput of the Ray backend with sleep-bound runs, at 1, 2 and 4 worker slots.

For each slot count K a fresh local Ray cluster is started (`ray.cluster_utils.Cluster`): a head
with no CPU (the driver: answers, validation gateway, grading) and K worker nodes of one CPU each.
A run group of K x `--runs-per-slot` runs of an agent that sleeps `--sleep` seconds, calls the
validation endpoint once and copies the sample submission goes through `mlebench run --backend
ray` (staging, relay, take-in and grading on the head included). Each worker node runs one no-op
task first so that Ray's worker start-up is not counted. Throughput is runs per minute; the goal
is at least 0.8x linear: throughput(K) >= 0.8 * K * throughput(1).

    .venv/bin/python benchmarks/bench_ray_throughput.py [--slots 1 2 4] [--sleep 20]
        [--runs-per-slot 2] [--unsafe-no-sandbox]

Needs the `lite` environment (`mlebench env build --profile lite`) and, without
`--unsafe-no-sandbox`, bubblewrap.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import tempfile
import textwrap
import time
from datetime import datetime
from pathlib import Path

import ray
from ray.cluster_utils import Cluster

from mlebench.cli import main
from mlebench.data import prepare_competition
from mlebench.registry import Registry

CID = "spaceship-titanic"
AGENT = """
import json, os, shutil, time, urllib.request, uuid
time.sleep({sleep})
sample = os.path.join(os.environ["DATA_DIR"], "sample_submission.csv")
boundary = uuid.uuid4().hex
body = (f"--{{boundary}}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
        f"filename=\\"s.csv\\"\\r\\n\\r\\n").encode() + open(sample, "rb").read() \\
    + f"\\r\\n--{{boundary}}--\\r\\n".encode()
req = urllib.request.Request(os.environ["MLEBENCH_VALIDATION_URL"], data=body,
                             headers={{"Content-Type": f"multipart/form-data; boundary={{boundary}}"}})
print(urllib.request.urlopen(req, timeout=120).read().decode())
shutil.copy(sample, os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
"""


def one(slots: int, runs: int, sleep: float, root: Path, data_dir: Path, agent: Path,
        unsafe: bool) -> dict:
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0,
                                                            "include_dashboard": False})
    try:
        for i in range(slots):
            cluster.add_node(num_cpus=1, resources={f"slot{i}": 1})
        ray.init(address=cluster.address, include_dashboard=False, log_to_driver=False)
        cluster.wait_for_nodes()

        @ray.remote(num_cpus=1)
        def noop() -> None:  # the imports a task's worker process pays once
            import mlebench.grade  # noqa: F401
            import mlebench.runtime.ray_backend  # noqa: F401
            import mlebench.runtime.runs  # noqa: F401
            import mlebench.runtime.sandbox  # noqa: F401

        ray.get([noop.options(resources={f"slot{i}": 1}).remote() for i in range(slots)])
        group = root / f"group-{slots}"
        args = ["run", "--agent", str(agent), "-c", CID, "--seeds", str(runs), "--backend",
                "ray", "--time-limit", f"{sleep * 10:g}s", "--run-dir", str(group),
                "--data-dir", str(data_dir)] + (["--unsafe-no-sandbox"] if unsafe else [])
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
        elapsed = time.perf_counter() - start
        metas = [json.loads(p.read_text()) for p in group.glob("*/metadata.json")]
        assert code == 0 and len(metas) == runs, (code, len(metas))
        assert all(m["grading"]["valid_submission"] and m["validation"]["valid"] == 1
                   for m in metas)
        spans = sorted((datetime.fromisoformat(m["started_at"]).timestamp(), +1) for m in metas) \
            + [(datetime.fromisoformat(m["ended_at"]).timestamp(), -1) for m in metas]
        concurrent = max(itertools.accumulate(d for _, d in sorted(spans)))
        return {"slots": slots, "runs": runs, "elapsed_s": elapsed, "concurrent": concurrent,
                "runs_per_min": runs / elapsed * 60,
                "nodes": len({m["ray_node_id"] for m in metas}),
                "mean_run_s": sum(m["duration_s"] for m in metas) / runs}
    finally:
        ray.shutdown()
        cluster.shutdown()


def main_bench() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--slots", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--sleep", type=float, default=20.0, help="seconds each agent sleeps")
    ap.add_argument("--runs-per-slot", type=int, default=2)
    ap.add_argument("--unsafe-no-sandbox", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        data_dir.mkdir()
        prepare_competition(Registry(data_dir).get_competition(CID), synthetic=True, seed=0,
                            force=True)
        (root / "agent").mkdir()
        (root / "agent" / "main.py").write_text(textwrap.dedent(AGENT.format(sleep=args.sleep)))
        agent = root / "agent" / "agent.yaml"
        agent.write_text('name: sleeper\ncommand: ["python3", "/home/agent/main.py"]\n'
                         "files: .\nenv_profile: lite\n")
        rows = [one(k, k * args.runs_per_slot, args.sleep, root, data_dir, agent,
                    args.unsafe_no_sandbox) for k in args.slots]
    base = next((r["runs_per_min"] for r in rows if r["slots"] == 1), None)
    print(f"sleep {args.sleep:g} s, {args.runs_per_slot} runs per slot, "
          f"{'unsafe (no sandbox)' if args.unsafe_no_sandbox else 'bubblewrap sandbox'}")
    print("| worker slots | runs | wall s | runs/min | x linear | nodes used | most at once "
          "| mean run s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        linear = f"{r['runs_per_min'] / (base * r['slots']):.2f}" if base else "-"
        print(f"| {r['slots']} | {r['runs']} | {r['elapsed_s']:.1f} | {r['runs_per_min']:.2f} | "
              f"{linear} | {r['nodes']} | {r['concurrent']} | {r['mean_run_s']:.1f} |")


if __name__ == "__main__":
    main_bench()
