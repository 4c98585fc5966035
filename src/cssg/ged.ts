// Constrained graph edit distance between two CSSG graphs, solved approximately with
// a bipartite assignment (Riesen & Bunke): each node-to-node cost includes how well
// the two nodes' incident edges (by direction, type and neighbour category) agree, the
// assignment is solved exactly (Hungarian), a local search (swaps and moves of node
// images, at most two passes) then lowers the exact cost of the induced edit path, which
// is costed exactly (nodes substituted/inserted/deleted, each typed edge kept or
// inserted/deleted). That path is a real edit path, so its cost is an upper bound on the
// true GED; the local search lowers it by about 10% on unrelated generated functions.
//
// Costs: node insertion/deletion 1; substitution = [categories differ] + 2 (1 - weighted
// Jaccard of the two feature bags), capped at 2 (never more than deleting one and
// inserting the other); edge insertion/deletion 1 (an edge is kept only when both
// endpoints map onto an edge of the same type). Constraints: the root matches only the
// root (fixed), function entries match only function entries.
//
// Normalisation: S = 1 - cost / (|N1| + |E1| + |N2| + |E2|) (root not counted). The
// denominator is the cost of the trivial path (delete all of G1, insert all of G2), so
// S is in [0, 1]; S = 1 exactly for identical graphs; S is symmetric because costs are
// symmetric and the pair is always solved in a canonical order (by graph signature).
import { assignment } from './hungarian.js';
import { signature, type Graph } from './graph.js';
import { wlLabels, hashString } from './wl.js';

export interface GedResult {
  score: number;
  cost: number;
  /** |N1| + |E1| + |N2| + |E2| */
  total: number;
  nodesMatched: number;
  nodesUnmatched: number;
  /** matched pairs whose labels agree exactly */
  nodesExact: number;
  edgesMatched: number;
  edgesUnmatched: number;
}

/** A multiset as parallel arrays sorted by key (32-bit hashes of the feature strings). */
interface Multiset {
  keys: Uint32Array;
  counts: Int32Array;
  total: number;
}

function multiset(m: Map<string, number>): Multiset {
  const entries = [...m.entries()].map(([k, v]) => [hashString(k), v] as const).sort((a, b) => a[0] - b[0]);
  const keys = new Uint32Array(entries.length);
  const counts = new Int32Array(entries.length);
  let total = 0;
  entries.forEach(([k, v], i) => {
    keys[i] = k;
    counts[i] = v;
    total += v;
  });
  return { keys, counts, total };
}

/** Sum over keys of min(count in a, count in b): a merge walk over the sorted keys. */
function minSum(a: Multiset, b: Multiset): number {
  let i = 0, j = 0, s = 0;
  const ak = a.keys, bk = b.keys;
  while (i < ak.length && j < bk.length) {
    if (ak[i] === bk[j]) {
      s += Math.min(a.counts[i++], b.counts[j++]);
    } else if (ak[i] < bk[j]) i++;
    else j++;
  }
  return s;
}

interface Prepared {
  sig: string;
  /** feature bag per node */
  bags: Multiset[];
  /** incident edges per node: "o1:if" = outgoing data edge to an `if` node, with counts */
  inc: Multiset[];
  deg: number[];
  edgeKeys: Set<number>;
  /** WL labels after 1..3 rounds: tie-breakers between equally labelled nodes */
  wl: number[][];
}

const prepared = new WeakMap<Graph, Prepared>();

