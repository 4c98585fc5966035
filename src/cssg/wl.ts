// Weisfeiler-Lehman subtree kernel on CSSG graphs: a cheap second structural metric.
// Each node starts with a hash of its category and feature bag; each round relabels a
// node by (its label, the multiset of (edge direction, edge type, neighbour label)). The feature vector is the histogram of all labels of rounds 0..H (root left
// out: every graph has one); S = <h1, h2> / sqrt(<h1, h1> <h2, h2>) (cosine), in [0, 1].
import type { Graph } from './graph.js';

export const WL_ROUNDS = 3;

/** per graph: label histogram and its squared norm (an integer) */
const cache = new WeakMap<Graph, { hist: Map<number, number>; norm: number }>();

/** FNV-1a over a string, 32-bit. Label collisions are possible but negligible here. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * WL labels of every node for rounds 0..rounds (labels[r][node]); hashes are
 * independent of the graph, so labels compare across graphs.
 */
export function wlLabels(g: Graph, rounds = WL_ROUNDS): number[][] {
  // Numeric multiset hashing (sums of mixed hashes: order-free, no sorting, no strings
  // past round 0): these labels are computed for every graph the matcher sees.
  const n = g.kinds.length;
  const labels = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (const [k, v] of g.bags[i]) acc = bagTerm(acc, hashString(k), v);
    labels[i] = nodeLabel(g.kinds[i], acc);
  }
  return wlRounds(g, labels, rounds);
}

/** Round-0 label sum: acc + the term of one feature (hash h, count v), mod 2^32 (order-free). */
export function bagTerm(acc: number, h: number, v: number): number {
  return (acc + mix(h ^ Math.imul(v, 0x27d4eb2d))) >>> 0;
}

/** Round-0 label of a node from its category and the sum of its features' terms. */
export function nodeLabel(kind: string, acc: number): number {
  return mix(hashString(kind) ^ acc);
}

/** Rounds 1..rounds from the round-0 labels (see wlLabels). */
export function wlRounds(g: Graph, label0: number[], rounds = WL_ROUNDS): number[][] {
  const n = g.kinds.length;
  let labels = label0;
  const out = [labels];
  for (let r = 1; r <= rounds; r++) {
    const agg = new Array<number>(n).fill(0);
    for (let e = 0; e < g.edges.length; e += 3) {
      const a = g.edges[e], b = g.edges[e + 1], t = g.edges[e + 2];
      agg[a] = (agg[a] + mix(labels[b] ^ Math.imul(2 * t + 1, 0x9e3779b1))) >>> 0;
      agg[b] = (agg[b] + mix(labels[a] ^ Math.imul(2 * t + 2, 0x9e3779b1))) >>> 0;
    }
    const next = new Array<number>(n);
    for (let i = 0; i < n; i++) next[i] = mix(Math.imul(labels[i], 31) ^ agg[i] ^ r);
    labels = next;
    out.push(labels);
  }
  return out;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function histogram(g: Graph): { hist: Map<number, number>; norm: number } {
  let c = cache.get(g);
  if (c) return c;
  const rounds = wlLabels(g);
  const n = g.kinds.length;
  const hist = new Map<number, number>();
  for (let r = 0; r < rounds.length; r++) {
    for (let i = 1; i < n; i++) {
      const k = (rounds[r][i] ^ Math.imul(r + 1, 0x9e3779b1)) >>> 0;
      hist.set(k, (hist.get(k) ?? 0) + 1);
    }
  }
  let norm = 0;
  for (const v of hist.values()) norm += v * v;
  c = { hist, norm };
  cache.set(g, c);
  return c;
}

export function wlSimilarity(a: Graph, b: Graph): number {
  if (a.empty || b.empty) return 0;
  const ha = histogram(a);
  const hb = histogram(b);
  if (ha.norm === 0 || hb.norm === 0) return 0;
  let dot = 0;
  const [s, l] = ha.hist.size <= hb.hist.size ? [ha.hist, hb.hist] : [hb.hist, ha.hist];
  for (const [k, v] of s) {
    const w = l.get(k);
    if (w !== undefined) dot += v * w;
  }
  // integer arithmetic up to the one square root: identical histograms give exactly 1
  return Math.min(1, dot / Math.sqrt(ha.norm * hb.norm));
}
