// Cross-language CSSG on hand-written MBPP translations (assets/xlang-mbpp; the held split
// is a final check only, never a tuning set):
//   node dist/bench/cssg-xlang-mbpp.js [--split tune|held] [--metrics cssg,tokens] [--off name,name] [--misses]
// For each problem i of the split and each language L in {javascript, go}:
//   same-problem S = S(python_i, L_i)            (mean over the N problems, n = N; and how
//                    many problems have S = 1 and S = 0);
//   top-1          = S(python_i, L_i) strictly above S(python_i, L_j) for every j != i
//                    (chance 1/N), the count over problems.
// --misses prints each miss: the problem, its own S, the winning problem and its S, how
// many others reach the own S (to read why).
import { closeWorkers } from '../src/cssg/index.js';
import { loadXlangMbpp, XLANG_MBPP_SPLITS, type XlangMbppSplit } from '../src/data/xlang-mbpp.js';
import { suiteArgs } from './suite-args.js';
import { topOne } from '../src/eval/retrieval.js';

const argv = process.argv.slice(2);
const { metrics, off, opt, has } = suiteArgs(argv, ['--split', '--misses'], 'cssg,cssg-v1,wl,tokens');
for (const f of ['--tasks', '--seed']) if (has(f)) throw new Error(`${f} is for the suite benches; this set is fixed (use --split tune|held)`);
const split = (opt('--split') ?? 'tune') as XlangMbppSplit;
if (!XLANG_MBPP_SPLITS.includes(split)) throw new Error(`--split must be one of ${XLANG_MBPP_SPLITS.join(', ')}, got '${split}'`);
const misses = has('--misses');

const problems = loadXlangMbpp(split);
const n = problems.length;
console.log(`xlang-mbpp ${split}: ${n} problems (retrieval chance = ${(1 / n).toFixed(3)})${off.length ? `; off: ${off.join(', ')}` : ''}`);
console.log('metric | lang | same-problem mean S (n) | S = 1 | S = 0 | top-1 retrieval');
for (const metric of metrics) {
  for (const lang of ['javascript', 'go'] as const) {
    const r = await topOne(problems.map((p) => ({ python: p.python, other: p[lang] })), lang, metric, { off });
    if (misses) for (const m of r.misses) console.log(`  miss ${metric} ${lang}: ${problems[m.task].taskId} own S ${m.own.toFixed(3)}; winner ${problems[m.best].taskId} S ${m.bestS.toFixed(3)}; ${m.atLeast} others >= own`);
    const mean = r.own.reduce((a, b) => a + b, 0) / n;
    console.log(`${metric} | ${lang} | ${mean.toFixed(3)} (${n}) | ${r.own.filter((x) => x === 1).length} | ${r.own.filter((x) => x === 0).length} | ${(r.correct / n).toFixed(3)} (${r.correct}/${n})`);
  }
}
await closeWorkers();
