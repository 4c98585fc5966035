// Leakage between evaluation tasks and training data.
//
//   leakage(evalTasks, { name, items }) -> PairLeakage
//
// For one (evaluation tasks, training set) pair:
//   - code twins: evaluation tasks with a program (any language, any style variant) whose
//     skeleton (./skeleton.ts: names and constants taken out) equals the skeleton of a
//     training program in the same language, i.e. equal up to renaming and constants;
//   - description twins: evaluation tasks whose gold description (the pass@1 prompt) is
//     exactly a training document;
//   - the nearest-training-neighbour similarity of each (task, language) reference program:
//     max over training programs p of that language of tokenSimilarity(task code, p), with
//     its distribution (quantiles and a histogram).
// A held-out split must show 0 and 0 for every training set; the similarity distribution
// shows how far from training the evaluation programs are (1.0 = a twin).
import type { Lang } from '../lang/parser.js';
import { codeSkeleton, jaccard, trigrams } from './skeleton.js';
import type { Task } from './tasks/index.js';

/** One training example as the leakage check sees it: a program, and its doc if training shows one. */
export interface TrainingItem {
  code: string;
  lang: Lang;
  doc?: string;
}

export interface TrainingSet {
  name: string;
  items: TrainingItem[];
}

export interface Distribution {
  n: number;
  min: number;
  q10: number;
  q25: number;
  median: number;
  q75: number;
  q90: number;
  max: number;
  mean: number;
  /** counts of values in [0, .5), [.5, .7), [.7, .8), [.8, .9), [.9, 1), exactly 1 */
  histogram: { bin: string; count: number }[];
}

export interface Twin {
  task: string;
  kind: 'code' | 'description';
  lang?: Lang;
}

export interface PairLeakage {
  name: string;
  evalTasks: number;
  trainingItems: number;
  /** distinct training skeletons per language */
  trainingSkeletons: Partial<Record<Lang, number>>;
  codeTwins: number;
  descriptionTwins: number;
  /** every twin found (a task may appear twice: code and description) */
  twins: Twin[];
  nearest: Distribution;
}

const BINS: [string, number, number][] = [
  ['<0.5', 0, 0.5],
  ['0.5-0.7', 0.5, 0.7],
  ['0.7-0.8', 0.7, 0.8],
  ['0.8-0.9', 0.8, 0.9],
  ['0.9-1', 0.9, 1],
  ['=1', 1, Infinity],
];

/** Quantiles (nearest rank on the sorted values), mean and histogram of values in [0, 1]. */
export function distribution(values: readonly number[]): Distribution {
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] : NaN);
  return {
    n: v.length,
    min: v.length ? v[0] : NaN,
    q10: q(0.1),
    q25: q(0.25),
    median: q(0.5),
    q75: q(0.75),
    q90: q(0.9),
    max: v.length ? v[v.length - 1] : NaN,
    mean: v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN,
    histogram: BINS.map(([bin, lo, hi]) => ({ bin, count: v.filter((x) => (hi === Infinity ? x >= lo : x >= lo && x < hi)).length })),
  };
}

/** Twins and nearest-neighbour similarities of `tasks` against one training set. */
export function leakage(tasks: readonly Task[], set: TrainingSet): PairLeakage {
  // index the training programs by language: skeleton key -> trigram set (duplicates collapse)
  const byLang = new Map<Lang, Map<string, Set<string>>>();
  const docs = new Set<string>();
  for (const it of set.items) {
    if (typeof it.code !== 'string') throw new Error(`leakage: training set '${set.name}' has an item without code`);
    const sk = codeSkeleton(it.code, it.lang);
    const key = sk.join(' ');
    let m = byLang.get(it.lang);
    if (!m) byLang.set(it.lang, (m = new Map()));
    if (!m.has(key)) m.set(key, trigrams(sk));
    if (it.doc) docs.add(it.doc);
  }
  const twins: Twin[] = [];
  const nearest: number[] = [];
  let codeTwins = 0;
  let descriptionTwins = 0;
  for (const t of tasks) {
    let isCodeTwin = false;
    for (const [lang, code] of Object.entries(t.code) as [Lang, string][]) {
      const train = byLang.get(lang);
      if (!train) continue;
      const variants = t.variants[lang] ?? [code];
      const twinLang = [code, ...variants].some((c) => train.has(codeSkeleton(c, lang).join(' ')));
      if (twinLang) twins.push({ task: t.id, kind: 'code', lang });
      isCodeTwin ||= twinLang;
      const mine = trigrams(codeSkeleton(code, lang));
      let best = 0;
      for (const tri of train.values()) {
        const s = jaccard(mine, tri);
        if (s > best) best = s;
        if (best === 1) break;
      }
      nearest.push(best);
    }
    if (isCodeTwin) codeTwins++;
    if (docs.has(t.description)) {
      descriptionTwins++;
      twins.push({ task: t.id, kind: 'description' });
    }
  }
  return {
    name: set.name,
    evalTasks: tasks.length,
    trainingItems: set.items.length,
    trainingSkeletons: Object.fromEntries([...byLang].map(([l, m]) => [l, m.size])),
    codeTwins,
    descriptionTwins,
    twins,
    nearest: distribution(nearest),
  };
}

/** A few lines of text for one pair (what `batcoder data leakage` prints). */
export function formatLeakage(r: PairLeakage): string {
  const d = r.nearest;
  const f = (x: number) => x.toFixed(3);
  return [
    `${r.name}: ${r.evalTasks} evaluation tasks vs ${r.trainingItems} training programs (${Object.entries(r.trainingSkeletons)
      .map(([l, n]) => `${n} distinct ${l} skeletons`)
      .join(', ')})`,
    `  code twins (equal up to names and constants): ${r.codeTwins}/${r.evalTasks}    description twins (exact): ${r.descriptionTwins}/${r.evalTasks}`,
    `  nearest-neighbour similarity (n=${d.n} task-language programs): min ${f(d.min)}  q10 ${f(d.q10)}  q25 ${f(d.q25)}  median ${f(d.median)}  q75 ${f(d.q75)}  q90 ${f(d.q90)}  max ${f(d.max)}  mean ${f(d.mean)}`,
    `  histogram: ${d.histogram.map((h) => `${h.bin}: ${h.count}`).join('  ')}`,
    ...r.twins.slice(0, 5).map((t) => `  twin: ${t.task} (${t.kind}${t.lang ? `, ${t.lang}` : ''})`),
  ].join('\n');
}
