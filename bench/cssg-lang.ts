// Same-language CSSG on the built-in task suite: does S tell two implementations of one
// task apart from two different tasks, in each language? (the set the Ruby
// normalisations are tuned on, seed 1; docs/cssg.md, "Ruby"):
//   node dist/bench/cssg-lang.js [--lang ruby,python] [--tasks N] [--seed S] [--metrics cssg,cssg-v1,tokens] [--off name,name] [--low K]
// Every suite task has code in each language in two styles (an explicit loop; builtins,
// blocks, a comprehension). Per language, over the tasks of split train:
//   same-task S   = S(variant 0, variant 1) of one task (n = tasks);
//   other-task S  = S(code of task i, code of task j) for every i < j (n = N(N-1)/2);
//   AUC           = P(same-task S > other-task S) + P(equal) / 2, over all such pairs;
//   S = 0         = how many same-task pairs score 0.
// And Python -> each other language (as bench/cssg-xlang.ts does for JavaScript/Go):
//   xlang mean S  = mean over tasks of S(python variant, other-language variant), all
//                   variant pairs (n = pairs);
//   top-1         = is S(python code, its own code in the language) strictly above
//                   S(python code, every other task's code)? (chance 1/N)
// --low K prints the K lowest-scoring same-task pairs of the first metric (to read).
// --off switches CSSG v2 normalisations off by name (src/cssg/options.ts).
import { generateTasks, type Task } from '../src/data/tasks/index.js';
import { scorePairs, closeWorkers, type Pair } from '../src/cssg/index.js';
import { LANGS, type Lang } from '../src/lang/parser.js';
import { pythonTo } from './xlang-retrieval.js';
import { suiteArgs } from './suite-args.js';

const { count, seed, metrics, off, opt, int } = suiteArgs(process.argv.slice(2), ['--lang', '--low'], 'cssg,cssg-v1,tokens');
const low = int('--low', 0, 0);
const langs = (opt('--lang') ?? 'python,ruby').split(',') as Lang[];
for (const l of langs) if (!LANGS.includes(l)) throw new Error(`unknown language '${l}' (expected one of ${LANGS.join(', ')})`);

const all = [...new Set<Lang>(['python', ...langs])];
const tasks: Task[] = generateTasks({ seed, count, split: 'train', langs: all }).filter((t) => all.every((l) => t.code[l] && (t.variants[l]?.length ?? 0) >= 2));
const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / Math.max(1, x.length);
/** P(a random `pos` > a random `neg`), ties half. */
function auc(pos: number[], neg: number[]): number {
  const s = [...neg].sort((a, b) => a - b);
  let sum = 0;
  for (const p of pos) {
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (s[m] < p) lo = m + 1;
      else hi = m;
    }
    let eq = lo;
    while (eq < s.length && s[eq] === p) eq++;
    sum += lo + (eq - lo) / 2;
  }
  return sum / Math.max(1, pos.length * s.length);
}

console.log(`suite tasks: ${tasks.length} (seed ${seed}, split train)${off.length ? `; off: ${off.join(', ')}` : ''}`);
console.log('metric | lang | same-task mean S (n) | S = 0 | other-task mean S (n) | AUC');
const lows: string[] = [];
for (const metric of metrics) {
  for (const lang of langs) {
    const same: Pair[] = tasks.map((t) => ({ a: t.variants[lang]![0], b: t.variants[lang]![1], lang }));
    const other: Pair[] = [];
    for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) other.push({ a: tasks[i].code[lang]!, b: tasks[j].code[lang]!, lang });
    const s = await scorePairs(same, { metric, off });
    const o = await scorePairs(other, { metric, off });
    console.log(`${metric} | ${lang} | ${mean(s).toFixed(3)} (${s.length}) | ${s.filter((x) => x === 0).length} | ${mean(o).toFixed(3)} (${o.length}) | ${auc(s, o).toFixed(3)}`);
    if (low && metric === metrics[0]) {
      const order = s.map((_, i) => i).sort((a, b) => s[a] - s[b]).slice(0, low);
      for (const i of order) lows.push(`--- ${lang} ${tasks[i].family} S = ${s[i].toFixed(3)}\n${same[i].a}\n-- vs --\n${same[i].b}`);
    }
  }
}
const others = langs.filter((l) => l !== 'python');
if (others.length) {
  console.log('metric | python -> lang | xlang mean S (n pairs) | S = 1 | top-1 retrieval');
  for (const metric of metrics) {
    for (const lang of others) {
      const { same: s, correct, n } = await pythonTo(tasks, lang, metric, off);
      console.log(`${metric} | ${lang} | ${mean(s).toFixed(3)} (${s.length}) | ${s.filter((x) => x === 1).length} | ${(correct / n).toFixed(3)} (${correct}/${n})`);
    }
  }
}
if (lows.length) console.log('\nlowest same-task pairs (' + metrics[0] + '):\n' + lows.join('\n\n'));
await closeWorkers();
