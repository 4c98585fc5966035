// CSSG: structural code similarity for BatCoder's reward. Public surface:
//   similarity(a, b, lang, { metric, langB, off })  -> number in [0, 1]
//   scorePairs(pairs, { metric, workers, off })     -> Promise<number[]> (batched, cached, threaded)
// `off` switches v2 normalisations off by name (src/cssg/options.ts; for ablations).
//   explain(a, b, lang, ...)                    -> score plus matched/unmatched counts
// Metrics: 'cssg' (constrained approximate graph edit distance on program dependence
// graphs), 'wl' (Weisfeiler-Lehman subtree kernel on the same graphs), 'tokens' (Dice
// over leaf tokens, a baseline). See README "CSSG" for the normalisation and caps.
import type { Lang } from '../lang/parser.js';
import { scoreOne, explainOne, METRICS, type Metric, type Pair, type Explained } from './score.js';
import { scoreOnWorkers, defaultWorkers, closeWorkers } from './pool.js';
import { cachedGraph } from './cache.js';
import { offSet, type CssgOptions, type Normalisation } from './options.js';

export type { Metric, Pair, Explained, CssgOptions, Normalisation };
export { NORMALISATIONS } from './options.js';
export { METRICS, closeWorkers, cachedGraph as graphOf };
export { buildGraph, MAX_NODES, MAX_CHARS } from './build.js';
export type { Graph } from './graph.js';

/** Batches at least this large go to worker threads (smaller ones are cheaper inline). */
export const WORKER_THRESHOLD = 256;

export function similarity(a: string, b: string, lang: Lang, opts: { metric?: Metric; langB?: Lang } & CssgOptions = {}): number {
  return scoreOne({ a, b, lang, langB: opts.langB }, opts.metric ?? 'cssg', opts);
}

export function explain(a: string, b: string, lang: Lang, opts: { metric?: Metric; langB?: Lang } & CssgOptions = {}): Explained {
  return explainOne({ a, b, lang, langB: opts.langB }, opts.metric ?? 'cssg', opts);
}

/**
 * Score many pairs. Graphs of repeated originals are built once (per thread). With
 * `workers` > 1 (default: the machine's parallelism) and a batch of at least
 * WORKER_THRESHOLD pairs, the batch is split over worker threads.
 */
export async function scorePairs(pairs: Pair[], opts: { metric?: Metric; workers?: number } & CssgOptions = {}): Promise<number[]> {
  const metric = opts.metric ?? 'cssg';
  const workers = opts.workers ?? defaultWorkers();
  const canon: CssgOptions = { off: opts.off };
  offSet(canon); // an unknown normalisation name is an error here, not in a worker
  if (workers > 1 && pairs.length >= WORKER_THRESHOLD) {
    try {
      return Array.from(await scoreOnWorkers(pairs, metric, workers, canon));
    } catch {
      // a worker died (out of memory, killed): fall back to this thread
    }
  }
  return pairs.map((p) => scoreOne(p, metric, canon));
}
