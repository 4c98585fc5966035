// CSSG reward throughput: pairs/s for 10-40 line functions in the training pattern
// (a batch of originals, each with many rollouts; originals' graphs cached, every
// rollout new). Run: node dist/bench/cssg.js [--quick] [--inline]
//
// Each iteration scores BATCH fresh pairs: rollouts get a unique trailing comment so
// that no rollout is ever a cache hit (the comment does not change the graph).
import { Bench } from 'tinybench';
import { availableParallelism, loadavg } from 'node:os';
import { LANGS, type Lang } from '../src/lang/parser.js';
import { scorePairs, closeWorkers, type Metric, type Pair } from '../src/cssg/index.js';
import { genProgram, print, variant } from '../test/cssg/gen.js';

const quick = process.argv.includes('--quick');
const ORIGINALS = 64;
const ROLLOUTS = 16;
const BATCH = ORIGINALS * ROLLOUTS;

const comment: Record<Lang, string> = { python: '# r', ruby: '# r', go: '// r', javascript: '// r' };

// originals: 10-40 line functions; rollouts: half surface variants of the original
// (renamed, reformatted...), half other functions of similar size
const originals: { code: string; lang: Lang; seed: number }[] = [];
for (let i = 0; i < ORIGINALS; i++) {
  const lang = LANGS[i % 4];
  const p = genProgram(i + 1, 5 + (i % 6));
  originals.push({ code: print(p, lang), lang, seed: i + 1 });
}
const rolloutsOf = originals.map((o, i) => {
  const p = genProgram(o.seed, 5 + (i % 6));
  return Array.from({ length: ROLLOUTS }, (_, k) =>
    k % 2 === 0 ? print(p, o.lang, variant(k + 1, (['rename', 'reformat', 'comments', 'reorder'] as const)[k % 4], p)) : print(genProgram(10_000 + i * 100 + k, 4 + (k % 6)), o.lang),
  );
});
const lines = originals.map((o) => o.code.split('\n').length);
let iteration = 0;
function batch(): Pair[] {
  iteration++;
  const out: Pair[] = [];
  originals.forEach((o, i) => {
    for (const r of rolloutsOf[i]) out.push({ a: o.code, b: r + comment[o.lang] + iteration + '\n', lang: o.lang });
  });
  return out;
}

console.log(`originals: ${ORIGINALS} (${Math.min(...lines)}-${Math.max(...lines)} lines, mean ${(lines.reduce((a, b) => a + b, 0) / lines.length).toFixed(1)}), rollouts each: ${ROLLOUTS}, batch: ${BATCH} pairs, cores: ${availableParallelism()}`);

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
