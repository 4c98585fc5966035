// Benchmark plumbing shared by bench/*.ts: timing with tinybench (each sample records the work
// and waits for the GPU), result rows, table printing, JSON output.
import { Bench } from 'tinybench';
import type { Gpu } from '../src/gpu/device.js';

export interface BenchOpts {
  /** per-task time budget in ms (tinybench `time`) */
  timeMs: number;
  /** minimum samples */
  iterations: number;
}

export const QUICK: BenchOpts = { timeMs: 200, iterations: 3 };
export const FULL: BenchOpts = { timeMs: 1000, iterations: 5 };

export interface Timing {
  /** median ms per call */
  ms: number;
  /** fastest sample */
  minMs: number;
  samples: number;
}

/** Time `fn` (which must finish its GPU work before resolving). One warm-up call first. */
export async function time(fn: () => Promise<unknown> | unknown, o: BenchOpts): Promise<Timing> {
  await fn(); // compile + first-touch memory outside the measurement
  const b = new Bench({ time: o.timeMs, iterations: o.iterations, warmup: false, throws: true });
  b.add('x', fn);
  await b.run();
  const r = b.tasks[0].result as unknown as { latency: { p50?: number; min: number; samples: number[] } };
  return { ms: r.latency.p50 ?? r.latency.min, minMs: r.latency.min, samples: r.latency.samples.length };
}

/** Time GPU work: `record` dispatches, then we wait for the device. */
export function gpuTime(gpu: Gpu, record: () => void, o: BenchOpts): Promise<Timing> {
  return time(async () => {
    record();
    await gpu.sync();
  }, o);
}

export interface Row {
  suite: string;
  case: string;
  impl: string;
  ms: number;
  minMs: number;
  gflops?: number;
  gbps?: number;
  /** peak pool bytes in use during the call, when measured */
  peakBytes?: number;
  /** ratio: time of the baseline / time of this impl (>1: this is faster) */
  vsNaive?: number;
  vsCpu?: number;
  vsPeer?: number;
  /** attention: time(unfused) / time(fused) */
  vsUnfused?: number;
  note?: string;
}

export function row(suite: string, c: string, impl: string, t: Timing, flops?: number, bytes?: number, extra: Partial<Row> = {}): Row {
  return {
    suite, case: c, impl, ms: round(t.ms), minMs: round(t.minMs),
    gflops: flops ? round(flops / (t.ms * 1e6)) : undefined,
    gbps: bytes ? round(bytes / (t.ms * 1e6)) : undefined,
    ...extra,
  };
}

function bytes(b: number): string {
  return b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`;
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Fill the vs* ratios of `ours` rows from baseline rows with the same case. */
export function ratios(rows: Row[], ours: string): void {
  for (const r of rows.filter((x) => x.impl === ours)) {
    const same = rows.filter((x) => x.case === r.case && x.suite === r.suite);
    const naive = same.find((x) => x.impl === 'naive');
    const cpu = same.find((x) => x.impl === 'cpu-js');
    const peer = same.find((x) => x.impl.startsWith('tfjs'));
    if (naive) r.vsNaive = round(naive.ms / r.ms);
    if (cpu) r.vsCpu = round(cpu.ms / r.ms);
    if (peer) r.vsPeer = round(peer.ms / r.ms);
  }
}

export function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ['suite', 'case', 'impl', 'ms', 'gflops', 'gbps', 'peakBytes', 'vsNaive', 'vsCpu', 'vsPeer', 'vsUnfused', 'note'];
  const used = cols.filter((c) => rows.some((r) => r[c] !== undefined));
  const cell = (r: Row, c: keyof Row) => {
    const v = r[c];
    if (v === undefined) return '';
    if (c === 'peakBytes') return bytes(v as number);
    return String(v);
  };
  const widths = used.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  console.log(used.map((c, i) => c.padEnd(widths[i])).join('  '));
  for (const r of rows) console.log(used.map((c, i) => cell(r, c).padEnd(widths[i])).join('  '));
}

export function markdownTable(rows: Row[]): string {
  const cols: (keyof Row)[] = ['suite', 'case', 'impl', 'ms', 'gflops', 'gbps', 'peakBytes', 'vsNaive', 'vsCpu', 'vsPeer', 'vsUnfused'];
  const used = cols.filter((c) => rows.some((r) => r[c] !== undefined));
  const lines = [`| ${used.join(' | ')} |`, `|${used.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${used.map((c) => (r[c] === undefined ? '' : c === 'peakBytes' ? bytes(r[c] as number) : String(r[c]))).join(' | ')} |`);
  return lines.join('\n');
}

/** Deterministic pseudo-random fill (benchmarks do not care about the distribution). */
export function fill(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 4294967296) * 2 - 1;
  }
  return a;
}

export function upload(gpu: Gpu, data: Float32Array | Int32Array): GPUBuffer {
  const b = gpu.alloc(Math.max(4, data.byteLength));
  gpu.write(b, data);
  return b;
}
