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
import { closeWorkers } from '../src/cssg/index.js';
import { suiteArgs } from './suite-args.js';
import { pythonTo } from './xlang-retrieval.js';

const { count, seed, metrics, off, has } = suiteArgs(process.argv.slice(2), ['--misses'], 'cssg,tokens');
const misses = has('--misses');

const LANGS = ['javascript', 'go'] as const;
const tasks: Task[] = generateTasks({ seed, count, split: 'train', langs: ['python', ...LANGS] }).filter((t) => LANGS.every((l) => t.code[l] && t.variants[l]?.length) && t.code.python);
console.log(`suite tasks: ${tasks.length} (seed ${seed}, split train; retrieval chance = ${(1 / tasks.length).toFixed(3)})${off.length ? `; off: ${off.join(', ')}` : ''}`);
console.log('metric | lang | same-task mean S (n pairs) | S = 1 | top-1 retrieval');
for (const metric of metrics) {
  for (const lang of LANGS) {
    const { same: s, correct, n, misses: missed } = await pythonTo(tasks, lang, metric, off);
    if (misses) for (const m of missed) console.log(`  miss ${metric} ${lang}: task ${m.task} (${tasks[m.task].family}) own S ${m.own.toFixed(3)}; best other: task ${m.best} (${tasks[m.best].family}) S ${m.bestS.toFixed(3)}; ${m.atLeast} other tasks >= own`);
    const mean = s.reduce((x, y) => x + y, 0) / s.length;
    console.log(`${metric} | ${lang} | ${mean.toFixed(3)} (${s.length}) | ${s.filter((x) => x === 1).length} | ${(correct / n).toFixed(3)} (${correct}/${n})`);
  }
}
await closeWorkers();