function prepare(g: Graph): Prepared {
  let p = prepared.get(g);
  if (p) return p;
  const n = g.kinds.length;
  const inc: Map<string, number>[] = Array.from({ length: n }, () => new Map());
  const deg = new Array<number>(n).fill(0);
  const edgeKeys = new Set<number>();
  for (let i = 0; i < g.edges.length; i += 3) {
    const a = g.edges[i];
    const b = g.edges[i + 1];
    const t = g.edges[i + 2];
    const ko = 'o' + t + ':' + g.kinds[b];
    const ki = 'i' + t + ':' + g.kinds[a];
    inc[a].set(ko, (inc[a].get(ko) ?? 0) + 1);
    inc[b].set(ki, (inc[b].get(ki) ?? 0) + 1);
    deg[a]++;
    deg[b]++;
    edgeKeys.add(edgeKey(a, b, t));
  }
  p = { sig: signature(g), bags: g.bags.map(multiset), inc: inc.map(multiset), deg, edgeKeys, wl: wlLabels(g).slice(1) };
  prepared.set(g, p);
  return p;
}

function edgeKey(a: number, b: number, t: number): number {
  return (a * 4096 + b) * 4 + t;
}

/** Substitution cost in [0, 2]: [categories differ] + 2 (1 - weighted Jaccard), capped at delete + insert. */
function nodeSub(g1: Graph, p1: Prepared, i: number, g2: Graph, p2: Prepared, j: number): number {
  const k = g1.kinds[i] === g2.kinds[j] ? 0 : 1;
  const a = p1.bags[i], b = p2.bags[j];
  let jac = 1;
  if (a.total + b.total > 0) {
    const inter = minSum(a, b);
    jac = inter / (a.total + b.total - inter);
  }
  return Math.min(2, k + 2 * (1 - jac));
}

/** Size of the symmetric difference of two incident-edge multisets. */
function incidentDiff(a: Multiset, b: Multiset): number {
  return a.total + b.total - 2 * minSum(a, b);
}

const EMPTY: GedResult = { score: 0, cost: 0, total: 0, nodesMatched: 0, nodesUnmatched: 0, nodesExact: 0, edgesMatched: 0, edgesUnmatched: 0 };

