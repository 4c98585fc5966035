#!/usr/bin/env bash
# The one prepared script for a lent NVIDIA machine (the `device` tool's `run`): Dawn over Vulkan
# on a real GPU, measured side by side with PyTorch on the same card in one call, then (with
# DEVICE_PHASE0=1) a phase-0 training run with the rest of the call's time. Sections, in order
# of priority, each under its own `timeout`, capped so that the measurements stop P0_RESERVE
# (170 s with phase 0, else 50) before END (565 s after the start) and one hang cannot eat the
# call:
#   info (both kernel families) | our kernels per family (bench/families.js --device: matmul
#   squares + Qwen2.5-0.5B projections, softmax, log-prob, attention fwd/bwd T=256..4096) |
#   PyTorch fp32, TF32 off: the same kernels + SDPA | a training step (fwd + CE + bwd) of the tiny
#   preset and of Qwen2.5-0.5B shapes, ours vs transformers' Qwen2ForCausalLM (random init, same
#   config) | GPU busy fraction of a training step per family (bench/step-profile.js) and the
#   dispatch cost (bench/dispatch.js) | logits parity: our 0.5B-widths model (4 layers, random) vs transformers loading the
#   same checkpoint, both against float64 (tools/device/parity.mjs + torch_bench.py parity) |
#   gpu-family kernel tests + the nn parity fixtures on the card | decode tok/s at B=1 and 32
#   (bench/model.js) | our fused vs unfused attention (bench attention --full) | report |
#   with DEVICE_PHASE0=1: phase 0 of the tiny preset at batch 128, sized to the time left (a
#   30-step calibration run first) | if time is left: Dawn's busy poll vs a 1 ms timer
#   (bench/gpu-wait.js). After the per-family kernels, the matmul autotuner runs for the gpu
#   family (bench matmul --tune, 12 s per shape class) and its choices serve every later section.
# Back in $OUT (the tool returns at most 8 files): log.txt, results.json and results.md (card and
# driver named; tools/device/report.mjs), raw.tar.gz (every section's raw output, repacked after
# each section so a killed call still returns it) and phase0.tar.gz (the exported model + its
# run's metrics, or the interrupted run's checkpoint).
#
# 1. Build the carry bundle here, once per code change (the upload limit is 64 MiB; the device
#    image has no Node and lacks the glvnd libraries NVIDIA's Vulkan ICD needs):
#      bash tools/device-check.sh --bundle
#    It builds dist/, then writes .devbundle/bundle.tar.xz (~35 MB): the Node binary, dist/,
#    package.json, assets/, tools/, test/fixtures/nn and node_modules without typescript,
#    without webgpu's other platforms (only dist/linux-x64 kept) and without the grammars' src/
#    folders; plus .devbundle/gl/*.deb: libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0
#    libgles2 (`apt-get download` for amd64). `.devbundle/` is added to .git/info/exclude.
# 2. Run it as the whole command of one call:
#      run(command="bash tools/device-check.sh", carry=[".devbundle"], timeout_s=590)
#    On the machine it unpacks the bundle to /tmp/bc, `dpkg -x`es the debs onto /, runs
#    ldconfig, sets VK_DRIVER_FILES to NVIDIA's ICD and runs everything from /tmp/bc.
#    DEVICE_END / DEVICE_P0_RESERVE / P0_BATCH / P0_ARGS override the clock and phase 0's batch or
#    its train.js flags (e.g. P0_ARGS="--sft-batch 128 --low-resource python:5000,ruby:200").
# 3. Locally, end to end on lavapipe with small shapes (PyTorch parts skip when torch is absent;
#    phase 0 runs the micro preset for a few steps):
#      bash tools/device-check.sh --tiny          (writes /tmp/device-out unless $OUT is set)
set -u
MODE=device
case "${1:-}" in
  --tiny) MODE=tiny ;;
  --bundle) MODE=bundle ;;
  "") ;;
  *) echo "usage: $0 [--tiny | --bundle]"; exit 2 ;;
