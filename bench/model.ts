// Model throughput: prefill and decode tokens/s at batch 1 and 32 through generate()
// (KV cache, GPU-side greedy selection, B ids read back per step), peak GPU memory, and
// PyTorch's forward of the same model on the same CPU as the baseline.
//
//   prefill tokens/s = B * P / t(generate with 1 new token)        (prefill + one selection)
//   decode tokens/s  = B * N / (t(generate with 1 + N) - t(generate with 1))
//   peak GPU memory  = the buffer pool's allocated bytes (the pool keeps every buffer it
//                      created until trim(), so after a run this is the high-water mark)
//
// Models: the 'tiny' preset, and a 0.5B-shaped model (Qwen2.5-0.5B widths, vocabulary and
// heads) with fewer layers (default 2 of 24; --layers) so it runs on a 2-core lavapipe
// machine: per-layer costs scale linearly, the vocabulary head is paid in full.
// Run: node dist/bench/model.js [--quick] [--layers N] [--no-torch]
import { Bench } from 'tinybench';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import { PRESETS, countParams, type ModelConfig } from '../src/nn/config.js';
import { Transformer } from '../src/nn/model.js';
import { generate } from '../src/sample/generate.js';

export interface ModelBenchRow {
  model: string;
  params: number;
  batch: number;
  promptTokens: number;
  prefillTokensPerS: number;
  decodeTokensPerS: number;
  peakGpuMiB: number;
  torchForwardTokensPerS: number | null;
}

const PYTHONS = ['/usr/bin/python3', 'python3'];

function torchForward(config: ModelConfig, B: number, Tn: number, reps: number): number | null {
  const script = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'tools', 'torch_reference.py');
  if (!existsSync(script)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'batcoder-bench-'));
  try {
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(config));
    for (const py of PYTHONS) {
      try {
        const out = execFileSync(py, [script, 'bench', cfg, String(B), String(Tn), String(reps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return (JSON.parse(out.trim().split('\n').pop()!) as { tokens_per_s: number }).tokens_per_s;
      } catch {
        /* next interpreter */
      }
    }
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeOnce(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: 0, warmupTime: 0 });
  bench.add('run', fn);
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency?: { mean: number }; mean?: number };
  return (r.latency?.mean ?? r.mean ?? NaN) / 1000;
}

export async function benchModel(opts: { quick?: boolean; layers?: number; torch?: boolean } = {}): Promise<ModelBenchRow[]> {
  const gpu = await getGpu();
  const layers = opts.layers ?? 2;
  const P = opts.quick ? 16 : 32;
  const N = opts.quick ? 2 : 4;
  const big: ModelConfig = { ...PRESETS['qwen2.5-0.5b'], num_hidden_layers: layers };
  let bigName = `qwen2.5-0.5b shapes, ${layers}/24 layers`;
  // One tensor must fit one storage binding: lavapipe allows 128 MiB, and the 151936 x 896
  // f32 embedding is 519 MiB. Shrink the vocabulary to fit (and say so) on such adapters.
  const maxRows = Math.floor(gpu.limits.maxStorageBufferBindingSize / (4 * big.hidden_size));
  if (big.vocab_size > maxRows) {
    big.vocab_size = Math.floor(maxRows / 1024) * 1024;
    bigName += `, vocab ${big.vocab_size} (adapter binding limit)`;
  }
  const models: [string, ModelConfig][] = [
    ['tiny', PRESETS.tiny],
    [bigName, big],
  ];
  const rows: ModelBenchRow[] = [];
  for (const [name, config] of models) {
    gpu.trim();
    const model = Transformer.init(gpu, config, 0);
    for (const B of [1, 32]) {
      const prompts = Array.from({ length: B }, (_, b) => Array.from({ length: P }, (_, t) => (b * 131 + t * 7 + 1) % config.vocab_size));
      const run = (n: number) => () => generate(model, prompts, { maxNewTokens: n, greedy: true, eosId: null });
      await run(2)(); // compile every kernel once
      const iters = opts.quick ? 1 : 2;
      const t1 = await timeOnce(run(1), iters);
      const tn = await timeOnce(run(1 + N), iters);
      const torch = opts.torch === false ? null : torchForward(config, B, P, opts.quick ? 1 : 3);
      rows.push({
        model: name,
        params: countParams(config),
        batch: B,
        promptTokens: P,
        prefillTokensPerS: (B * P) / t1,
        decodeTokensPerS: (B * N) / Math.max(1e-9, tn - t1),
        peakGpuMiB: gpu.memory().storage.allocatedBytes / 2 ** 20,
        torchForwardTokensPerS: torch,
      });
    }
    model.dispose();
  }
  return rows;
}

export function formatRows(rows: ModelBenchRow[]): string {
  const head = '| model | params | batch | prompt | prefill tok/s | decode tok/s | peak GPU MiB | PyTorch forward tok/s (same CPU) |';
  const sep = '|---|---:|---:|---:|---:|---:|---:|---:|';
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = rows.map((r) =>
    `| ${r.model} | ${(r.params / 1e6).toFixed(1)}M | ${r.batch} | ${r.promptTokens} | ${f(r.prefillTokensPerS)} | ${f(r.decodeTokensPerS)} | ${r.peakGpuMiB.toFixed(0)} | ${r.torchForwardTokensPerS === null ? 'n/a (no python3-torch)' : f(r.torchForwardTokensPerS)} |`,
  );
  return [head, sep, ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const li = argv.indexOf('--layers');
  const gpu = await getGpu();
  console.log(`adapter: ${gpu.info.vendor} ${gpu.info.device} (${gpu.info.description})`);
  const rows = await benchModel({ quick: argv.includes('--quick'), layers: li >= 0 ? Number(argv[li + 1]) : undefined, torch: !argv.includes('--no-torch') });
  console.log(formatRows(rows));
  if (rows.some((r) => r.torchForwardTokensPerS === null)) console.log('PyTorch baseline skipped: python3-torch not importable (apt-get install python3-torch)');
  releaseGpu();
}
