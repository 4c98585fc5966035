// Cross-language CSSG on the built-in task suite (the set the cross-language
// normalisations are tuned on; HumanEval-X stays a retrieval check only,
// bench/cssg-retrieval.ts):
//   node dist/bench/cssg-xlang.js [--tasks N] [--seed S] [--metrics cssg,tokens] [--off name,name] [--misses]
// Every suite task has python, javascript and go code in two styles (an explicit loop;
// a comprehension / builtins / a second loop form). For each other language:
//   same-task mean S  = mean over tasks of S(python variant, other-language variant),
//                       over all variant pairs (n = pairs);
//   top-1 retrieval   = for each task, is S(python code, its own code in the language)
//                       strictly above S(python code, every other task's code)?
//                       (chance 1/N; the reference code of each task, in the style it drew)
// --off switches CSSG v2 normalisations off by name (src/cssg/options.ts) for an ablation.
// --misses prints each top-1 miss: the task, its own S, the best other task and its S, and
// how many other tasks score at least the own S (the diagnosis in docs/cssg.md).
import { generateTasks, type Task } from '../src/data/tasks/index.js';
import { scorePairs, closeWorkers, METRICS, type Metric, type Normalisation, type Pair } from '../src/cssg/index.js';

const args = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}
function intOpt(name: string, dflt: number): number {
  const v = opt(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
}
const known = new Set(['--tasks', '--seed', '--metrics', '--off', '--misses']);
for (const a of args) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown flag '${a}' (expected ${[...known].join(', ')})`);
const count = intOpt('--tasks', 60);
const seed = intOpt('--seed', 1);
const metrics = (opt('--metrics') ?? 'cssg,tokens').split(',') as Metric[];
for (const m of metrics) if (!METRICS.includes(m)) throw new Error(`unknown metric '${m}' (expected one of ${METRICS.join(', ')})`);
const misses = args.includes('--misses');
const off = (opt('--off')?.split(',').filter(Boolean) ?? []) as Normalisation[];

const LANGS = ['javascript', 'go'] as const;
const tasks: Task[] = generateTasks({ seed, count, split: 'train', langs: ['python', ...LANGS] }).filter((t) => LANGS.every((l) => t.code[l] && t.variants[l]?.length) && t.code.python);
console.log(`suite tasks: ${tasks.length} (seed ${seed}, split train; retrieval chance = ${(1 / tasks.length).toFixed(3)})${off.length ? `; off: ${off.join(', ')}` : ''}`);
console.log('metric | lang | same-task mean S (n pairs) | S = 1 | top-1 retrieval');
for (const metric of metrics) {
  for (const lang of LANGS) {
    const same: Pair[] = [];
    for (const t of tasks) for (const a of t.variants.python!) for (const b of t.variants[lang]!) same.push({ a, b, lang: 'python', langB: lang });
    const cross: Pair[] = [];
    for (const q of tasks) for (const c of tasks) cross.push({ a: q.code.python!, b: c.code[lang]!, lang: 'python', langB: lang });
    const s = await scorePairs(same, { metric, off });
    const r = await scorePairs(cross, { metric, off });
    const n = tasks.length;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const own = r[i * n + i];
      let atLeast = 0;
      let win = -1;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        if (r[i * n + j] >= own) atLeast++;
        if (win < 0 || r[i * n + j] > r[i * n + win]) win = j;
      }
      if (atLeast === 0) correct++;
      else if (misses) console.log(`  miss ${metric} ${lang}: task ${i} (${tasks[i].family}) own S ${own.toFixed(3)}; best other: task ${win} (${tasks[win].family}) S ${r[i * n + win].toFixed(3)}; ${atLeast} other tasks >= own`);
    }
    const mean = s.reduce((x, y) => x + y, 0) / s.length;
    console.log(`${metric} | ${lang} | ${mean.toFixed(3)} (${s.length}) | ${s.filter((x) => x === 1).length} | ${(correct / n).toFixed(3)} (${correct}/${n})`);
  }
}
await closeWorkers();
