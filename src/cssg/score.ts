// One pair, one metric: the synchronous core shared by the main thread and workers.
import { cachedGraph, cachedTokens } from './cache.js';
import { gedCompare, type GedResult } from './ged.js';
import { wlSimilarity } from './wl.js';
import { tokenSimilarity } from './tokens.js';
import type { Lang } from '../lang/parser.js';

export type Metric = 'cssg' | 'wl' | 'tokens';
export const METRICS: readonly Metric[] = ['cssg', 'wl', 'tokens'];

export interface Pair {
  a: string;
  b: string;
  lang: Lang;
  langB?: Lang;
}

export interface Explained extends GedResult {
  metric: Metric;
  nodesA: number;
  nodesB: number;
  edgesA: number;
  edgesB: number;
  capped: boolean;
}

function safeString(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** Score one pair; never throws (a failure scores 0). */
export function scoreOne(p: Pair, metric: Metric): number {
  try {
    const a = safeString(p.a);
    const b = safeString(p.b);
    const la = p.lang;
    const lb = p.langB ?? p.lang;
    const ga = cachedGraph(a, la);
    const gb = cachedGraph(b, lb);
    // empty or non-code input scores 0 under every metric
    if (ga.empty || gb.empty) return 0;
    if (metric === 'wl') return wlSimilarity(ga, gb);
    if (metric === 'tokens') return tokenSimilarity(cachedTokens(a, la), cachedTokens(b, lb));
    return gedCompare(ga, gb).score;
  } catch {
    return 0;
  }
}

/** Score with the CSSG edit-path details (for --explain). */
export function explainOne(p: Pair, metric: Metric): Explained {
  const ga = cachedGraph(safeString(p.a), p.lang);
  const gb = cachedGraph(safeString(p.b), p.langB ?? p.lang);
  const r = gedCompare(ga, gb);
  return {
    ...r,
    score: metric === 'cssg' ? r.score : scoreOne(p, metric),
    metric,
    nodesA: ga.kinds.length - 1,
    nodesB: gb.kinds.length - 1,
    edgesA: ga.edges.length / 3,
    edgesB: gb.edges.length / 3,
    capped: ga.capped || gb.capped,
  };
}