/** Compare two graphs; see the file comment for costs and normalisation. */
export function gedCompare(ga: Graph, gb: Graph): GedResult {
  if (ga.empty || gb.empty) {
    const total = ga.kinds.length - 1 + ga.edges.length / 3 + gb.kinds.length - 1 + gb.edges.length / 3;
    return { ...EMPTY, total, cost: total, nodesUnmatched: ga.kinds.length + gb.kinds.length - 2, edgesUnmatched: (ga.edges.length + gb.edges.length) / 3 };
  }
  const pa = prepare(ga);
  const pb = prepare(gb);
  const na = ga.kinds.length - 1;
  const nb = gb.kinds.length - 1;
  const ea = ga.edges.length / 3;
  const eb = gb.edges.length / 3;
  const total = na + ea + nb + eb;
  if (pa.sig === pb.sig) {
    return { score: 1, cost: 0, total, nodesMatched: na, nodesUnmatched: 0, nodesExact: na, edgesMatched: ea, edgesUnmatched: 0 };
  }
  // Canonical order: the smaller signature is g1 (symmetry), and rows are the smaller graph.
  let g1 = ga, g2 = gb, p1 = pa, p2 = pb;
  if (pa.sig > pb.sig) [g1, g2, p1, p2] = [gb, ga, pb, pa];
  let transposed = false;
  let rowsG = g1, colsG = g2, pr = p1, pc = p2;
  if (g1.kinds.length > g2.kinds.length) {
    [rowsG, colsG, pr, pc] = [g2, g1, p2, p1];
    transposed = true;
  }
  const n = rowsG.kinds.length - 1;
  const m = colsG.kinds.length - 1;
  // Benefit matrix: w = min(0, sub - del - ins). Leaving a row on a non-negative entry
  // means "delete it"; the assignment then minimises the total edit cost of nodes plus
  // (half of) their incident edges. A tiny positional term breaks ties in source order,
  // which keeps reordered-but-equal code on the identity mapping.
  const w = new Float64Array(n * m);
  // substitution costs in g1 x g2 orientation (Infinity where forbidden), reused below
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  const subM = new Float64Array(n1 * n2).fill(Infinity);
  // whether matching row i to column j saves anything over deleting + inserting
  const gain = new Uint8Array(n * m);
  const eps = 1e-4;
  for (let i = 1; i <= n; i++) {
    const ki = rowsG.kinds[i];
    const isFuncI = ki === 'func';
    const delI = 1 + 0.5 * pr.deg[i];
    const pos = i / n;
    for (let j = 1; j <= m; j++) {
      const kj = colsG.kinds[j];
      let v = 0;
      if (isFuncI === (kj === 'func')) {
        const ns = nodeSub(rowsG, pr, i, colsG, pc, j);
        subM[transposed ? j * n2 + i : i * n2 + j] = ns;
        const sub = ns + 0.5 * incidentDiff(pr.inc[i], pc.inc[j]);
        const b = sub - delI - (1 + 0.5 * pc.deg[j]);
        if (b < 0) {
          v = b;
          gain[(i - 1) * m + (j - 1)] = 1;
        }
      }
      // ties: prefer nodes whose wider neighbourhoods agree (WL labels), then source order
      let tie = eps * Math.abs(pos - j / m);
      for (let r = 0; r < pr.wl.length; r++) if (pr.wl[r][i] !== pc.wl[r][j]) tie += 1e-3;
      w[(i - 1) * m + (j - 1)] = v + tie;
    }
  }
  const asg = assignment(w, n, m);
  // map from g1 node -> g2 node (root -> root); a row left on a non-negative entry is deleted
  const map = new Int32Array(n1).fill(-1);
  map[0] = 0;
  for (let i = 1; i <= n; i++) {
    const j = asg[i - 1] + 1;
    if (j <= 0 || !gain[(i - 1) * m + (j - 1)]) continue;
    if (transposed) map[j] = i;
    else map[i] = j;
  }
  // the local search is quadratic in nodes per pass: big graphs keep the assignment's path
  if (n1 * n2 <= MAX_IMPROVE_PRODUCT) improve(g1, g2, p2, subM, map);
  const c = editPathCost(g1, g2, map);
  const cost = c.nodeCost + c.edgeCost;
  const score = Math.min(1, Math.max(0, 1 - cost / total));
  return { score, cost, total, nodesMatched: c.matched, nodesUnmatched: n1 + n2 - 2 - 2 * c.matched, nodesExact: c.exact, edgesMatched: c.kept, edgesUnmatched: c.edgeCost };
}

/**
 * The exact cost of the edit path given by a node mapping g1 -> g2 (map[i] = -1:
 * deleted; map[0] = 0, the roots): substitutions, deletions and insertions of nodes,
 * and every typed edge kept (both ends mapped onto an edge of the same type) or
 * deleted/inserted. The mapping must respect the constraints (func <-> func only).
 */
export function editPathCost(g1: Graph, g2: Graph, map: Int32Array): { nodeCost: number; edgeCost: number; matched: number; exact: number; kept: number } {
  const p1 = prepare(g1);
  const p2 = prepare(g2);
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  let nodeCost = 0;
  let matched = 0;
  let exact = 0;
  for (let i = 1; i < n1; i++) {
    if (map[i] < 0) continue;
    const s = nodeSub(g1, p1, i, g2, p2, map[i]);
    matched++;
    if (s === 0) exact++;
    nodeCost += s;
  }
  nodeCost += n1 - 1 + n2 - 1 - 2 * matched;
  let kept = 0;
  for (let e = 0; e < g1.edges.length; e += 3) {
    const a = map[g1.edges[e]];
    const b = map[g1.edges[e + 1]];
    if (a >= 0 && b >= 0 && p2.edgeKeys.has(edgeKey(a, b, g1.edges[e + 2]))) kept++;
  }
  const edgeCost = g1.edges.length / 3 + g2.edges.length / 3 - 2 * kept;
  return { nodeCost, edgeCost, matched, exact, kept };
}

