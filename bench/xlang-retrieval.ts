// Python -> another language on the built-in suite, one metric: the measurement that
// bench/cssg-xlang.ts (JavaScript/Go) and bench/cssg-lang.ts (any language) both print.
//   same-task S  = S(python variant, other-language variant) of one task, every variant
//                  pair (n = pairs);
//   top-1        = S(python code of task i, its own code in the language) strictly above
//                  S(python code of task i, the code of every other task j) (chance 1/N);
//   a miss       = the task, its own S, the best other task and how many others reach own S.
import { scorePairs, type Metric, type Normalisation, type Pair } from '../src/cssg/index.js';
import type { Task } from '../src/data/tasks/index.js';
import type { Lang } from '../src/lang/parser.js';

export interface RetrievalMiss {
  task: number;
  own: number;
  best: number;
  bestS: number;
  atLeast: number;
}

export interface XlangRetrieval {
  same: number[];
  correct: number;
  n: number;
  misses: RetrievalMiss[];
}

export async function pythonTo(tasks: Task[], lang: Lang, metric: Metric, off: Normalisation[]): Promise<XlangRetrieval> {
  const same: Pair[] = [];
  for (const t of tasks) for (const a of t.variants.python!) for (const b of t.variants[lang]!) same.push({ a, b, lang: 'python', langB: lang });
  const cross: Pair[] = [];
  for (const q of tasks) for (const c of tasks) cross.push({ a: q.code.python!, b: c.code[lang]!, lang: 'python', langB: lang });
  const s = await scorePairs(same, { metric, off });
  const r = await scorePairs(cross, { metric, off });
  const n = tasks.length;
  let correct = 0;
  const misses: RetrievalMiss[] = [];
  for (let i = 0; i < n; i++) {
    const own = r[i * n + i];
    let atLeast = 0;
    let best = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (r[i * n + j] >= own) atLeast++;
      if (best < 0 || r[i * n + j] > r[i * n + best]) best = j;
    }
    if (atLeast === 0) correct++;
    else misses.push({ task: i, own, best, bestS: r[i * n + best], atLeast });
  }
  return { same: s, correct, n, misses };
}
