#!/usr/bin/env bash
# Set up and run the default test suite (slow tests: add `-m slow`). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
# Dolos (npm) for the plagiarism tests; they skip, saying why, if it cannot be installed.
bash scripts/install-dolos.sh >/dev/null 2>&1 || echo "Dolos not installed: plagiarism tests will be skipped" >&2
.venv/bin/ruff check src tests benchmarks
.venv/bin/lint-imports  # import contracts: [tool.importlinter] in pyproject.toml
.venv/bin/python -m pytest -q "$@"
# Pinned bytes must not depend on the CPU's vector units: rerun the digest tests as on an x86 CPU
# without AVX-512, AVX2 or FMA (numpy, OpenBLAS, glibc's libm and libjpeg-turbo told so; profile
# "sse4-only" of scripts/check_cpu_independence.py, which checks every fixture this way).
if [ "$(uname -m)" = x86_64 ]; then
  echo "Digest tests again, as on a CPU without AVX-512, AVX2 or FMA:" >&2
  status=0
  NPY_DISABLE_CPU_FEATURES="AVX F16C FMA3 AVX2 AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR" \
  OPENBLAS_CORETYPE=Nehalem JSIMD_FORCESSE2=1 \
  GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-FMA4,-AVX512F,-AVX512CD,-AVX512BW,-AVX512DQ,-AVX512VL \
    .venv/bin/python -m pytest -q "$@" -m "digest and not slow" || status=$?
  [ "$status" -eq 5 ] && status=0  # 5: no digest test among the selected ones
  exit "$status"
fi
