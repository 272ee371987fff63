#!/usr/bin/env bash
# Set up and run the default test suite (slow tests: add `-m slow`). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
# Dolos (npm) for the plagiarism tests; they skip, saying why, if it cannot be installed.
bash scripts/install-dolos.sh >/dev/null 2>&1 || echo "Dolos not installed: plagiarism tests will be skipped" >&2
.venv/bin/ruff check src tests benchmarks
exec .venv/bin/python -m pytest -q "$@"
