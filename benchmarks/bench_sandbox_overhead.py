"""Sandbox start-up overhead: from the `run_sandboxed()` call to the agent's first instruction.

The agent's first instruction prints the wall-clock time; the overhead is that time minus the
time just before the call. The agents separate the sandbox's own cost (a shell's `date`) from
the interpreter's start-up (`python -S`, then the harness venv's python with site-packages) and
from a run's real set-up: the agent environment (`--env`, default lite; build it first with
`mlebench env build --profile lite`) mounted read-only, the host's site-packages hidden, its
python first on PATH, and the same with `import numpy, pandas, sklearn` as the first statement.
The layout and limits are a real run's: public data, writable run folders, a cgroup with memory,
pids and CPU limits. Goal: < 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mlebench.runtime.sandbox import (
    Limits,
    Mount,
    SandboxSpec,
    check_available,
    host_python_mounts,
    run_sandboxed,
)

HOST = {"PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "HOME": "/home"}
AGENTS = {
    "sh: date": ["/bin/sh", "-c", "date +%s.%N"],
    "python -S": [sys.executable, "-S", "-c", "import time; print(time.time())"],
    "python (venv, site)": [sys.executable, "-c", "import time; print(time.time())"],
}
ENV_AGENTS = {
    "python (agent env)": ["python3", "-c", "import time; print(time.time())"],
    "numpy+pandas+sklearn": ["python3", "-c", "import numpy, pandas, sklearn, time; "
                             "print(time.time())"],
}


def measure(command: list[str], root: Path, unsafe: bool, environment=None) -> tuple[float, float]:
    """(seconds to the first instruction, seconds for the whole call)."""
    for sub in ("data", "submission", "logs", "code"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if environment is None:
        mounts, masked, env = host_python_mounts(), [], dict(HOST)
    else:  # as a run: the agent environment mounted read-only, host site-packages hidden
        mounts = [] if unsafe else [Mount(src, dst) for src, dst in environment.binds()]
        masked = [] if unsafe else environment.hidden()
        env = {**environment.variables(inside=not unsafe), "HOME": "/home"}
    spec = SandboxSpec(
        command=command,
        mounts=[*mounts, Mount(root / "data", "/home/data")], masked=masked,
        writable_dirs=[Mount(root / s, f"/home/{s}", False) for s in ("submission", "logs", "code")],
        env=env,
        workdir=str(root) if unsafe else "/home",
        stdout_path=root / "out.log", stderr_path=root / "err.log",
        limits=Limits(time_limit_s=30, memory_bytes=2 << 30, cpus=1, pids_max=256,
                      disk_bytes=1 << 30),
    )
    t0 = time.time()
    result = run_sandboxed(spec, unsafe_no_sandbox=unsafe)
    total = time.time() - t0
    if result.status != "completed":
        raise SystemExit(f"agent did not complete: {result}\n{(root / 'err.log').read_text()}")
    return float((root / "out.log").read_text().split()[0]) - t0, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--unsafe", action="store_true", help="also measure --unsafe-no-sandbox")
    ap.add_argument("--env", default="lite", help="agent environment profile (default lite)")
    args = ap.parse_args()
    check_available()
    from mlebench.envs.run_env import prepare_run_environment

    environment = prepare_run_environment(args.env)
    modes = [False, True] if args.unsafe else [False]
    print(f"{'agent':<22} {'mode':<9} {'first instr. median':>20} {'max':>8} {'whole call':>11}")
    agents = [(n, c, None) for n, c in AGENTS.items()]
    agents += [(n, c, environment) for n, c in ENV_AGENTS.items()]
    with tempfile.TemporaryDirectory() as tmp:
        for name, command, env in agents:
            for unsafe in modes:
                measure(command, Path(tmp), unsafe, env)  # warm the page cache
                firsts, totals = zip(*(measure(command, Path(tmp), unsafe, env)
                                       for _ in range(args.repeats)), strict=True)
                print(f"{name:<22} {'unsafe' if unsafe else 'sandbox':<9} "
                      f"{statistics.median(firsts) * 1000:>17.1f} ms "
                      f"{max(firsts) * 1000:>5.1f} ms {statistics.median(totals) * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
