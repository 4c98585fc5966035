// Cross-language CSSG on hand-written MBPP translations (assets/xlang-mbpp; the held,
// held2 and held3 splits are final checks only, never tuning sets):
//   node dist/bench/cssg-xlang-mbpp.js [--split tune|tune2|held|held2|held3[,...]] [--metrics cssg,tokens] [--off name,name] [--misses]
// For each problem i of a split and each language L in {javascript, go}:
//   same-problem S = S(python_i, L_i)            (mean over the N problems, n = N; and how
//                    many problems have S = 1 and S = 0);
//   top-1          = S(python_i, L_i) strictly above S(python_i, L_j) for every j != i
//                    (chance 1/N), the count over problems, with its 95% interval: the
//                    percentile bootstrap over problems (src/train/stats.ts, seed 0);
//   paired         = for every pair of metrics A, B: d_i = hit_A(i) - hit_B(i) on the same
//                    problems, mean and bootstrap 95% interval ("includes 0" says the two
//                    metrics are not told apart at this n).
// Several splits (comma-separated) are scored each within itself (candidates = that
// split's problems) and then pooled: the pooled rows count hits over all their problems.
// --misses prints each miss: the problem, its own S, the winning problem and its S, how
// many others reach the own S (to read why).
import { closeWorkers } from '../src/cssg/index.js';
import { loadXlangMbpp, XLANG_MBPP_SPLITS, type XlangMbppSplit } from '../src/data/xlang-mbpp.js';
import { suiteArgs } from './suite-args.js';
import { topOne } from '../src/eval/retrieval.js';
import { bootstrapMean, formatEstimate } from '../src/train/stats.js';
import { printPairedTopOne } from './paired-top1.js';

const argv = process.argv.slice(2);
const { metrics, off, opt, has } = suiteArgs(argv, ['--split', '--misses'], 'cssg,cssg-v1,wl,tokens');
for (const f of ['--tasks', '--seed']) if (has(f)) throw new Error(`${f} is for the suite benches; this set is fixed (use --split tune|tune2|held|held2|held3)`);
const splits = (opt('--split') ?? 'tune').split(',') as XlangMbppSplit[];
for (const split of splits) if (!XLANG_MBPP_SPLITS.includes(split)) throw new Error(`--split must be among ${XLANG_MBPP_SPLITS.join(', ')} (comma-separated), got '${split}'`);
if (new Set(splits).size !== splits.length) throw new Error(`--split names a split twice: ${splits.join(',')}`);
const misses = has('--misses');
const LANGS = ['javascript', 'go'] as const;

/** hits[metric][lang]: one 0/1 per problem, over the splits in order. */
const hits = new Map<string, number[]>();
const key = (metric: string, lang: string) => `${metric}|${lang}`;
const interval = (xs: number[]) => formatEstimate(bootstrapMean(xs, { seed: 0 }));

for (const split of splits) {
  const problems = loadXlangMbpp(split);
  const n = problems.length;
  console.log(`xlang-mbpp ${split}: ${n} problems (retrieval chance = ${(1 / n).toFixed(3)})${off.length ? `; off: ${off.join(', ')}` : ''}`);
  console.log('metric | lang | same-problem mean S (n) | S = 1 | S = 0 | top-1 retrieval | top-1 95% interval');
  for (const metric of metrics) {
    for (const lang of LANGS) {
      const r = await topOne(problems.map((p) => ({ python: p.python, other: p[lang] })), lang, metric, { off });
      if (misses) for (const m of r.misses) console.log(`  miss ${metric} ${lang}: ${problems[m.task].taskId} own S ${m.own.toFixed(3)}; winner ${problems[m.best].taskId} S ${m.bestS.toFixed(3)}; ${m.atLeast} others >= own`);
      const h = r.hit;
      hits.set(key(metric, lang), [...(hits.get(key(metric, lang)) ?? []), ...h]);
      const mean = r.own.reduce((a, b) => a + b, 0) / n;
      console.log(`${metric} | ${lang} | ${mean.toFixed(3)} (${n}) | ${r.own.filter((x) => x === 1).length} | ${r.own.filter((x) => x === 0).length} | ${(r.correct / n).toFixed(3)} (${r.correct}/${n}) | ${interval(h)}`);
    }
  }
}
if (splits.length > 1) {
  console.log(`pooled ${splits.join(' + ')} (each problem retrieved within its own split)`);
  console.log('metric | lang | top-1 hits | top-1 95% interval');
  for (const metric of metrics) for (const lang of LANGS) {
    const h = hits.get(key(metric, lang))!;
    console.log(`${metric} | ${lang} | ${h.reduce((a, b) => a + b, 0)}/${h.length} | ${interval(h)}`);
  }
}
printPairedTopOne(splits.join(' + '), metrics, LANGS, hits);
await closeWorkers();
