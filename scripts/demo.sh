#!/usr/bin/env bash
# The main job on the offline default (no credentials; PyPI only, once, for the agents' `lite`
# environment): prepare a practice competition, grade its sample submission and a perfect one,
# build the lite environment, then run the baseline agent on it in the sandbox through
# `mlebench run`, grade it on the host and print the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
COMP="${1:-practice-tabular-classification}"
export MLEBENCH_DATA_DIR="${MLEBENCH_DATA_DIR:-$PWD/data}"
RUN_DIR="${RUN_DIR:-$PWD/runs/demo-baseline}"
mlb=.venv/bin/mlebench
$mlb prepare -c "$COMP"
echo "== sample submission"
$mlb grade-sample "$MLEBENCH_DATA_DIR/$COMP/prepared/public/sample_submission.csv" "$COMP"
echo "== perfect submission (the held-out answers)"
$mlb dev gold-submission -c "$COMP" --out "$MLEBENCH_DATA_DIR/$COMP/gold_submission.csv"
$mlb grade-sample "$MLEBENCH_DATA_DIR/$COMP/gold_submission.csv" "$COMP"
echo "== the agents' Python environment (lite: numpy, pandas, scikit-learn, ...; built once)"
$mlb env build --profile lite
echo "== the baseline agent, sandboxed in that environment, graded on the host"
$mlb run --agent baseline -c "$COMP" --env lite --time-limit 10m --run-dir "$RUN_DIR"
$mlb grade-sample "$RUN_DIR/${COMP}_seed0/submission/submission.csv" "$COMP"
$mlb report "$RUN_DIR"
