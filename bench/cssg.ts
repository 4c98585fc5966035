// CSSG reward throughput: pairs/s for 10-40 line functions in the training pattern
// (a batch of originals, each with many rollouts; originals' graphs cached, every
// rollout new). Run: node dist/bench/cssg.js [--quick] [--inline] [--cpu N]
// --cpu N: no tinybench; one warm-up batch, then N batches of 'cssg' inline, and the
// pairs per CPU-second of those N (the number to compare on a loaded machine: run an
// old build's and a new build's alternately).
//
// Each iteration scores BATCH fresh pairs (bench/cssg-pairs.ts): rollouts get a unique
// trailing comment so that no rollout is ever a cache hit.
import { Bench } from 'tinybench';
import { availableParallelism, loadavg } from 'node:os';
import { scorePairs, closeWorkers, type Metric } from '../src/cssg/index.js';
import { BATCH, ORIGINALS, ROLLOUTS, batch as pairBatch, originalLines as lines } from './cssg-pairs.js';

const quick = process.argv.includes('--quick');
let iteration = 0;
const batch = () => pairBatch(++iteration);

console.log(`originals: ${ORIGINALS} (${Math.min(...lines)}-${Math.max(...lines)} lines, mean ${(lines.reduce((a, b) => a + b, 0) / lines.length).toFixed(1)}), rollouts each: ${ROLLOUTS}, batch: ${BATCH} pairs, cores: ${availableParallelism()}`);

const cpuAt = process.argv.indexOf('--cpu');
if (cpuAt >= 0) {
  const n = Number(process.argv[cpuAt + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--cpu needs a positive number of batches, got '${process.argv[cpuAt + 1]}'`);
  await scorePairs(batch(), { metric: 'cssg', workers: 1 });
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await scorePairs(batch(), { metric: 'cssg', workers: 1 });
  const d = process.cpuUsage(c0);
  console.log(`cssg, inline: ${((n * BATCH) / ((d.user + d.system) / 1e6)).toFixed(0)} pairs per CPU-second (${n} batches of ${BATCH} pairs after one warm-up batch; load average ${loadavg()[0].toFixed(1)})`);
  process.exit(0);
}

const bench = new Bench({ time: quick ? 1000 : 4000, warmupTime: quick ? 0 : 500, iterations: quick ? 1 : 3 });
// --inline: the single-thread cases only (a loaded machine: pairs per CPU-second is the number to read)
const inlineOnly = process.argv.includes('--inline');
const allCases: [string, Metric, number][] = [
  ['cssg, 2 workers', 'cssg', 2],
  ['cssg, inline (1 thread)', 'cssg', 1],
  ['cssg-v1, 2 workers', 'cssg-v1', 2],
  ['cssg-v1, inline (1 thread)', 'cssg-v1', 1],
  ['wl, 2 workers', 'wl', 2],
  ['tokens, 2 workers', 'tokens', 2],
];
const cases = inlineOnly ? allCases.filter((c) => c[2] === 1) : allCases;
// CPU time of the whole process (all threads) per task: on a shared machine wall
// time depends on the neighbours, pairs per CPU-second does not.
const cpu = new Map<string, { us: number; batches: number }>();
for (const [name, metric, workers] of cases) {
  cpu.set(name, { us: 0, batches: 0 });
  bench.add(name, async () => {
    const c0 = process.cpuUsage();
    await scorePairs(batch(), { metric, workers });
    const d = process.cpuUsage(c0);
    const e = cpu.get(name)!;
    e.us += d.user + d.system;
    e.batches++;
  });
}
await bench.run();
for (const t of bench.tasks) {
  const ms = t.result?.latency.mean ?? NaN;
  const c = cpu.get(t.name)!;
  const perCpuSecond = (c.batches * BATCH) / (c.us / 1e6);
  console.log(`${t.name.padEnd(26)} ${(BATCH / (ms / 1000)).toFixed(0).padStart(7)} pairs/s wall   ${perCpuSecond.toFixed(0).padStart(6)} pairs per CPU-second   (${ms.toFixed(1)} ms per ${BATCH}-pair batch, ${t.result?.latency.samples.length} batches)`);
}
console.log(`load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (wall numbers are only meaningful on an idle machine)`);
await closeWorkers();
