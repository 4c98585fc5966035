// Kernel families side by side in one run (src/gpu/family.ts): the same operations recorded by
// a device with the lavapipe family and by a device with the gpu family, on the same adapter,
// alternating per case. On lavapipe this measures what forcing the GPU-shaped kernels costs
// there (the lavapipe family is the default on a software adapter; the claim "no regression on
// lavapipe" is the lavapipe column against the same kernels before the switch, which are
// unchanged); on a GPU it measures what the gpu family buys over the lavapipe-shaped kernels.
//
//   ratio = time(lavapipe family) / time(gpu family)      (> 1: the gpu family is faster)
//   matmul GFLOP/s = 2 M N K / t;  softmax GB/s = 2 rows cols 4 / t (read + write);
//   log-prob GB/s = rows V 4 / t;  attention GFLOP/s = 4 B H D T (T + 1) / 2 / t (causal fwd),
//   backward counted as 2.5x the forward's flops.
//
// Run: node dist/bench/families.js [--tiny | --device] [--only SUITE] [--json FILE]
//   --only    one suite (matmul, softmax, logprob, attention)
//   --tiny    seconds on lavapipe (the device script's local end-to-end test)
//   (default) lavapipe-sized shapes: matmul 256/512, softmax [1024,1024], log-prob [64,32000],
//             attention B1 H4 T128 (D 16: the gpu family's D = 64 shaders take minutes to
//             compile on lavapipe)
//   --device  GPU-sized shapes: matmul up to 4096 and Qwen2.5-0.5B projections, softmax
//             [4096,1024], log-prob [512,151936], attention T = 256..4096 at D = 64
import { writeFileSync } from 'node:fs';
import { Gpu } from '../src/gpu/index.js';
import { matmul } from '../src/kernels/matmul.js';
import { softmax } from '../src/kernels/softmax.js';
import { logprob } from '../src/kernels/logprob.js';
import { attentionKernels } from '../src/kernels/flash-attention.js';
import { gpuTime, fill, upload, QUICK, type BenchOpts, type Timing } from './harness.js';

export interface FamilyRow {
  suite: string;
  case: string;
  lavapipeMs: number;
  gpuMs: number;
  /** time(lavapipe family) / time(gpu family) */
  ratio: number;
  unit: 'GFLOP/s' | 'GB/s';
  lavapipeRate: number;
  gpuRate: number;
}

/** One benchmark case: `setup` allocates on a device and returns the recording function and a cleanup. */
interface Case {
  suite: string;
  name: string;
  unit: 'GFLOP/s' | 'GB/s';
  /** flops or bytes per call */
  work: number;
  setup: (gpu: Gpu) => { record: () => void; free: () => void };
}

function matmulCase(M: number, N: number, K: number, label?: string): Case {
  return {
    suite: 'matmul', name: label ?? `${M}x${K} @ ${K}x${N}`, unit: 'GFLOP/s', work: 2 * M * N * K,
    setup: (gpu) => {
      const A = upload(gpu, fill(M * K, 1)), B = upload(gpu, fill(K * N, 2)), O = gpu.alloc(M * N * 4);
      return { record: () => matmul(gpu, { a: A, b: B, out: O, batch: 1, M, N, K }), free: () => [A, B, O].forEach((b) => gpu.free(b)) };
    },
  };
}

function softmaxCase(rows: number, cols: number): Case {
  return {
    suite: 'softmax', name: `[${rows},${cols}]`, unit: 'GB/s', work: 2 * rows * cols * 4,
    setup: (gpu) => {
      const X = upload(gpu, fill(rows * cols, 3)), O = gpu.alloc(rows * cols * 4);
      return { record: () => softmax(gpu, { x: X, out: O, rows, cols }), free: () => [X, O].forEach((b) => gpu.free(b)) };
    },
  };
}

function logprobCase(rows: number, V: number): Case {
  return {
    suite: 'logprob', name: `[${rows},${V}]`, unit: 'GB/s', work: rows * V * 4,
    setup: (gpu) => {
      const X = upload(gpu, fill(rows * V, 4)), T = upload(gpu, Int32Array.from({ length: rows }, (_, i) => (i * 7919) % V));
      const LP = gpu.alloc(rows * 4), LSE = gpu.alloc(rows * 4);
      return { record: () => logprob(gpu, { logits: X, targets: T, logp: LP, lse: LSE, rows, vocab: V }), free: () => [X, T, LP, LSE].forEach((b) => gpu.free(b)) };
    },
  };
}

