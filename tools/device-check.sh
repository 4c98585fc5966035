#!/usr/bin/env bash
# The one prepared script for a lent NVIDIA machine (the `device` tool's `run`): Dawn over Vulkan
# on a real GPU, measured side by side with PyTorch on the same card in one call. Sections, each
# under its own `timeout` so one hang cannot eat the call (budgets sum to ~8.5 min on an H200):
#   info (both kernel families) | gpu-family kernel tests | our kernels per family
#   (bench/families.js --device: matmul squares + Qwen2.5-0.5B projections, softmax, log-prob,
#   attention fwd/bwd T=256..4096) | our fused vs unfused attention (bench attention --full) |
#   PyTorch fp32, TF32 off: the same kernels + SDPA | a training step (fwd + CE + bwd) of the tiny
#   preset and of Qwen2.5-0.5B shapes, ours vs transformers' Qwen2ForCausalLM (random init, same
#   config; skipped cleanly without transformers) | decode tok/s at B=1 and 32 (bench/model.js) |
#   after the report: Dawn's busy poll vs a 1 ms timer while waiting (bench/gpu-wait.js, 45 s).
# Writes $OUT/results.json and $OUT/results.md (card and driver named) plus each section's raw
# output, via tools/device/report.mjs.
#
# 1. Build the carry bundle here, once per code change (the upload limit is 64 MiB; the device
#    image has no Node and lacks the glvnd libraries NVIDIA's Vulkan ICD needs):
#      bash tools/device-check.sh --bundle
#    It builds dist/, then writes .devbundle/bundle.tar.xz (~35 MB): the Node binary, dist/,
#    package.json, assets/, tools/, and node_modules without typescript, without webgpu's other
#    platforms (only dist/linux-x64 kept) and without the grammars' src/ folders; plus
#    .devbundle/gl/*.deb: libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2
#    (`apt-get download` for amd64). `.devbundle/` is added to .git/info/exclude.
# 2. Run it as the whole command of one call:
#      run(command="bash tools/device-check.sh", carry=[".devbundle"], timeout_s=570)
#    On the machine it unpacks the bundle to /tmp/bc, `dpkg -x`es the debs onto /, runs
#    ldconfig, sets VK_DRIVER_FILES to NVIDIA's ICD and runs everything from /tmp/bc.
# 3. Locally, end to end on lavapipe with small shapes (PyTorch parts skip when torch is absent):
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
    dist package.json assets tools -h node_modules -C .devbundle/stage node | xz -T2 -6 > .devbundle/bundle.tar.xz
  rm -rf .devbundle/stage
  ls -l .devbundle/bundle.tar.xz .devbundle/gl
  size=$(du -cb .devbundle | tail -1 | cut -f1)
  [ "$size" -lt $((62 * 1024 * 1024)) ] || { echo "bundle is $size bytes: over the 64 MiB carry limit"; exit 1; }
  exit 0
fi

OUT=${OUT:-/tmp/device-out}
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
cd "$REPO"
if [ "$MODE" = device ]; then
  [ -f .devbundle/bundle.tar.xz ] || { echo "no .devbundle/bundle.tar.xz: build it with --bundle and carry .devbundle (see the header)"; exit 1; }
  for f in .devbundle/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  mkdir -p /tmp/bc && xz -dc .devbundle/bundle.tar.xz | tar -C /tmp/bc -xf -
  export PATH="/tmp/bc:$PATH"
  [ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  cd /tmp/bc
fi
export XDG_RUNTIME_DIR=/tmp
TINY=""; [ "$MODE" = tiny ] && TINY="--tiny"
command -v node >/dev/null || { echo "no node"; exit 1; }
PY=$(command -v python3 || true)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/nvidia-smi.txt" 2>/dev/null || echo "no nvidia-smi" > "$OUT/nvidia-smi.txt"
cat "$OUT/nvidia-smi.txt"
section() { echo "== $1 ($(date -u +%T))"; }

section "info"
timeout 60 node dist/cli.js info --json > "$OUT/info.json" || echo '{}' > "$OUT/info.json"
BATCODER_KERNELS=lavapipe timeout 30 node dist/cli.js info | grep -E 'adapter|kernels'

section "gpu-family kernel tests"
if [ "$MODE" = device ]; then timeout 150 env BATCODER_KERNELS=gpu node tools/run-tests.mjs kernels/ gpu/ 2>&1 | tail -6 | tee "$OUT/tests.txt"
else timeout 60 node tools/run-tests.mjs gpu/family 2>&1 | tail -3 | tee "$OUT/tests.txt"; fi

section "our kernels per family"
timeout $([ "$MODE" = device ] && echo 150 || echo 120) node dist/bench/families.js $([ "$MODE" = device ] && echo --device || echo --tiny) --json "$OUT/families.json" || echo "families: failed or timed out"

section "our fused vs unfused attention (this device's family)"
if [ "$MODE" = device ]; then timeout 90 node dist/cli.js bench attention --full --json "$OUT/attention.json" --markdown || echo "attention bench: failed or timed out"; fi

section "PyTorch kernels (fp32, TF32 off)"
if [ -n "$PY" ]; then timeout 90 "$PY" tools/device/torch_bench.py kernels "$OUT/torch-kernels.json" $TINY || echo "torch kernels: failed or timed out"
else echo '{"skipped":"no python3"}' > "$OUT/torch-kernels.json"; fi

section "training step: ours"
timeout 120 node dist/bench/train-step.js $TINY --json "$OUT/train-ours.json" || echo "train step (ours): failed or timed out"

section "training step: transformers Qwen2ForCausalLM"
if [ -n "$PY" ]; then
  CFGS=$(node --input-type=module -e "
    const { PRESETS } = await import('./dist/src/nn/config.js');
    const tiny = process.argv[1] === 'tiny';
    const q = { ...PRESETS['qwen2.5-0.5b'] };
    const cases = tiny ? [['tiny', PRESETS.tiny, 2, 32]]
                       : [['tiny', PRESETS.tiny, 8, 128], ['qwen2.5-0.5b shapes, 24/24 layers', q, 4, 256]];
    console.log(JSON.stringify(cases));" "$MODE")
  timeout 90 "$PY" tools/device/torch_bench.py train "$OUT/train-torch.json" "$CFGS" $TINY || echo "train step (torch): failed or timed out"
else echo '{"skipped":"no python3"}' > "$OUT/train-torch.json"; fi

section "decode tokens/s"
if [ "$MODE" = device ]; then timeout 100 node dist/bench/model.js --layers 24 --no-torch > "$OUT/model.txt" 2>&1 || echo "decode: failed or timed out"
else timeout 120 node dist/bench/model.js --quick --tiny-only --no-torch > "$OUT/model.txt" 2>&1 || echo "decode: failed or timed out"; fi
tail -8 "$OUT/model.txt"

section "report"
node tools/device/report.mjs "$OUT" && cat "$OUT/results.md"

# After the report, so that it can never delay it: Dawn's busy poll vs the 1 ms timer
# (src/gpu/wait.ts; a hardware adapter spins by default), one round, each mode its own process.
section "GPU wait: spin vs sleep"
timeout $([ "$MODE" = device ] && echo 45 || echo 90) node dist/bench/gpu-wait.js --rounds 1 $([ "$MODE" = device ] || echo --quick) > "$OUT/gpu-wait.md" 2>&1 || echo "gpu-wait: failed or timed out"
grep -v '^round' "$OUT/gpu-wait.md" | grep -v '^Warning' | tail -6
