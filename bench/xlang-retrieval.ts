// Python -> another language on the built-in suite, one metric: the measurement that
// bench/cssg-xlang.ts (JavaScript/Go) and bench/cssg-lang.ts (any language) print.
// `pythonTo` adds the same-task S over every variant pair of a task (n = pairs) to the
// top-1 retrieval of each task's reference code (src/eval/retrieval.ts).
import { scorePairs, type Metric, type Normalisation, type Pair } from '../src/cssg/index.js';
import { topOne, type RetrievalMiss } from '../src/eval/retrieval.js';
import type { Task } from '../src/data/tasks/index.js';
import type { Lang } from '../src/lang/parser.js';

export interface XlangRetrieval {
  same: number[];
  correct: number;
  n: number;
  misses: RetrievalMiss[];
}

export async function pythonTo(tasks: Task[], lang: Lang, metric: Metric, off: Normalisation[]): Promise<XlangRetrieval> {
  const same: Pair[] = [];
  for (const t of tasks) for (const a of t.variants.python!) for (const b of t.variants[lang]!) same.push({ a, b, lang: 'python', langB: lang });
  const s = await scorePairs(same, { metric, off });
  const { correct, n, misses } = await topOne(tasks.map((t) => ({ python: t.code.python!, other: t.code[lang]! })), lang, metric, { off });
  return { same: s, correct, n, misses };
}
