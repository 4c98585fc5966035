#!/usr/bin/env bash
# A thin wrapper kept for old notes: `batcoder experiment` (src/train/experiment.ts;
# docs/experiments.md) runs the arms over seeds at equal compute and writes the table.
#   tools/experiment.sh [STEPS] [EXTRA TRAIN FLAGS...]         BatCoder vs the ablations, Python
#   LOW=1 tools/experiment.sh [STEPS] [EXTRA TRAIN FLAGS...]   the low-resource setting (Ruby)
# SEEDS (default 3), ARMS (default batcoder,freeze-stage1,sft,rft), OUT_DIR, LOW_SPEC as before.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-30}; shift || true
args=(--steps "$steps" --seeds "${SEEDS:-3}" --arms "${ARMS:-batcoder,freeze-stage1,sft,rft}")
if [ "${LOW:-0}" = 1 ]; then
  args+=(--low-resource "${LOW_SPEC:-python:5000,ruby:200}" --out "${OUT_DIR:-runs/experiment-low}")
else
  args+=(--out "${OUT_DIR:-runs/experiment}")
fi
exec node dist/cli.js experiment "${args[@]}" -- --eval-tasks 32 "$@"
