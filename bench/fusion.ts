// Elementwise fusion on vs off for a transformer block forward + backward (and for a
// pointwise chain): wall time and kernel dispatches, measured in the same run.
// Run: node dist/bench/fusion.js [--layers N] [--batch B] [--seq T]
import { Bench } from 'tinybench';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import * as T from '../src/tensor/index.js';
import { Transformer } from '../src/nn/model.js';
import { PRESETS } from '../src/nn/config.js';

function arg(name: string, d: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
}

export async function benchFusion(): Promise<{ name: string; fusedMs: number; unfusedMs: number; fusedKernels: number; unfusedKernels: number }[]> {
  const gpu = await getGpu();
  const layers = arg('layers', 1), B = arg('batch', 4), Tn = arg('seq', 64);
  const model = Transformer.init(gpu, { ...PRESETS.tiny, num_hidden_layers: layers }, 1);
  model.setRequiresGrad(true);
  const ids = Int32Array.from({ length: B * Tn }, (_, i) => (i * 31) % 512);
  const x = T.keep(T.randn(gpu, [256, 1024]));
  const cases: [string, () => Promise<void>][] = [
    [`transformer block fwd+bwd (${layers} layer, B=${B}, T=${Tn})`, async () => {
      const l = T.tidy(() => {
        const loss = T.mean(T.square(model.forward(ids, B, Tn)));
        loss.backward();
        return loss;
      });
      await l.item();
      l.dispose();
      for (const p of model.parameters()) { p.grad?.dispose(); p.grad = null; }
    }],
    ['pointwise chain gelu(x * 1.7 + 0.3) * sigmoid(x) [256, 1024]', async () => {
      const y = T.tidy(() => T.mul(T.gelu(T.add(T.mul(x, 1.7), 0.3)), T.sigmoid(x)).realise());
      await gpu.sync();
      y.dispose();
    }],
  ];
  const out = [];
  for (const [name, fn] of cases) {
    const res: Record<string, { ms: number; kernels: number }> = {};
    for (const fused of [true, false]) {
      T.FUSION.enabled = fused;
      await fn();
      const before = gpu.counters.dispatches;
      await fn();
      const kernels = gpu.counters.dispatches - before;
      const bench = new Bench({ time: 1500, warmupTime: 200, iterations: 3 });
      bench.add(name, fn);
      await bench.run();
      const r = bench.tasks[0].result as unknown as { latency?: { mean: number }; mean?: number };
      res[String(fused)] = { ms: r.latency?.mean ?? r.mean ?? NaN, kernels };
    }
    T.FUSION.enabled = true;
    out.push({ name, fusedMs: res.true.ms, unfusedMs: res.false.ms, fusedKernels: res.true.kernels, unfusedKernels: res.false.kernels });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const gpu = await getGpu();
  console.log(`adapter: ${gpu.info.vendor} ${gpu.info.device} (${gpu.info.description})`);
  const rows = await benchFusion();
  console.log('| case | fused ms | unfused ms | speed-up | fused kernels | unfused kernels |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.fusedMs.toFixed(1)} | ${r.unfusedMs.toFixed(1)} | ${(r.unfusedMs / r.fusedMs).toFixed(2)}x | ${r.fusedKernels} | ${r.unfusedKernels} |`);
  releaseGpu();
}
