#!/usr/bin/env bash
# The experiment of the BatCoder paper's ablation table, on the built-in suite: full BatCoder
# vs stage 1 frozen vs SFT on the model's own pairs, all from the same starting model.
# Each run evaluates the starting model ('start') and the trained one ('final') on the same
# held-out tasks; the report compares them and prints the table as Markdown.
#   tools/experiment.sh [STEPS] [EXTRA TRAIN FLAGS...]     (default 30 steps each)
#     starts from the shipped warm start (Python).
#   LOW=1 tools/experiment.sh [STEPS] [EXTRA TRAIN FLAGS...]
#     the paper's low-resource setting (its Table 3): phase 0 from scratch once on many
#     documented Python functions and few documented Ruby ones (python:5000,ruby:200; exported
#     to $OUT_DIR/phase0 and reused if already there), then the three arms on Ruby code only,
#     evaluated on Ruby.
# OUT_DIR (default runs/experiment or runs/experiment-low) holds every run and the report.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-30}; shift || true
common=(--steps "$steps" --eval-every 0 --eval-tasks 32 "$@")
if [ "${LOW:-0}" = 1 ]; then
  out=${OUT_DIR:-runs/experiment-low}
  spec=${LOW_SPEC:-python:5000,ruby:200}
  mkdir -p "$out"
  if [ ! -f "$out/phase0/model.safetensors" ]; then
    node dist/train.js --low-resource "$spec" --from-scratch --phase0-only --eval-tasks 32 \
      --out "$out/phase0-run" --export "$out/phase0"
  fi
  common+=(--low-resource "$spec" --init "$out/phase0")
else
  out=${OUT_DIR:-runs/experiment}
  mkdir -p "$out"
fi
node dist/train.js "${common[@]}" --out "$out/batcoder"
node dist/train.js "${common[@]}" --freeze-stage1 --out "$out/freeze-stage1"
node dist/train.js "${common[@]}" --sft-baseline --out "$out/sft-baseline"
node dist/cli.js report "$out/batcoder" "$out/freeze-stage1" "$out/sft-baseline" --out "$out" | tee "$out/summary.md"
