// Ruby probes verified by execution: does S rank code that passes a task's tests above
// code that fails them, in Ruby? (docs/cssg.md, "Ruby"; the Python counterpart is
// bench/cssg-validity.ts):
//   node dist/bench/cssg-ruby-validity.js [--tasks N] [--seed S] [--metrics cssg,cssg-v1,tokens] [--off name,name]
// For each suite task of split train (Ruby reference code):
//   rewrites = the task's other Ruby variant and the generic rewrites of src/eval/validity.ts
//              (locals renamed, `x op= y` expanded, a comparison flipped, a product
//              commuted), each kept only if the task's Ruby tests pass;
//   mutants  = one-token mutants (operator, constant, comparison, dropped statement
//              (the line becomes `nil`), swapped arguments), kept only if the tests fail.
// AUC = P(S(original, rewrite) > S(original, mutant)) + ties / 2, over all rewrite x
// mutant pairs of all tasks (pooled, as the Python bench does); also the mean S of each
// kind and the fraction of tasks whose every rewrite scores above every mutant.
import { generateTasks } from '../src/data/tasks/index.js';
import { taskChecked } from '../src/data/benchmarks.js';
import { runProgram, unavailable } from '../src/eval/languages.js';
import { mapParallel } from '../src/eval/sandbox.js';
import { rewritesOf, mutantsOf, auc } from '../src/eval/validity.js';
import { scorePairs, closeWorkers, type Pair } from '../src/cssg/index.js';
import { Rng } from '../src/util/rng.js';
import { suiteArgs } from './suite-args.js';

const { count, seed, metrics, off } = suiteArgs(process.argv.slice(2), [], 'cssg,cssg-v1,tokens');
const why = unavailable('ruby');
if (why) {
  console.log(why);
  process.exit(0);
}

interface Probe {
  code: string;
  rewrites: string[];
  mutants: { kind: string; code: string }[];
}
const tasks = generateTasks({ seed, count, split: 'train', langs: ['ruby'] }).filter((t) => t.code.ruby);
const t0 = Date.now();
const probes = await mapParallel(tasks, 2, async (t, slot, i): Promise<Probe | null> => {
  const passes = async (c: string): Promise<boolean> => (await runProgram('ruby', taskChecked(t, 'ruby', c), { timeoutMs: 5000 }, { slot })).status === 'passed';
  const code = t.code.ruby!;
  if (!(await passes(code))) return null;
  const r = new Rng(seed * 7919 + i);
  const rewrites: string[] = [];
  for (const c of [...(t.variants.ruby ?? []).filter((v) => v !== code), ...rewritesOf(code, r).map((w) => w.code)]) if (await passes(c)) rewrites.push(c);
  const mutants: { kind: string; code: string }[] = [];
  // the python mutator drops a statement as `pass`; ruby's no-op is `nil`
  for (const m of mutantsOf(code, r)) {
    const c = m.code.replace(/^(\s*)pass$/m, '$1nil');
    if (c !== code && !(await passes(c))) mutants.push({ kind: m.kind, code: c });
  }
  return { code, rewrites, mutants };
});
const sets = probes.filter((p): p is Probe => p !== null && p.rewrites.length > 0 && p.mutants.length > 0);
const nr = sets.reduce((a, s) => a + s.rewrites.length, 0);
const nm = sets.reduce((a, s) => a + s.mutants.length, 0);
console.log(`ruby probes: ${sets.length} of ${tasks.length} tasks (seed ${seed}, split train), ${nr} rewrites, ${nm} mutants (verified in ${((Date.now() - t0) / 1000).toFixed(0)} s)${off.length ? `; off: ${off.join(', ')}` : ''}`);
const kinds = [...new Set(sets.flatMap((s) => s.mutants.map((m) => m.kind)))].sort();
console.log(`metric | AUC rewrite vs mutant | rewrite mean S | mutant mean S | tasks ordered | ${kinds.map((k) => `${k} (n)`).join(' | ')}`);
const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / Math.max(1, x.length);
for (const metric of metrics) {
  const pairs: Pair[] = [];
  for (const s of sets) {
    for (const w of s.rewrites) pairs.push({ a: s.code, b: w, lang: 'ruby' });
    for (const m of s.mutants) pairs.push({ a: s.code, b: m.code, lang: 'ruby' });
  }
  const sc = await scorePairs(pairs, { metric, off });
  let k = 0;
  const pos: number[] = [];
  const neg: number[] = [];
  const byKind = new Map<string, number[]>();
  let ordered = 0;
  for (const s of sets) {
    const p = s.rewrites.map(() => sc[k++]);
    const n = s.mutants.map((m) => {
      const v = sc[k++];
      byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), v]);
      return v;
    });
    pos.push(...p);
    neg.push(...n);
    if (Math.min(...p) > Math.max(...n)) ordered++;
  }
  const kindCols = kinds.map((kd) => `${mean(byKind.get(kd) ?? []).toFixed(3)} (${byKind.get(kd)?.length ?? 0})`);
  console.log(`${metric} | ${auc(pos, neg).toFixed(3)} | ${mean(pos).toFixed(3)} | ${mean(neg).toFixed(3)} | ${ordered}/${sets.length} | ${kindCols.join(' | ')}`);
}
await closeWorkers();