esac
REPO=$(cd "$(dirname "$0")/.." && pwd)

if [ "$MODE" = bundle ]; then
  set -e
  cd "$REPO"
  grep -qx '/.devbundle/' .git/info/exclude 2>/dev/null || echo '/.devbundle/' >> "$(git rev-parse --git-common-dir)/info/exclude"
  npx tsc -p tsconfig.json && node tools/postbuild.mjs
  rm -rf .devbundle && mkdir -p .devbundle/gl .devbundle/stage /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update >/dev/null
  (cd .devbundle/gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  cp "$(command -v node)" .devbundle/stage/node
  tar -cf - --exclude='node_modules/typescript' --exclude='node_modules/webgpu/dist/darwin-*' \
    --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/linux-arm64' \
    --exclude='node_modules/tree-sitter-*/src' --exclude='node_modules/.cache' \
    dist package.json assets tools test/fixtures/nn -h node_modules -C .devbundle/stage node | xz -T2 -6 > .devbundle/bundle.tar.xz
  rm -rf .devbundle/stage
  ls -l .devbundle/bundle.tar.xz .devbundle/gl
  size=$(du -cb .devbundle | tail -1 | cut -f1)
  [ "$size" -lt $((62 * 1024 * 1024)) ] || { echo "bundle is $size bytes: over the 64 MiB carry limit"; exit 1; }
  exit 0
fi

OUT=${OUT:-/tmp/device-out}
# Section outputs go to RAW and are packed into $OUT/raw.tar.gz after every section: the device
# tool brings back at most 8 files from $OUT, and whatever is packed survives a killed call.
RAW=/tmp/device-raw
rm -rf "$RAW"; mkdir -p "$OUT" "$RAW"
exec > >(tee "$OUT/log.txt") 2>&1
T0=$SECONDS
# The clock: everything is packed by END seconds after the start (the call runs under
# timeout_s=590); the measurements stop P0_RESERVE seconds before END so phase 0 has its time.
if [ "$MODE" = device ]; then END=${DEVICE_END:-565}; P0_RESERVE=${DEVICE_P0_RESERVE:-$([ "${DEVICE_PHASE0:-0}" = 1 ] && echo 170 || echo 50)}
else END=${DEVICE_END:-3600}; P0_RESERVE=${DEVICE_P0_RESERVE:-150}; fi
left() { echo $(( END - (SECONDS - T0) )); }
# cap SECONDS [RESERVE]: a section's timeout: SECONDS, or less so that RESERVE (default
# P0_RESERVE) seconds stay before END; at least 5 (the section then fails fast and says so)
cap() { local l=$(( $(left) - ${2:-$P0_RESERVE} )); [ "$l" -lt "$1" ] && echo $(( l > 5 ? l : 5 )) || echo "$1"; }
pack() { tar -C "$RAW" -czf "$OUT/raw.tar.gz.part" . && mv -f "$OUT/raw.tar.gz.part" "$OUT/raw.tar.gz"; }
section() { pack; echo "== $1 ($(date -u +%T), +$((SECONDS - T0)) s, $(left) s left)"; }
cd "$REPO"
if [ "$MODE" = device ]; then
  [ -f .devbundle/bundle.tar.xz ] || { echo "no .devbundle/bundle.tar.xz: build it with --bundle and carry .devbundle (see the header)"; exit 1; }
  for f in .devbundle/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  mkdir -p /tmp/bc && xz -T0 -dc .devbundle/bundle.tar.xz | tar -C /tmp/bc -xf -
  export PATH="/tmp/bc:$PATH"
  [ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  cd /tmp/bc
fi
export XDG_RUNTIME_DIR=/tmp
TINY=""; [ "$MODE" = tiny ] && TINY="--tiny"
command -v node >/dev/null || { echo "no node"; exit 1; }
PY=$(command -v python3 || true)
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$RAW/nvidia-smi.txt" 2>/dev/null || echo "no nvidia-smi" > "$RAW/nvidia-smi.txt"
cat "$RAW/nvidia-smi.txt"

section "info"
timeout "$(cap 40)" node dist/cli.js info --json > "$RAW/info.json" || echo '{}' > "$RAW/info.json"
BATCODER_KERNELS=lavapipe timeout "$(cap 30)" node dist/cli.js info | grep -E 'adapter|kernels'

section "our kernels per family"
timeout "$(cap 120)" node dist/bench/families.js $([ "$MODE" = device ] && echo --device || echo --tiny) --json "$RAW/families.json" || echo "families: failed or timed out"

# The matmul autotuner for the gpu family (src/kernels/autotune.ts): workgroup-memory tilings up
# to 128 x 128 first, a time budget per shape class; its choices (cached in BATCODER_CACHE) are
# used by every later section, and the matmul rows are measured again with them.
section "matmul autotune (gpu family), then matmul per family again"
export BATCODER_CACHE=/tmp/bc-cache; rm -rf "$BATCODER_CACHE"
if [ "$MODE" = device ]; then TB=12000; else TB=1500; fi
timeout "$(cap 100)" node dist/cli.js bench matmul --tune --tune-budget $TB --json "$RAW/bench-matmul-tuned.json" > "$RAW/tune.txt" 2>&1 || echo "tune: failed or timed out"
grep -E '^tuned|square|ffn' "$RAW/tune.txt" | head -16
cp "$BATCODER_CACHE/autotune.json" "$RAW/autotune.json" 2>/dev/null
timeout "$(cap 60)" node dist/bench/families.js $([ "$MODE" = device ] && echo --device || echo --tiny) --only matmul --json "$RAW/families-tuned.json" > /dev/null || echo "families (tuned): failed or timed out"

section "PyTorch kernels (fp32, TF32 off)"
if [ -n "$PY" ]; then timeout "$(cap 60)" "$PY" tools/device/torch_bench.py kernels "$RAW/torch-kernels.json" $TINY || echo "torch kernels: failed or timed out"
else echo '{"skipped":"no python3"}' > "$RAW/torch-kernels.json"; fi

section "training step: ours"
timeout "$(cap 70)" node dist/bench/train-step.js $TINY --json "$RAW/train-ours.json" || echo "train step (ours): failed or timed out"

section "step profile: GPU busy fraction of a training step, dispatch cost"
# (locally the lavapipe family only: the gpu family's shaders take minutes to compile on lavapipe)
if [ "$MODE" = device ]; then SP="--batch 8 --seq 128"; FAMS="gpu lavapipe"; else SP="--batch 2 --seq 32 --steps 2"; FAMS=lavapipe; fi
for fam in $FAMS; do
  timeout "$(cap 30)" env BATCODER_KERNELS=$fam node dist/bench/step-profile.js $SP --json "$RAW/step-profile-tiny-$fam.json" > "$RAW/step-profile-tiny-$fam.txt" 2>&1 || echo "step profile ($fam): failed or timed out"
  grep -v '^Warning' "$RAW/step-profile-tiny-$fam.txt" | head -4
done
if [ "$MODE" = device ]; then
  timeout "$(cap 40)" node dist/bench/step-profile.js --preset qwen2.5-0.5b --batch 4 --seq 256 --json "$RAW/step-profile-0.5b-gpu.json" > "$RAW/step-profile-0.5b-gpu.txt" 2>&1 || echo "step profile (0.5B): failed or timed out"
  grep -v '^Warning' "$RAW/step-profile-0.5b-gpu.txt" | head -8
fi
timeout "$(cap 25)" node dist/bench/dispatch.js > "$RAW/dispatch.txt" 2>&1 || echo "dispatch bench: failed or timed out"
grep -v '^Warning' "$RAW/dispatch.txt" | tail -12

section "training step: transformers Qwen2ForCausalLM"
if [ -n "$PY" ]; then
  CFGS=$(node --input-type=module -e "
    const { PRESETS } = await import('./dist/src/nn/config.js');
    const tiny = process.argv[1] === 'tiny';
    const q = { ...PRESETS['qwen2.5-0.5b'] };
    const cases = tiny ? [['tiny', PRESETS.tiny, 2, 32]]
                       : [['tiny', PRESETS.tiny, 8, 128], ['qwen2.5-0.5b shapes, 24/24 layers', q, 4, 256]];
    console.log(JSON.stringify(cases));" "$MODE")
  timeout "$(cap 50)" "$PY" tools/device/torch_bench.py train "$RAW/train-torch.json" "$CFGS" $TINY || echo "train step (torch): failed or timed out"
else echo '{"skipped":"no python3"}' > "$RAW/train-torch.json"; fi

section "logits parity: ours vs transformers (0.5B widths, 4 layers)"
timeout "$(cap 50)" node tools/device/parity.mjs /tmp/parity $TINY > "$RAW/parity-ours.txt" 2>&1 || echo "parity (ours): failed or timed out"
cat "$RAW/parity-ours.txt" | tail -3
if [ -n "$PY" ] && [ -f /tmp/parity/ours.f32 ]; then timeout "$(cap 50)" "$PY" tools/device/torch_bench.py parity "$RAW/parity.json" /tmp/parity $TINY || echo "parity (torch): failed or timed out"
else echo '{"skipped":"no python3 or no logits of ours"}' > "$RAW/parity.json"; fi
rm -rf /tmp/parity

section "gpu-family kernel tests (and the nn parity fixtures)"
if [ "$MODE" = device ]; then timeout "$(cap 80)" env BATCODER_KERNELS=gpu node tools/run-tests.mjs kernels/ gpu/ nn/parity 2>&1 | tail -8 | tee "$RAW/tests.txt"
else timeout "$(cap 60)" node tools/run-tests.mjs gpu/family 2>&1 | tail -3 | tee "$RAW/tests.txt"; fi

section "decode tokens/s"
if [ "$MODE" = device ]; then timeout "$(cap 60)" node dist/bench/model.js --layers 24 --no-torch > "$RAW/model.txt" 2>&1 || echo "decode: failed or timed out"
else timeout "$(cap 120)" node dist/bench/model.js --quick --tiny-only --no-torch > "$RAW/model.txt" 2>&1 || echo "decode: failed or timed out"; fi
tail -8 "$RAW/model.txt"

section "our fused vs unfused attention (this device's family)"
if [ "$MODE" = device ]; then timeout "$(cap 45)" node dist/cli.js bench attention --full --json "$RAW/attention.json" --markdown || echo "attention bench: failed or timed out"; fi

section "report"
node tools/device/report.mjs "$RAW" && cp "$RAW/results.json" "$RAW/results.md" "$OUT/" && cat "$OUT/results.md"

# Phase 0 on this device (issue 13: a warm start with measurable held-out pass@1 needs ~10x
# the shipped phase 0's tokens): the tiny preset at batch 128, as many steps as fit before END.
# A 30-step calibration run gives the seconds per step and the start-up cost; the real run is
# sized from them (its schedule must know its length) and interrupted with SIGINT at END as a
# safety net (then its checkpoint comes back instead, resumable with --resume). The model and
# the run's log come back as $OUT/phase0.tar.gz; the held-out evaluation runs at home.
if [ "$MODE" = tiny ] || [ "${DEVICE_PHASE0:-0}" = 1 ]; then
section "phase 0 on this device"
P0=/tmp/p0; rm -rf "$P0"; mkdir -p "$P0"
if [ "$MODE" = device ]; then P0ARGS=${P0_ARGS:-"--preset tiny --sft-batch ${P0_BATCH:-128}"}; CAL=30
else P0ARGS="--preset micro --sft-batch 4 --sft-tasks 300 --vocab-size 300"; CAL=6; fi
t=$SECONDS
timeout "$(cap 90 20)" node dist/train.js --from-scratch --phase0-only $P0ARGS --sft-steps $CAL --eval-tasks 0 --checkpoint-every 1000 --out "$P0/cal" > "$RAW/phase0-cal.txt" 2>&1 || echo "phase 0 calibration: failed or timed out"
CALWALL=$((SECONDS - t))
PLAN=$(node -e "
  const fs = require('fs');
  const cal = +process.argv[1], wall = +process.argv[2], budget = +process.argv[3];
  let recs = [];
  try { recs = fs.readFileSync('$P0/cal/metrics.jsonl', 'utf8').trim().split('\n').map(JSON.parse).filter((r) => r.phase === 0 && r.loss !== undefined); } catch {}
  const a = recs.find((r) => r.step === Math.max(2, Math.floor(cal / 3))), b = recs.find((r) => r.step === cal);
  if (!a || !b) { console.log('0 0 0'); process.exit(0); }
  const perStep = (b.elapsed_s - a.elapsed_s) / (b.step - a.step);
  const startup = Math.max(0, wall - cal * perStep);
  // 8% margin on the step time: the H200 run of 2026-11-28 planned 1720 steps and reached 1635 by END
  const steps = Math.max(0, Math.floor((budget - 1.2 * startup - 10) / (1.08 * perStep)));
  console.log(steps, perStep.toFixed(4), startup.toFixed(1));" "$CAL" "$CALWALL" "$(( $(left) - 20 ))")
read -r P0STEPS PERSTEP STARTUP <<< "$PLAN"
[ "$MODE" = tiny ] && [ "${P0STEPS:-0}" -gt 20 ] && P0STEPS=20
echo "phase 0 plan: calibration ${CALWALL} s; ${PERSTEP} s per step, start-up ${STARTUP} s -> ${P0STEPS} steps ($P0ARGS)"
if [ "${P0STEPS:-0}" -ge 20 ]; then
  timeout -s INT -k 15 "$(( $(left) - 15 ))" node dist/train.js --from-scratch --phase0-only $P0ARGS --sft-steps "$P0STEPS" --eval-tasks 0 --checkpoint-every 1000 --out "$P0/run" --export "$P0/model" > "$RAW/phase0.txt" 2>&1
  echo "phase 0 exit: $?"; tail -4 "$RAW/phase0.txt"
  if [ -f "$P0/model/model.safetensors" ]; then tar -C "$P0" -czf "$OUT/phase0.tar.gz" model run/metrics.jsonl run/config.json
  else tar -C "$P0" -czf "$OUT/phase0.tar.gz" run; fi
  ls -l "$OUT/phase0.tar.gz"
else echo "phase 0: too little time left (or the calibration failed): skipped"; tail -5 "$RAW/phase0-cal.txt"; fi
pack
fi

# Last, only in a local test or when time is left: Dawn's busy poll vs the 1 ms timer
# (src/gpu/wait.ts; a hardware adapter spins by default), one round, each mode its own process.
if [ "$(left)" -gt 50 ]; then
  section "GPU wait: spin vs sleep"
  timeout "$(cap $([ "$MODE" = device ] && echo 45 || echo 90) 5)" node dist/bench/gpu-wait.js --rounds 1 $([ "$MODE" = device ] || echo --quick) > "$RAW/gpu-wait.md" 2>&1 || echo "gpu-wait: failed or timed out"
  grep -v '^round' "$RAW/gpu-wait.md" | grep -v '^Warning' | tail -6
  pack
fi
echo "== done (+$((SECONDS - T0)) s); back in \$OUT: $(ls "$OUT" | tr '\n' ' ')"
