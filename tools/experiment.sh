#!/usr/bin/env bash
# The experiment of the BatCoder paper's ablation table, on the built-in suite, from the
# shipped warm start: full BatCoder vs stage 1 frozen vs SFT on the model's own pairs.
# Each run evaluates the starting model ('start') and the trained one ('final') on the same
# held-out tasks; the report compares them.
#   tools/experiment.sh [STEPS] [EXTRA TRAIN FLAGS...]     (default 30 steps each)
# Low-resource variant (phase 0 from scratch on python:5000,ruby:200, BatCoder on Ruby):
#   LOW=1 tools/experiment.sh 30
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-30}; shift || true
out=${OUT_DIR:-runs/experiment}
mkdir -p "$out"
common=(--steps "$steps" --eval-every 0 --eval-tasks 32 "$@")
if [ "${LOW:-0}" = 1 ]; then common+=(--low-resource python:5000,ruby:200); fi
node dist/train.js "${common[@]}" --out "$out/batcoder"
node dist/train.js "${common[@]}" --freeze-stage1 --out "$out/freeze-stage1"
node dist/train.js "${common[@]}" --sft-baseline --out "$out/sft-baseline"
node dist/cli.js report "$out/batcoder" "$out/freeze-stage1" "$out/sft-baseline" --out "$out"
