// Our half of the device script's logits parity check (issue 16, item 3): a Qwen2-shaped model
// with random weights (seeded), saved as an ordinary checkpoint directory (config.json +
// model.safetensors, F32), and the logits our engine computes for a fixed batch of token ids.
// `torch_bench.py parity OUT.json DIR` then loads the same directory with transformers'
// Qwen2ForCausalLM and compares, both in float32 and against float64 as the reference:
//   err(x, ref) = max |x - ref| / max |ref|      (over every logit of the batch)
//
// Usage: node tools/device/parity.mjs DIR [--layers L] [--tiny] [--seq T]
//   default: Qwen2.5-0.5B widths (vocab 151936, d 896, 14 heads / 2 KV heads, ffn 4864) with
//   L = 4 of its 24 layers (every layer has the same shapes; 4 keep the file at ~0.8 GB),
//   B 2 x T 64.  --tiny: the tiny preset (seconds on lavapipe, for the local end-to-end test).
// Writes DIR/config.json, DIR/model.safetensors, DIR/ids.json ({B, T, ids}), DIR/ours.f32
// (raw little-endian float32 logits [B, T, V]) and prints one line with what it did.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { getGpu, releaseGpu } = await import('../../dist/src/gpu/index.js');
const { PRESETS } = await import('../../dist/src/nn/config.js');
const { Transformer } = await import('../../dist/src/nn/model.js');
const { saveModel } = await import('../../dist/src/nn/io.js');

const argv = process.argv.slice(2);
const dir = argv[0];
if (!dir || dir.startsWith('--')) { console.error('usage: parity.mjs DIR [--layers L] [--tiny] [--seq T]'); process.exit(2); }
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const tiny = argv.includes('--tiny');
const config = tiny ? { ...PRESETS.tiny } : { ...PRESETS['qwen2.5-0.5b'], num_hidden_layers: opt('--layers', 4) };
const B = 2, T = opt('--seq', tiny ? 16 : 64);

// ids from a fixed LCG (no Math.random: the same ids on every run)
let s = 12345;
const ids = Int32Array.from({ length: B * T }, () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % config.vocab_size; });

const gpu = await getGpu();
const model = Transformer.init(gpu, config, 1);
mkdirSync(dir, { recursive: true });
await saveModel(model, dir, 'F32');
const logits = await model.forward(ids, B, T).toFloat32Array();
writeFileSync(join(dir, 'ids.json'), JSON.stringify({ B, T, ids: Array.from(ids) }));
writeFileSync(join(dir, 'ours.f32'), Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength));
console.log(`parity: ${config.num_hidden_layers} layers, vocab ${config.vocab_size}, d ${config.hidden_size}, B ${B} x T ${T}, kernels ${gpu.kernelFamily}: ${logits.length} logits written to ${dir}`);
model.dispose();
releaseGpu();
