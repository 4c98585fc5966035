// Where a training step's time goes: the GPU time of every kernel (timestamp queries,
// src/gpu/device.ts startProfile/profile) against the step's wall time, for one forward +
// fused log-prob loss + backward of a model with random weights (issue 16, item 2: "the GPU
// busy >= 70% of a training step" of the tiny preset).
//
//   cpuRecordMs = wall time of recording one step (forward + loss + backward, every dispatch
//                 encoded and all but the last batch submitted) before anything waits for the GPU
//   us per dispatch recorded = 1000 * cpuRecordMs / dispatches counted by the device
//   (device-independent JS + Dawn encoding: this is what a faster GPU cannot hide), timed over
//   --steps steps run before the profiled ones (timestamp queries change the encoding)
//   busy = sum over the step's dispatches of (end - begin timestamp) / wall time of the step
//   CPU-side ms per dispatch ~= (wall - kernel sum) / dispatches   (an upper bound: it also holds
//                                 the waits for readback and any gap the GPU sits idle)
//
// Kernels overlap nothing here (one queue, one pass per submit), so busy <= 1 up to timer noise.
// Timestamps need the adapter's `timestamp-query` feature; without it the bench says so and
// reports the wall time only.
//
// Run: node dist/bench/step-profile.js [--preset tiny] [--batch 8] [--seq 128] [--layers N]
//        [--steps 3] [--top 12] [--json FILE]
import { writeFileSync } from 'node:fs';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import { PRESETS, countParams } from '../src/nn/config.js';
import { Transformer } from '../src/nn/model.js';
import * as T from '../src/tensor/index.js';

export interface StepProfile {
  model: string;
  params: number;
  batch: number;
  seq: number;
  kernelFamily: string;
  wallMs: number;
  /** null without timestamp queries */
  kernelMs: number | null;
  busy: number | null;
  dispatches: number | null;
  cpuUsPerDispatch: number | null;
  /** median over the steps of the time to record one step (no waiting), ms */
  cpuRecordMs: number;
  /** dispatches per step (the device's counter: known without timestamps) */
  dispatchesRecorded: number;
  /** 1000 * cpuRecordMs / dispatchesRecorded */
  usPerDispatchRecorded: number;
  /** bind groups made per step (the rest were found in the device's cache) */
  bindGroupsMade: number;
  top: { name: string; count: number; ms: number }[];
}

export async function profileStep(o: { preset: string; batch: number; seq: number; layers?: number; steps: number; top: number }): Promise<StepProfile> {
  const gpu = await getGpu();
  const base = PRESETS[o.preset];
  if (!base) throw new Error(`step-profile: unknown preset '${o.preset}' (${Object.keys(PRESETS).join(', ')})`);
  const config = o.layers ? { ...base, num_hidden_layers: o.layers } : base;
  const model = Transformer.init(gpu, config, 0);
  model.setRequiresGrad(true);
  const B = o.batch, Tn = o.seq, V = config.vocab_size;
  const ids = Int32Array.from({ length: B * Tn }, (_, i) => (i * 7919 + 13) % V);
  const targets = T.keep(T.tensor(gpu, Int32Array.from({ length: B * Tn }, (_, i) => ((i + 1) * 7919 + 13) % V), [B, Tn], 'i32'));
  const rec: { ms: number; dispatches: number; groups: number }[] = [];
  const step = async (): Promise<void> => {
    const d0 = gpu.counters.dispatches, g0 = gpu.counters.bindGroups, t0 = performance.now();
    const loss = T.tidy(() => {
      const logp = T.tokenLogProbFused(model.forward(ids, B, Tn), targets);
      const l = T.mul(T.sum(logp), -1 / (B * Tn));
      l.backward();
      return l;
    });
    rec.push({ ms: performance.now() - t0, dispatches: gpu.counters.dispatches - d0, groups: gpu.counters.bindGroups - g0 });
    await loss.item();
    loss.dispose();
    for (const p of model.parameters()) if (p.grad) { p.grad.dispose(); p.grad = null; }
  };
  await step(); // compile + first touch outside the measurement
  await step();
  // recording is timed without timestamp queries (they give each dispatch its own pass)
  rec.length = 0;
  for (let i = 0; i < o.steps; i++) await step();
  const recorded = rec.splice(0);
  if (gpu.hasTimestamps) gpu.startProfile();
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) await step();
  const wallMs = (performance.now() - t0) / o.steps;
  await gpu.sync();
  const prof = gpu.hasTimestamps ? gpu.profile() : null;
  const kernelMs = prof ? prof.reduce((a, p) => a + p.ms, 0) / o.steps : null;
  const dispatches = prof ? prof.reduce((a, p) => a + p.count, 0) / o.steps : null;
  const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const cpuRecordMs = median(recorded.map((r) => r.ms));
  const dispatchesRecorded = median(recorded.map((r) => r.dispatches));
  const out: StepProfile = {
    model: o.layers ? `${o.preset} (${o.layers} layers)` : o.preset, params: countParams(config), batch: B, seq: Tn, kernelFamily: gpu.kernelFamily, wallMs,
    kernelMs, busy: kernelMs == null ? null : kernelMs / wallMs, dispatches,
    cpuUsPerDispatch: kernelMs == null || !dispatches ? null : ((wallMs - kernelMs) * 1000) / dispatches,
    cpuRecordMs, dispatchesRecorded, usPerDispatchRecorded: (1000 * cpuRecordMs) / dispatchesRecorded, bindGroupsMade: median(recorded.map((r) => r.groups)),
    top: (prof ?? []).slice(0, o.top).map((p) => ({ name: p.name, count: p.count / o.steps, ms: p.ms / o.steps })),
  };
  targets.dispose();
  model.dispose();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const arg = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
  const num = (name: string, dflt: number): number => {
    const v = Number(arg(name, String(dflt)));
    if (!Number.isInteger(v) || v < 0) throw new Error(`step-profile: ${name} must be a non-negative integer, got '${arg(name, '')}'`);
    return v;
  };
  const r = await profileStep({ preset: arg('--preset', 'tiny'), batch: num('--batch', 8), seq: num('--seq', 128), layers: num('--layers', 0) || undefined, steps: num('--steps', 3), top: num('--top', 12) });
  const ji = argv.indexOf('--json');
  if (ji >= 0) writeFileSync(argv[ji + 1], JSON.stringify(r, null, 2) + '\n');
  const f = (x: number | null, d = 1): string => (x == null ? 'n/a' : x.toFixed(d));
  console.log(`${r.model} (${(r.params / 1e6).toFixed(1)}M params), B ${r.batch} x T ${r.seq}, ${r.kernelFamily} family: wall ${f(r.wallMs)} ms/step, kernels ${f(r.kernelMs)} ms, GPU busy ${r.busy == null ? 'n/a (no timestamp-query)' : (100 * r.busy).toFixed(0) + '%'}, ${f(r.dispatches, 0)} dispatches, ~${f(r.cpuUsPerDispatch)} us CPU-side per dispatch`);
  console.log(`recording (no waits): ${f(r.cpuRecordMs)} ms/step for ${r.dispatchesRecorded} dispatches = ${f(r.usPerDispatchRecorded)} us per dispatch recorded; ${r.bindGroupsMade} bind groups made per step`);
  for (const p of r.top) console.log(`${p.ms.toFixed(2).padStart(9)} ms ${String(p.count).padStart(5)}x  ${p.name}`);
  releaseGpu();
}
