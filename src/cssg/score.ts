// One pair, one metric: the synchronous core shared by the main thread and workers.
//
// Metric 'cssg' (version 2) post-processes the graph edit score g = 1 - GED / total
// (src/cssg/ged.ts) on v2 graphs (src/cssg/build.ts):
//   parse penalty   g' = g * max(0, 1 - PARSE_SLOPE * e),   e = max(errorFrac(a), errorFrac(b))
//                   so a snippet whose text is half error or more scores at most
//                   1 - PARSE_SLOPE / 2 = 0.2, and at e >= 1 / PARSE_SLOPE it scores 0;
//   calibration     S  = clamp((g' - FLOOR) / (1 - FLOOR), 0, 1)^CURVE
//   interface gate  S  = S * (GATE_FLOOR + (1 - GATE_FLOOR) N),  N = Dice of the entry
//                   function's name subwords (src/cssg/interface.ts; off: 'interface-gate')
// FLOOR is the edit score unrelated functions reach by sharing a function entry, a
// return and common names (measured: bench/cssg-validity.ts, docs/cssg.md). S(c, c) = 1
// (g = 1, e = 0 for code that parses; N = 1), S is symmetric (g, e and N are) and in [0, 1].
// 'cssg-v1' is the first metric unchanged (v1 graphs, raw edit score); 'wl' runs on v1
// graphs; 'tokens', 'tokens-anon' and 'difflib' are token baselines (src/cssg/tokens.ts).
import { cachedGraph, cachedTokens, cachedTokenSequence } from './cache.js';
import { gedCompare, type GedResult } from './ged.js';
import { wlSimilarity } from './wl.js';
import { tokenSimilarity, difflibSimilarity } from './tokens.js';
import type { Graph } from './graph.js';
import type { Lang } from '../lang/parser.js';
import { offSet, type CssgOptions } from './options.js';
import { interfaceMatch, gateFactor } from './interface.js';

export type Metric = 'cssg' | 'cssg-v1' | 'wl' | 'tokens' | 'tokens-anon' | 'difflib';
export const METRICS: readonly Metric[] = ['cssg', 'cssg-v1', 'wl', 'tokens', 'tokens-anon', 'difflib'];

/** Edit score of unrelated functions: mapped to 0 (see the file comment). */
export const FLOOR = 0.55;
/** Shape of the calibrated score above the floor (1: linear). */
export const CURVE = 1;
/** Parse penalty slope: e >= 0.5 caps S at 1 - PARSE_SLOPE / 2. */
export const PARSE_SLOPE = 1.6;

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
  /** v2: the larger of the two snippets' unparsed fractions */
  errorFrac: number;
}

function safeString(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** The v2 score from a raw edit score and the two graphs (parse penalty, calibration). */
export function calibrate(raw: number, ga: Graph, gb: Graph): number {
  const e = Math.max(ga.errorFrac, gb.errorFrac);
  const g = raw * Math.max(0, 1 - PARSE_SLOPE * e);
  const s = Math.min(1, Math.max(0, (g - FLOOR) / (1 - FLOOR)));
  return CURVE === 1 ? s : Math.pow(s, CURVE);
}

/**
 * Score one pair; never throws (a failure scores 0), except for options that name an
 * unknown normalisation (the caller's error). `opts` applies to 'cssg' (v2) only.
 */
export function scoreOne(p: Pair, metric: Metric, opts?: CssgOptions): number {
  const off = offSet(opts);
  try {
    const a = safeString(p.a);
    const b = safeString(p.b);
    const la = p.lang;
    const lb = p.langB ?? p.lang;
    if (metric === 'tokens' || metric === 'tokens-anon' || metric === 'difflib') {
      if (cachedGraph(a, la, 1).empty || cachedGraph(b, lb, 1).empty) return 0;
      if (metric === 'difflib') return difflibSimilarity(cachedTokenSequence(a, la), cachedTokenSequence(b, lb));
      const anon = metric === 'tokens-anon';
      return tokenSimilarity(cachedTokens(a, la, anon), cachedTokens(b, lb, anon));
    }
    const version = metric === 'cssg' ? 2 : 1;
    const ga = cachedGraph(a, la, version, opts);
    const gb = cachedGraph(b, lb, version, opts);
    // empty or non-code input scores 0 under every metric
    if (ga.empty || gb.empty) return 0;
    if (metric === 'wl') return wlSimilarity(ga, gb);
    const raw = gedCompare(ga, gb).score;
    if (metric !== 'cssg') return raw;
    const s = calibrate(raw, ga, gb);
    return off.has('interface-gate') ? s : s * gateFactor(interfaceMatch(ga, gb));
  } catch {
    return 0;
  }
}

/** Score with the CSSG edit-path details (for --explain). */
export function explainOne(p: Pair, metric: Metric, opts?: CssgOptions): Explained {
  const version = metric === 'cssg' ? 2 : 1;
  const ga = cachedGraph(safeString(p.a), p.lang, version, opts);
  const gb = cachedGraph(safeString(p.b), p.langB ?? p.lang, version, opts);
  const r = gedCompare(ga, gb);
  return {
    ...r,
    score: metric === 'cssg-v1' ? r.score : scoreOne(p, metric, opts),
    metric,
    nodesA: ga.kinds.length - 1,
    nodesB: gb.kinds.length - 1,
    edgesA: ga.edges.length / 3,
    edgesB: gb.edges.length / 3,
    capped: ga.capped || gb.capped,
    errorFrac: Math.max(ga.errorFrac, gb.errorFrac),
  };
}