function attentionCase(T: number, D: number, backward: boolean, B = 1, H = 4): Case {
  const flops = (4 * B * H * D * (T * (T + 1))) / 2;
  return {
    suite: 'attention', name: `B${B} H${H} T${T} D${D} ${backward ? 'bwd' : 'fwd'}`, unit: 'GFLOP/s', work: backward ? 2.5 * flops : flops,
    setup: (gpu) => {
      const n = B * H * T * D;
      const Q = upload(gpu, fill(n, 5)), K = upload(gpu, fill(n, 6)), V = upload(gpu, fill(n, 7)), O = gpu.alloc(n * 4), LSE = gpu.alloc(B * H * T * 4);
      const DO = upload(gpu, fill(n, 8)), DQ = gpu.alloc(n * 4), DK = gpu.alloc(n * 4), DV = gpu.alloc(n * 4);
      const k = attentionKernels(gpu);
      const dims = { B, Hq: H, Hkv: H, Tq: T, D };
      k.forward(gpu, { q: Q, k: K, v: V, out: O, lse: LSE, ...dims });
      return {
        record: () => (backward
          ? k.backward(gpu, { q: Q, k: K, v: V, out: O, lse: LSE, dout: DO, dq: DQ, dk: DK, dv: DV, ...dims })
          : k.forward(gpu, { q: Q, k: K, v: V, out: O, lse: LSE, ...dims })),
        free: () => [Q, K, V, O, LSE, DO, DQ, DK, DV].forEach((b) => gpu.free(b)),
      };
    },
  };
}

export function familyCases(mode: 'tiny' | 'lavapipe' | 'device'): Case[] {
  if (mode === 'tiny') {
    return [matmulCase(128, 128, 128), softmaxCase(256, 256), logprobCase(16, 2048), attentionCase(64, 8, false), attentionCase(64, 8, true)];
  }
  if (mode === 'lavapipe') {
    return [
      matmulCase(256, 256, 256), matmulCase(512, 512, 512),
      softmaxCase(1024, 1024), logprobCase(64, 32000),
      attentionCase(128, 16, false), attentionCase(128, 16, true),
    ];
  }
  const q = { d: 896, ffn: 4864, V: 151936, tokens: 1024 };
  return [
    ...[1024, 2048, 4096].map((n) => matmulCase(n, n, n)),
    matmulCase(q.tokens, q.ffn, q.d, `qwen0.5b ffn-up [${q.tokens},${q.d}]x[${q.d},${q.ffn}]`),
    matmulCase(q.tokens, q.d, q.ffn, `qwen0.5b ffn-down [${q.tokens},${q.ffn}]x[${q.ffn},${q.d}]`),
    matmulCase(q.tokens, q.V, q.d, `qwen0.5b lm-head [${q.tokens},${q.d}]x[${q.d},${q.V}]`),
    softmaxCase(4096, 1024), logprobCase(512, 32000), logprobCase(512, q.V),
    ...[256, 1024, 2048, 4096].flatMap((T) => [attentionCase(T, 64, false), attentionCase(T, 64, true)]),
  ];
}

/** Time each case on both devices, alternating (lavapipe family first). */
export async function benchFamilies(lav: Gpu, gpuF: Gpu, cases: Case[], o: BenchOpts, log: (s: string) => void = () => {}): Promise<FamilyRow[]> {
  const rows: FamilyRow[] = [];
  for (const c of cases) {
    const t: Timing[] = [];
    for (const g of [lav, gpuF]) {
      const s = c.setup(g);
      t.push(await gpuTime(g, s.record, o));
      s.free();
    }
    const rate = (ms: number) => Number((c.work / (ms / 1000) / 1e9).toPrecision(3));
    const r: FamilyRow = {
      suite: c.suite, case: c.name, lavapipeMs: t[0].ms, gpuMs: t[1].ms, ratio: Math.round((t[0].ms / t[1].ms) * 1000) / 1000,
      unit: c.unit, lavapipeRate: rate(t[0].ms), gpuRate: rate(t[1].ms),
    };
    log(`${r.suite} ${r.case}: lavapipe family ${r.lavapipeMs.toFixed(3)} ms, gpu family ${r.gpuMs.toFixed(3)} ms, ratio ${r.ratio}`);
    rows.push(r);
  }
  return rows;
}

export function familiesMarkdown(rows: FamilyRow[]): string {
  const out = ['| suite | case | lavapipe family ms | gpu family ms | lavapipe family rate | gpu family rate | ratio (lav/gpu) |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    out.push(`| ${r.suite} | ${r.case} | ${r.lavapipeMs.toPrecision(3)} | ${r.gpuMs.toPrecision(3)} | ${r.lavapipeRate} ${r.unit} | ${r.gpuRate} ${r.unit} | ${r.ratio} |`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const mode = argv.includes('--tiny') ? 'tiny' : argv.includes('--device') ? 'device' : 'lavapipe';
  const ji = argv.indexOf('--json');
  const lav = await Gpu.create({ kernels: 'lavapipe' });
  const gpuF = await Gpu.create({ kernels: 'gpu' });
  const oi = argv.indexOf('--only');
  const cases = familyCases(mode).filter((c) => oi < 0 || c.suite === argv[oi + 1]);
  const rows = await benchFamilies(lav, gpuF, cases, mode === 'tiny' ? { timeMs: 50, iterations: 2 } : QUICK, (s) => console.error(s));
  const run = { adapter: `${lav.info.vendor} ${lav.info.architecture} ${lav.info.device}`.trim(), driver: lav.info.description, mode, date: new Date().toISOString(), rows };
  if (ji >= 0) writeFileSync(argv[ji + 1], JSON.stringify(run, null, 2) + '\n');
  console.log(`adapter: ${run.adapter} | driver: ${run.driver} | mode ${mode}`);
  console.log(familiesMarkdown(rows));
  lav.destroy();
  gpuF.destroy();
}
