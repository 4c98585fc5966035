#!/usr/bin/env bash
# The one prepared script for a lent NVIDIA machine (the `device` tool's `run`): Dawn over
# Vulkan on a real GPU. Run it as the whole command of one call, e.g.
#   run(command="bash tools/device-check.sh", carry=[".gl", ".node", "node_modules", "dist"], timeout_s=540)
# Before the call, on the dev machine (repo root), once:
#   echo /.gl/ >> .git/info/exclude; echo /.node/ >> .git/info/exclude
#   mkdir -p .gl /tmp/amd64/partial; o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
#   apt-get $o update; (cd .gl && apt-get $o download libvulkan1)
#   mkdir -p .node && cp "$(command -v node)" .node/node     # the device image has no Node
#   npm run build                                            # dist/ travels with carry
# It writes everything under $OUT (comes back to /work/.device): info, gradcheck, kernel
# benchmarks with PyTorch's matmul measured in the same run, and a transformers round trip
# of our safetensors checkpoints.
set -u
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
exec > >(tee "$OUT/log.txt") 2>&1
for f in .gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
ldconfig
export PATH="$PWD/.node:$PATH" XDG_RUNTIME_DIR=/tmp
if ! ldconfig -p | grep -q libvulkan; then echo "no libvulkan: carry .gl (see the header)"; exit 1; fi
[ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv || true
command -v node >/dev/null || { echo "no node: carry .node (see the header)"; exit 1; }
node --version
echo "== info"; node dist/cli.js info --json > "$OUT/info.json"; cat "$OUT/info.json" | head -40
echo "== gradcheck"; timeout 120 node dist/cli.js gradcheck | tail -70
echo "== kernel tests"; timeout 180 node tools/run-tests.mjs kernels/ tensor/ | tail -5
echo "== bench (ours)"; timeout 180 node dist/cli.js bench --full --json "$OUT/bench.json" --markdown || true
echo "== PyTorch fp32 matmul, same card"
python3 - <<'PY' | tee "$OUT/torch-matmul.txt"
import torch, time
torch.backends.cuda.matmul.allow_tf32 = False
for n in (1024, 2048, 4096, 8192):
    a = torch.randn(n, n, device='cuda'); b = torch.randn(n, n, device='cuda')
    for _ in range(3): a @ b
    torch.cuda.synchronize(); t = time.perf_counter(); k = 10
    for _ in range(k): a @ b
    torch.cuda.synchronize(); dt = (time.perf_counter() - t) / k
    print(f"torch fp32 matmul N={n}: {2*n**3/dt/1e12:.2f} TFLOP/s")
PY
echo "== transformers loads our checkpoint"
node dist/cli.js model init --preset micro --out /tmp/micro >/dev/null && python3 - <<'PY' | tee "$OUT/transformers.txt"
import torch, transformers
m = transformers.AutoModelForCausalLM.from_pretrained('/tmp/micro', torch_dtype=torch.float32)
ids = torch.tensor([[1, 5, 9, 3]])
print('transformers logits[0,-1,:4]', m(ids).logits[0, -1, :4].tolist())
PY
node dist/cli.js sample --model /tmp/micro --ids 1,5,9,3 --max-new-tokens 1 --json --temperature 0 | head -2