/** Local search passes over the mapping after the assignment. */
const IMPROVE_PASSES = 2;
/** Local search only when |N1| x |N2| is at most this (about 80 nodes a side). */
export const MAX_IMPROVE_PRODUCT = 6400;

/**
 * Improve the node mapping `map` (g1 -> g2, -1 = deleted) on the exact edit cost: swap
 * the images of two g1 nodes, or move a node onto a free g2 node, whenever that lowers
 * the cost (the bipartite step sees edges only locally; this sees them exactly). Each
 * accepted move strictly lowers the cost of a real edit path, so the result is still an
 * upper bound on the true distance, and a tighter one.
 */
function improve(g1: Graph, g2: Graph, p2: Prepared, subM: Float64Array, map: Int32Array): void {
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  const inc: number[][] = Array.from({ length: n1 }, () => []);
  for (let e = 0; e < g1.edges.length; e += 3) {
    inc[g1.edges[e]].push(e);
    if (g1.edges[e + 1] !== g1.edges[e]) inc[g1.edges[e + 1]].push(e);
  }
  const used = new Uint8Array(n2);
  for (let i = 0; i < n1; i++) if (map[i] >= 0) used[map[i]] = 1;
  // node cost = sum over g1 nodes of nt(i, map[i]) + (|N2| - 1): a matched pair costs its
  // substitution and takes j out of the inserted nodes (-1); a deleted i costs 1;
  // Infinity where the constraint forbids the pair
  const nt = (i: number, j: number): number => (j < 0 ? 1 : subM[i * n2 + j] - 1);
  const kept = (i: number, k: number): number => {
    let c = 0;
    for (const e of inc[i]) c += keptEdge(e);
    for (const e of inc[k]) {
      const a = g1.edges[e], b = g1.edges[e + 1];
      if (a === i || b === i) continue; // counted with i
      c += keptEdge(e);
    }
    return c;
  };
  const keptEdge = (e: number): number => {
    const a = map[g1.edges[e]];
    const b = map[g1.edges[e + 1]];
    return a >= 0 && b >= 0 && p2.edgeKeys.has(edgeKey(a, b, g1.edges[e + 2])) ? 1 : 0;
  };
  const perfect = new Uint8Array(n1);
  for (let pass = 0; pass < IMPROVE_PASSES; pass++) {
    let improved = false;
    // Nodes matched exactly with all their edges kept are left alone: for the usual
    // reward pair (a rollout close to its original) that is most of them.
    for (let i = 1; i < n1; i++) {
      perfect[i] = 0;
      if (map[i] < 0 || subM[i * n2 + map[i]] !== 0) continue;
      let all = 1;
      for (const e of inc[i]) if (!keptEdge(e)) all = 0;
      perfect[i] = all;
    }
    for (let i = 1; i < n1; i++) {
      if (perfect[i]) continue;
      for (let k = i + 1; k < n1; k++) {
        if (perfect[k]) continue;
        const a = map[i], b = map[k];
        if (a === b) continue;
        const dn = nt(i, b) + nt(k, a) - nt(i, a) - nt(k, b);
        if (!Number.isFinite(dn)) continue;
        const before = kept(i, k);
        map[i] = b;
        map[k] = a;
        const delta = dn - 2 * (kept(i, k) - before);
        if (delta < -1e-9) improved = true;
        else {
          map[i] = a;
          map[k] = b;
        }
      }
      // move i onto a free g2 node, or delete it (j = -1)
      for (let j = -1; j < n2; j++) {
        if (j === 0 || (j > 0 && used[j])) continue;
        const a = map[i];
        if (a === j) continue;
        const dn = nt(i, j) - nt(i, a);
        if (!Number.isFinite(dn)) continue;
        const before = kept(i, i);
        map[i] = j;
        const delta = dn - 2 * (kept(i, i) - before);
        if (delta < -1e-9) {
          if (j >= 0) used[j] = 1;
          if (a >= 0) used[a] = 0;
          improved = true;
        } else map[i] = a;
      }
    }
    if (!improved) break;
  }
}
