// Cross-language retrieval on HumanEval-X: for each Python solution, is the JavaScript
// (or Go) solution of the same problem the top-scoring one among the candidates?
//   node dist/bench/cssg-retrieval.js [N] [--candidates K] [--draws D] [--seed S] [--metrics a,b] [--off name,...]
// N: the first N problems (default all 164). Candidates: all N problems' solutions, or with
// --candidates K the own one and K - 1 others drawn at random (seeded), D draws per problem
// (default 20; the top-1 is then the mean over draws; chance 1/K); --off switches CSSG v2
// normalisations (src/cssg/options.ts, e.g. interface-gate) off. Issue 12's baseline is
// stated for 10 candidates. A check only: HumanEval is the final benchmark; never read its
// misses to choose rules.
// After the table: for every pair of metrics, the paired top-1 difference over problems
// (per-problem hit, or share of draws won) with its bootstrap 95% interval.
import { METRICS, closeWorkers, type Metric } from '../src/cssg/index.js';
import { loadHumanEvalX } from '../test/cssg/humaneval.js';
import { topOne } from '../src/eval/retrieval.js';
import { offList } from './suite-args.js';
import { printPairedTopOne } from './paired-top1.js';

const args = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}
function intOpt(name: string, dflt: number): number {
  const v = opt(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
}
const k = intOpt('--candidates', 0);
const draws = intOpt('--draws', 20);
const seed = intOpt('--seed', 1);
const metricsArg = opt('--metrics');
const metrics = (metricsArg ? metricsArg.split(',') : [...METRICS]) as Metric[];
for (const m of metrics) if (!METRICS.includes(m)) throw new Error(`unknown metric '${m}' (expected ${METRICS.join(', ')})`);
const off = offList(opt('--off'));
const unknown = args.find((a) => a.startsWith('--'));
if (unknown) throw new Error(`unknown flag '${unknown}'`);

const all = loadHumanEvalX();
if (!all) {
  console.log('HumanEval-X not found under ../shared/datasets: skipped');
  process.exit(0);
}
const n = Number(args[0]) || all.length;
const problems = all.slice(0, n);
const candidates = k ? { k, draws, seed } : undefined;
console.log(`problems: ${problems.length}; candidates: ${k ? `${k} (own + ${k - 1} drawn, ${draws} draws per problem, seed ${seed})` : `all ${problems.length}`} (chance = ${(1 / (k || problems.length)).toFixed(3)})${off.length ? `; off: ${off.join(', ')}` : ''}`);
/** Top-1 of each problem's Python against the `lang` solutions. */
async function retrieval(lang: 'javascript' | 'go', metric: Metric): Promise<{ correct: number; total: number; hit: number[] }> {
  const ps = problems.filter((p) => p[lang] !== undefined);
  const r = await topOne(ps.map((p) => ({ python: p.python, other: p[lang]! })), lang, metric, { candidates, off });
  return { correct: r.correct, total: r.n, hit: r.hit };
}
console.log('metric | python->javascript | python->go');
const hits = new Map<string, number[]>();
for (const metric of metrics) {
  const t0 = performance.now();
  const js = await retrieval('javascript', metric);
  const go = await retrieval('go', metric);
  const ms = performance.now() - t0;
  hits.set(`${metric}|javascript`, js.hit);
  hits.set(`${metric}|go`, go.hit);
  const cell = (r: { correct: number; total: number }) => `${(r.correct / r.total).toFixed(3)} (${Number.isInteger(r.correct) ? r.correct : r.correct.toFixed(1)}/${r.total})`;
  console.log(`${metric} | ${cell(js)} | ${cell(go)}   [${((2 * problems.length ** 2) / (ms / 1000)).toFixed(0)} pairs/s]`);
}
printPairedTopOne(`HumanEval-X, ${problems.length} problems`, metrics, ['javascript', 'go'], hits);
await closeWorkers();
