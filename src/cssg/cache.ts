// A small LRU of parsed graphs and token bags, keyed by language and source text.
// Rewards compare many rollouts against the same original: its graph is built once.
import { buildGraph, MAX_CHARS } from './build.js';
import { tokenBag, type TokenBag } from './tokens.js';
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
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
}

export const GRAPH_CACHE_SIZE = 4096;
const graphs = new Lru<Graph>(GRAPH_CACHE_SIZE);
const tokens = new Lru<TokenBag>(GRAPH_CACHE_SIZE);

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
  const off = version === 2 ? offKey(offSet(opts)) : '';
  const key = version + lang + off + '\u0000' + code;
  let g = graphs.get(key);
  if (!g) {
    g = buildGraph(code, lang, version, opts);
    graphs.set(key, g);
  }
  return g;
}

export function cachedTokens(code: string, lang: Lang): TokenBag {
  code = truncated(code);
  const key = lang + '\u0000' + code;
  let t = tokens.get(key);
  if (!t) {
    t = tokenBag(code, lang);
    tokens.set(key, t);
  }
  return t;
}

export function clearCaches(): void {
  graphs.clear();
  tokens.clear();
}
