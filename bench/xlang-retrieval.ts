// Python -> another language, one metric: the measurement that bench/cssg-xlang.ts
// (JavaScript/Go, suite), bench/cssg-lang.ts (any language, suite) and
// bench/cssg-xlang-mbpp.ts (hand-written MBPP translations) print.
// The core (`topOne`) takes a plain list of problems, one Python function and its one
// counterpart in the other language each:
//   own S_i  = S(python_i, other_i);
//   top-1    = own S_i strictly above S(python_i, other_j) for every j != i (chance 1/N);
//   a miss   = the problem, its own S, the best other problem and how many others reach own S.
// `pythonTo` (suite tasks) adds the same-task S over every variant pair of a task
// (n = pairs) and runs `topOne` on each task's reference code.
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

/** One problem: a Python function and its counterpart in the other language. */
export interface XlangItem {
  python: string;
  other: string;
}

export interface TopOne {
  /** S(python_i, other_i), per problem */
  own: number[];
  correct: number;
  n: number;
  misses: RetrievalMiss[];
}

export interface XlangRetrieval {
  same: number[];
  correct: number;
  n: number;
  misses: RetrievalMiss[];
}

export async function topOne(items: XlangItem[], lang: Lang, metric: Metric, off: Normalisation[]): Promise<TopOne> {
  const cross: Pair[] = [];
  for (const q of items) for (const c of items) cross.push({ a: q.python, b: c.other, lang: 'python', langB: lang });
  const r = await scorePairs(cross, { metric, off });
  const n = items.length;
  let correct = 0;
  const own: number[] = [];
  const misses: RetrievalMiss[] = [];
  for (let i = 0; i < n; i++) {
    own.push(r[i * n + i]);
    let atLeast = 0;
    let best = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (r[i * n + j] >= own[i]) atLeast++;
      if (best < 0 || r[i * n + j] > r[i * n + best]) best = j;
    }
    if (atLeast === 0) correct++;
    else misses.push({ task: i, own: own[i], best, bestS: r[i * n + best], atLeast });
  }
  return { own, correct, n, misses };
}

export async function pythonTo(tasks: Task[], lang: Lang, metric: Metric, off: Normalisation[]): Promise<XlangRetrieval> {
  const same: Pair[] = [];
  for (const t of tasks) for (const a of t.variants.python!) for (const b of t.variants[lang]!) same.push({ a, b, lang: 'python', langB: lang });
  const s = await scorePairs(same, { metric, off });
  const { correct, n, misses } = await topOne(tasks.map((t) => ({ python: t.code.python!, other: t.code[lang]! })), lang, metric, off);
  return { same: s, correct, n, misses };
}
