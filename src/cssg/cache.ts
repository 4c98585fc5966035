// A small LRU of parsed graphs, token bags and token sequences, keyed by language and source text.
// Rewards compare many rollouts against the same original: its graph is built once.
// Graphs are found by the text itself first (one LRU over texts), then by variant
// (version, language, options): a lookup hashes no new string, and an original that is
// the same string object each time has its hash kept by the engine.
//
// Admission on the second request: a text asked for once waits in a small LRU of
// PROBATION texts and moves into the main one (GRAPH_CACHE_SIZE texts) when asked for
// again. An original (asked once per reconstruction) moves at its second pair; a
// reconstruction scored once, most of them, leaves the probation LRU after PROBATION
// more new texts, so its graph dies young (the garbage collector's scavenge copies only
// what is still reachable) instead of filling the main LRU (thousands of graphs that
// every scavenge promoted and every full collection marked) and evicting the originals.
// A duplicate among the recent texts (equal reconstructions of one group) is still a hit.
import { buildGraph, MAX_CHARS } from './build.js';
import { tokenBag, leafTokens, type TokenBag } from './tokens.js';
import type { Graph } from './graph.js';
import { offSet, offKey, type CssgOptions } from './options.js';
import type { Lang } from '../lang/parser.js';

export class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly cap: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    if (this.map.size >= this.cap) this.map.delete(this.map.keys().next().value as string);
    this.map.set(k, v);
  }
  /** The value of `k`, removed (undefined when absent). */
  take(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) this.map.delete(k);
    return v;
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

/** Texts whose graphs are kept (each text: one graph per variant asked for, usually one). */
export const GRAPH_CACHE_SIZE = 4096;
/** Texts asked for once whose graphs are kept until this many newer ones were (see the file comment). */
export const PROBATION = 32;
const graphs = new Lru<Map<string, Graph>>(GRAPH_CACHE_SIZE);
const newGraphs = new Lru<Map<string, Graph>>(PROBATION);
const tokens = new Lru<TokenBag>(GRAPH_CACHE_SIZE);
const sequences = new Lru<string[]>(GRAPH_CACHE_SIZE);

/**
 * Only the first MAX_CHARS characters are ever parsed, so the cache keys on them: a
 * 200 KB input costs a 16 KB key, and two inputs equal up to the cut share one entry.
 */
export function truncated(code: string): string {
  return code.length > MAX_CHARS ? code.slice(0, MAX_CHARS) : code;
}

/** The graph of `code` (version 2, or 1 for 'cssg-v1' and 'wl'; v2 under `opts`). */
export function cachedGraph(code: string, lang: Lang, version: 1 | 2 = 2, opts?: CssgOptions): Graph {
  code = truncated(code);
  const variant = version === 2 ? lang + offKey(offSet(opts)) : lang + '/1';
  let byVariant = graphs.get(code);
  if (!byVariant) {
    byVariant = newGraphs.take(code);
    if (byVariant) graphs.set(code, byVariant);
    else newGraphs.set(code, (byVariant = new Map()));
  }
  let g = byVariant.get(variant);
  if (!g) {
    g = buildGraph(code, lang, version, opts);
    byVariant.set(variant, g);
  }
  return g;
}

/** The value under `key`, made (and kept) when absent. */
function remembered<V>(lru: Lru<V>, key: string, make: () => V): V {
  let v = lru.get(key);
  if (v === undefined) lru.set(key, (v = make()));
  return v;
}

/** The leaf-token bag of `code` (identifiers as one token when `anon`). */
export function cachedTokens(code: string, lang: Lang, anon = false): TokenBag {
  code = truncated(code);
  return remembered(tokens, lang + (anon ? '\u0001' : '\u0000') + code, () => tokenBag(code, lang, anon));
}

/** The leaf tokens of `code` in source order. */
export function cachedTokenSequence(code: string, lang: Lang): string[] {
  code = truncated(code);
  return remembered(sequences, lang + '\u0000' + code, () => leafTokens(code, lang));
}

export function clearCaches(): void {
  graphs.clear();
  newGraphs.clear();
  tokens.clear();
  sequences.clear();
}
