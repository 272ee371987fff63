"""The inspect_ai front end's overheads: a sample's sandbox start (sample_init: workspace,
validation service, bubblewrap, command server connected) and stop (sample_cleanup), and one
`exec` round trip through the command server (`true`, and `cat` of 10 MiB of stdin).

Needs `mlebench[inspect]`, bubblewrap and the agent environment (`--env`, default lite; build it
with `mlebench env build --profile lite`). Goals: start < 2 s, exec round trip < 50 ms median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import anyio

PRACTICE = "practice-tabular-classification"


async def measure(env: str, n: int, data_dir: Path, group: Path) -> None:
    from mlebench.inspect.provider import MLEBenchSandbox, MLEBenchSandboxConfig

    cfg = MLEBenchSandboxConfig(run_group=str(group), data_dir=str(data_dir), env_profile=env,
                                memory="2G", disk="1G", grace_period_s=2)
    # The first start prepares the practice competition; time the second.
    envs = await MLEBenchSandbox.sample_init("bench", cfg, {"competition_id": PRACTICE})
    await MLEBenchSandbox.sample_cleanup("bench", cfg, envs, False)
    t0 = time.perf_counter()
    envs = await MLEBenchSandbox.sample_init("bench", cfg, {"competition_id": PRACTICE})
    started = time.perf_counter() - t0
    box = envs["default"]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        await box.exec(["true"])
        times.append(time.perf_counter() - t)
    big = b"x" * (10 << 20)
    t = time.perf_counter()
    result = await box.exec(["wc", "-c"], input=big)
    big_s = time.perf_counter() - t
    assert result.stdout.strip() == str(len(big))
    t = time.perf_counter()
    await MLEBenchSandbox.sample_cleanup("bench", cfg, envs, False)
    stopped = time.perf_counter() - t
    print(f"sample start (sandbox up, server connected): {started * 1000:.0f} ms")
    print(f"exec `true`: median {statistics.median(times) * 1000:.1f} ms, "
          f"p90 {sorted(times)[int(0.9 * n)] * 1000:.1f} ms over {n}")
    print(f"exec `wc -c` of 10 MiB stdin: {big_s * 1000:.0f} ms")
    print(f"sample cleanup (sandbox stopped, folders taken in): {stopped * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="lite")
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLEBENCH_OFFLINE"] = "1"
        anyio.run(measure, args.env, args.n, Path(tmp) / "data", Path(tmp) / "group")


if __name__ == "__main__":
    main()
