// CSSG reward throughput: pairs/s for 10-40 line functions in the training pattern
// (a batch of originals, each with many rollouts; originals' graphs cached, every
// rollout new). Run: node dist/bench/cssg.js [--quick] [--inline] [--cpu N [--workers W] [--warmup K]] [--alloc]
//
// Each row: one warm-up batch (K with --warmup), then BATCHES batches (1 with --quick) of BATCH fresh
// pairs (bench/cssg-pairs.ts: rollouts get a unique trailing comment so that no rollout
// is ever a cache hit), and for them
//   wall        pairs / elapsed seconds (only meaningful on an idle machine);
//   CPU         pairs / CPU seconds of the whole process (every thread: the parent,
//               the workers, V8's garbage-collection and compiler helpers): robust to
//               a loaded machine, the number to compare between builds;
//   split       CPU seconds per 1,000 pairs of the parent thread, of each worker thread
//               (src/cssg/threadcpu.ts; Linux only) and of the rest (helper threads).
// --inline: the single-thread rows only. --cpu N: one row, 'cssg' on W workers (default
// 1: inline) over N batches (to compare two builds alternately: bench/cssg-ab.ts).
// --warmup K: K warm-up batches instead of one. The timed batches after one warm-up
// still carry the JIT's tail (V8 compiling the scorer on helper threads, unoptimised code
// in each worker isolate): a training run's pool is started once and stays warm, so
// K = 4 or more measures what a reward costs there after its first steps.
// --alloc: bytes allocated per batch, inline, by the inspector's sampling heap profiler
// with objects already collected included (every 8 KB), total and by function: unlike
// CPU time it hardly moves with the machine's load (the same build twice: within ~2%).
import { availableParallelism, loadavg } from 'node:os';
import { Session } from 'node:inspector/promises';
import { scorePairs, closeWorkers, type Metric } from '../src/cssg/index.js';
import { workerCpuSeconds } from '../src/cssg/pool.js';
import { threadCpuSeconds } from '../src/cssg/threadcpu.js';
import { BATCH, ORIGINALS, ROLLOUTS, batch as pairBatch, originalLines as lines } from './cssg-pairs.js';

const args = process.argv.slice(2);
let iteration = 0;
const batch = () => pairBatch(++iteration);

function intFlag(name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got '${args[i + 1]}'`);
  return n;
}

interface Row {
  wall: number;
  cpu: number;
  parent: number;
  workers: number[];
  other: number;
}

const warmups = intFlag('--warmup', 1);

/** One row: the warm-up batches, then `batches` timed batches (see the file comment). */
async function measure(metric: Metric, workers: number, batches: number): Promise<Row> {
  for (let i = 0; i < warmups; i++) await scorePairs(batch(), { metric, workers });
  const w0 = workers > 1 ? await workerCpuSeconds() : [];
  const p0 = threadCpuSeconds();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) await scorePairs(batch(), { metric, workers });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const parent = threadCpuSeconds() - p0;
  const w1 = workers > 1 ? await workerCpuSeconds() : [];
  const cpu = (c.user + c.system) / 1e6;
  const ws = w1.map((x, i) => x - (w0[i] ?? 0));
  const per = 1000 / (batches * BATCH);
  return { wall: (batches * BATCH) / seconds, cpu: (batches * BATCH) / cpu, parent: parent * per, workers: ws.map((x) => x * per), other: (cpu - parent - ws.reduce((s, x) => s + x, 0)) * per };
}

function show(name: string, r: Row, batches: number): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '?');
  const split = `parent ${f(r.parent)}${r.workers.length ? `, workers ${r.workers.map(f).join(' + ')}` : ''}, other threads ${f(r.other)}`;
  return `${name.padEnd(26)} ${r.wall.toFixed(0).padStart(6)} pairs/s wall  ${r.cpu.toFixed(0).padStart(5)} pairs per CPU-second   CPU-s per 1,000 pairs: ${split}   (${batches} x ${BATCH} pairs${warmups > 1 ? `, after ${warmups} warm-up batches` : ''})`;
}

console.log(`originals: ${ORIGINALS} (${Math.min(...lines)}-${Math.max(...lines)} lines, mean ${(lines.reduce((a, b) => a + b, 0) / lines.length).toFixed(1)}), rollouts each: ${ROLLOUTS}, batch: ${BATCH} pairs, cores: ${availableParallelism()}`);

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: SampleNode[];
}

/** MB allocated while scoring one fresh batch inline, and the functions that allocated most. */
async function allocation(): Promise<void> {
  await scorePairs(batch(), { metric: 'cssg', workers: 1 });
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await scorePairs(batch(), { metric: 'cssg', workers: 1 });
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
  session.disconnect();
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: SampleNode) => {
    const f = n.callFrame;
    const k = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    by.set(k, (by.get(k) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children ?? []) walk(c);
  };
  walk(profile.head);
  console.log(`cssg, inline: ${(total / 1e6).toFixed(1)} MB allocated per ${BATCH}-pair batch (sampled every 8 KB, collected objects included); most:`);
  for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${(v / 1e6).toFixed(1).padStart(6)} MB  ${k}`);
}

if (args.includes('--alloc')) {
  await allocation();
} else if (args.includes('--cpu')) {
  const n = intFlag('--cpu', 0);
  const workers = intFlag('--workers', 1);
  const r = await measure('cssg', workers, n);
  console.log(show(workers > 1 ? `cssg, ${workers} workers` : 'cssg, inline', r, n));
  console.log(`load average ${loadavg()[0].toFixed(1)}`);
} else {
  const batches = args.includes('--quick') ? 1 : 4;
  const allCases: [string, Metric, number][] = [
    ['cssg, 2 workers', 'cssg', 2],
    ['cssg, inline (1 thread)', 'cssg', 1],
    ['cssg-v1, 2 workers', 'cssg-v1', 2],
    ['cssg-v1, inline (1 thread)', 'cssg-v1', 1],
    ['wl, 2 workers', 'wl', 2],
    ['tokens, 2 workers', 'tokens', 2],
  ];
  const cases = args.includes('--inline') ? allCases.filter((c) => c[2] === 1) : allCases;
  for (const [name, metric, workers] of cases) console.log(show(name, await measure(metric, workers, batches), batches));
  console.log(`load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (wall numbers are only meaningful on an idle machine)`);
}
await closeWorkers();
