// Model throughput: prefill and decode tokens/s at batch 1 and 32 through generate()
// (KV cache, GPU-side greedy selection, B ids read back per step), peak GPU memory, and
// PyTorch's forward of the same model on the same CPU as the baseline.
//
//   prefill tokens/s = B * P / (prompt pass + first selection + readback)
//   decode tokens/s  = B * N / (time of the N one-token steps), from generate()'s stats
//   peak GPU memory  = the buffer pool's allocated bytes (the pool keeps every buffer it
//                      created until trim(), so after a run this is the high-water mark)
//
// Models: the 'tiny' preset, and a 0.5B-shaped model (Qwen2.5-0.5B widths, vocabulary and
// heads) with fewer layers (default 2 of 24; --layers) so it runs on a 2-core lavapipe
// machine: per-layer costs scale linearly, the vocabulary head is paid in full.
// Run: node dist/bench/model.js [--quick] [--layers N] [--no-torch] [--tiny-only]
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

/** Run generate under tinybench; rates from generate's own prefill/decode split, summed over iterations. */
async function measure(model: Transformer, prompts: number[][], steps: number, iterations: number): Promise<{ prefill: number; decode: number }> {
  let prefillMs = 0, decodeMs = 0, decodeTokens = 0, prefillTokens = 0;
  const bench = new Bench({ iterations, time: 0, warmupIterations: 0, warmupTime: 0 });
  bench.add('generate', async () => {
    const r = await generate(model, prompts, { maxNewTokens: 1 + steps, greedy: true, eosId: null });
    prefillMs += r.stats.prefillMs;
    decodeMs += r.stats.decodeMs;
    prefillTokens += prompts.reduce((a, p) => a + p.length, 0);
    decodeTokens += r.stats.decodeSteps * prompts.length;
  });
  await bench.run();
  return { prefill: prefillTokens / (prefillMs / 1000), decode: decodeTokens / (decodeMs / 1000) };
}

export async function benchModel(opts: { quick?: boolean; layers?: number; torch?: boolean; tinyOnly?: boolean } = {}): Promise<ModelBenchRow[]> {
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
  const models: [string, ModelConfig][] = [['tiny', PRESETS.tiny]];
  if (!opts.tinyOnly) models.push([bigName, big]);
  const rows: ModelBenchRow[] = [];
  for (const [name, config] of models) {
    gpu.trim();
    const model = Transformer.init(gpu, config, 0);
    for (const B of [1, 32]) {
      const prompts = Array.from({ length: B }, (_, b) => Array.from({ length: P }, (_, t) => (b * 131 + t * 7 + 1) % config.vocab_size));
      await generate(model, prompts, { maxNewTokens: 2, greedy: true, eosId: null }); // compile every kernel once
      const rate = await measure(model, prompts, N, opts.quick ? 1 : 2);
      const torch = opts.torch === false ? null : torchForward(config, B, P, opts.quick ? 1 : 3);
      rows.push({
        model: name,
        params: countParams(config),
        batch: B,
        promptTokens: P,
        prefillTokensPerS: rate.prefill,
        decodeTokensPerS: rate.decode,
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
  const rows = await benchModel({ quick: argv.includes('--quick'), layers: li >= 0 ? Number(argv[li + 1]) : undefined, torch: !argv.includes('--no-torch'), tinyOnly: argv.includes('--tiny-only') });
  console.log(formatRows(rows));
  if (rows.some((r) => r.torchForwardTokensPerS === null)) console.log('PyTorch baseline skipped: python3-torch not importable (apt-get install python3-torch)');
  releaseGpu();
}
