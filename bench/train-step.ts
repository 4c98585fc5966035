// One training step (forward + token cross-entropy + backward, no optimizer) of the tiny preset
// and of Qwen2.5-0.5B shapes, timed on this device with its kernel family: the engine side of the
// device script's training-step comparison (tools/device/torch_bench.py times transformers'
// Qwen2ForCausalLM with the same config, random init, on the same card).
//
//   tokens/s = B T / (median step time);  loss = -mean log p(next token), as the trainer's SFT loss
//
// Run: node dist/bench/train-step.js [--tiny] [--layers N] [--json FILE]
//   --tiny      the tiny preset at B2 T32 only (lavapipe: seconds)
//   (default)   tiny preset at B8 T128, 0.5B shapes (24 layers unless --layers) at B4 T256
import { writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import { PRESETS, countParams, type ModelConfig } from '../src/nn/config.js';
import { Transformer } from '../src/nn/model.js';
import * as T from '../src/tensor/index.js';

export interface TrainStepRow {
  model: string;
  params: number;
  batch: number;
  seq: number;
  ms: number;
  tokensPerS: number;
  loss: number;
  kernelFamily: string;
}

async function stepTime(model: Transformer, B: number, Tn: number, iterations: number): Promise<{ ms: number; loss: number }> {
  const V = model.config.vocab_size;
  const ids = Int32Array.from({ length: B * Tn }, (_, i) => (i * 7919 + 13) % V);
  const targets = Int32Array.from({ length: B * Tn }, (_, i) => ((i + 1) * 7919 + 13) % V);
  let loss = NaN;
  const step = async () => {
    const l = T.tidy(() => {
      const logits = model.forward(ids, B, Tn);
      const logp = T.tokenLogProbFused(logits, T.tensor(model.gpu, targets, [B, Tn], 'i32'));
      const out = T.mul(T.sum(logp), -1 / (B * Tn));
      out.backward();
      return out;
    });
    loss = await l.item();
    l.dispose();
    for (const p of model.parameters()) if (p.grad) { p.grad.dispose(); p.grad = null; }
  };
  await step(); // compile + first-touch memory
  const bench = new Bench({ iterations, time: 0, warmup: false, throws: true });
  bench.add('step', step);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency: { p50?: number; min: number } };
  return { ms: r.latency.p50 ?? r.latency.min, loss };
}

export async function benchTrainStep(opts: { tiny?: boolean; layers?: number } = {}): Promise<TrainStepRow[]> {
  const gpu = await getGpu();
  const layers = opts.layers ?? 24;
  // --tiny: the tiny preset only (the 0.5B widths take minutes to compile and run on lavapipe)
  const cases: [string, ModelConfig, number, number][] = opts.tiny
    ? [['tiny', PRESETS.tiny, 2, 32]]
    : [['tiny', PRESETS.tiny, 8, 128], [`qwen2.5-0.5b shapes, ${layers}/24 layers`, { ...PRESETS['qwen2.5-0.5b'], num_hidden_layers: layers }, 4, 256]];
  const rows: TrainStepRow[] = [];
  for (const [name, config, B, Tn] of cases) {
    const model = Transformer.init(gpu, config, 0);
    model.setRequiresGrad(true);
    const { ms, loss } = await stepTime(model, B, Tn, opts.tiny ? 2 : 5);
    rows.push({ model: name, params: countParams(config), batch: B, seq: Tn, ms, tokensPerS: Math.round((B * Tn) / (ms / 1000)), loss, kernelFamily: gpu.kernelFamily });
    model.dispose();
    gpu.trim();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const li = argv.indexOf('--layers');
  const ji = argv.indexOf('--json');
  const rows = await benchTrainStep({ tiny: argv.includes('--tiny'), layers: li >= 0 ? Number(argv[li + 1]) : undefined });
  if (ji >= 0) writeFileSync(argv[ji + 1], JSON.stringify(rows, null, 2) + '\n');
  console.log('| model | params | B x T | step ms | tokens/s | loss | kernels |\n|---|---:|---|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.model} | ${(r.params / 1e6).toFixed(1)}M | ${r.batch} x ${r.seq} | ${r.ms.toFixed(1)} | ${r.tokensPerS} | ${r.loss.toFixed(3)} | ${r.kernelFamily} |`);
  releaseGpu();
}
