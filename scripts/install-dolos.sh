#!/usr/bin/env bash
# Optional: install Dolos (@dodona/dolos-lib, the reference's plagiarism checker) where
# `mlebench integrity plagiarism` looks for it. Needs Node.js >= 18 and npm; compiles tree-sitter.
set -euo pipefail
DEST="${1:-${MLEBENCH_DOLOS:-$HOME/.cache/mle-bench/dolos}}"
command -v npm >/dev/null || { echo "npm not found: install Node.js >= 18 first" >&2; exit 1; }
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-audit --no-fund "@dodona/dolos-lib@^3.3.1"
echo "Dolos installed in $DEST"
