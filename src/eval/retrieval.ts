// Cross-language retrieval, the measurement every xlang bench prints (the suite's,
// hand-written MBPP's, HumanEval-X's): N problems, each a Python function and its one
// counterpart in another language.
//   own S_i  = S(python_i, other_i);
//   top-1    = own S_i strictly above S(python_i, other_j) for every candidate j != i
//              (ties count against); candidates: all N problems (chance 1/N), or with
//              `candidates` = { k, draws, seed } k - 1 others drawn at random (seeded),
//              `draws` times per problem, correct then the expected count (mean over draws;
//              chance 1/k);
//   hit_i    = 1 or 0 (all N), or the problem's share of draws won (candidates), so that
//              correct = sum hit_i and intervals / paired differences can be taken over
//              problems;
//   a miss   = (all-N only) the problem, its own S, the best other problem and how many
//              others reach own S.
import { scorePairs, type Metric, type Normalisation, type Pair } from '../cssg/index.js';
import type { Lang } from '../lang/parser.js';
import { Rng } from '../util/rng.js';

/** One problem: a Python function and its counterpart in the other language. */
export interface XlangItem {
  python: string;
  other: string;
}

export interface RetrievalMiss {
  task: number;
  own: number;
  best: number;
  bestS: number;
  atLeast: number;
}

export interface TopOne {
  /** S(python_i, other_i), per problem */
  own: number[];
  /** per problem: 1/0, or the share of draws in which it was the strict best */
  hit: number[];
  correct: number;
  n: number;
  misses: RetrievalMiss[];
}

export interface TopOneOptions {
  off?: Normalisation[];
  workers?: number;
  candidates?: { k: number; draws: number; seed: number };
}

export async function topOne(items: XlangItem[], lang: Lang, metric: Metric, opts: TopOneOptions = {}): Promise<TopOne> {
  const cross: Pair[] = [];
  for (const q of items) for (const c of items) cross.push({ a: q.python, b: c.other, lang: 'python', langB: lang });
  const r = await scorePairs(cross, { metric, off: opts.off ?? [], workers: opts.workers });
  const n = items.length;
  const own = items.map((_, i) => r[i * n + i]);
  const misses: RetrievalMiss[] = [];
  const hit: number[] = [];
  if (!opts.candidates) {
    for (let i = 0; i < n; i++) {
      let atLeast = 0;
      let best = -1;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        if (r[i * n + j] >= own[i]) atLeast++;
        if (best < 0 || r[i * n + j] > r[i * n + best]) best = j;
      }
      hit.push(atLeast === 0 ? 1 : 0);
      if (atLeast > 0) misses.push({ task: i, own: own[i], best, bestS: r[i * n + best], atLeast });
    }
    return { own, hit, correct: hit.reduce((a, b) => a + b, 0), n, misses };
  }
  const { k, draws, seed } = opts.candidates;
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new Error(`candidates must be an integer in [2, ${n}], got ${k}`);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    let hits = 0;
    for (let d = 0; d < draws; d++) {
      const others = [...Array(n).keys()].filter((j) => j !== i);
      for (let m = 0; m < k - 1; m++) {
        const x = m + rng.int(others.length - m);
        [others[m], others[x]] = [others[x], others[m]];
      }
      if (others.slice(0, k - 1).every((j) => r[i * n + j] < own[i])) hits++;
    }
    hit.push(hits / draws);
  }
  return { own, hit, correct: hit.reduce((a, b) => a + b, 0), n, misses };
}
