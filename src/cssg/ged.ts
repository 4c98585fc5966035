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
import { compareSignatures, type Graph } from './graph.js';
import { wlRounds, bagTerm, nodeLabel, hashString } from './wl.js';

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

/**
 * One multiset per node of a graph, all in one flat layout: node i's entries are
 * keys[start[i] .. start[i + 1]) (32-bit hashes of the feature strings, ascending;
 * entries with equal hashes (a collision) stay apart, in their order) with their
 * counts, and total[i] = the sum of its counts. One allocation per graph, not two
 * typed arrays per node.
 */
interface Multisets {
  keys: Uint32Array;
  counts: Int32Array;
  start: Int32Array;
  total: Int32Array;
}

/** Sort node i's entries [from, to) by key: an insertion sort (bags are small), stable. */
function sortRun(keys: Uint32Array, counts: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const h = keys[i], c = counts[i];
    let j = i;
    while (j > from && keys[j - 1] > h) {
      keys[j] = keys[j - 1];
      counts[j] = counts[j - 1];
      j--;
    }
    keys[j] = h;
    counts[j] = c;
  }
}

/** The feature bags of `g` as Multisets, hashed once (also the input of the WL labels). */
function bagMultisets(g: Graph): Multisets {
  const n = g.kinds.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + g.bags[i].size;
  const keys = new Uint32Array(start[n]);
  const counts = new Int32Array(start[n]);
  const total = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let at = start[i];
    let sum = 0;
    g.bags[i].forEach((v, k) => {
      keys[at] = hashString(k);
      counts[at++] = v;
      sum += v;
    });
    total[i] = sum;
    sortRun(keys, counts, start[i], at);
  }
  return { keys, counts, start, total };
}

/**
 * The incident edges of every node as Multisets of keys hashString('o' + type + ':' +
 * kind of the other end) (outgoing) and 'i' + ... (incoming), merged as they come (the
 * 120 possible keys have distinct hashes), then sorted. Node i has at most deg[i]
 * distinct keys: its run is reserved at that size and `start` then closes the gaps.
 */
function incidentMultisets(g: Graph, deg: Int32Array): Multisets {
  const n = g.kinds.length;
  const room = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) room[i + 1] = room[i] + deg[i];
  const rawKeys = new Uint32Array(room[n]);
  const rawCounts = new Int32Array(room[n]);
  const used = new Int32Array(n);
  const add = (x: number, h: number) => {
    const from = room[x], to = from + used[x];
    for (let k = from; k < to; k++) {
      if (rawKeys[k] === h) {
        rawCounts[k]++;
        return;
      }
    }
    rawKeys[to] = h;
    rawCounts[to] = 1;
    used[x]++;
  };
  for (let e = 0; e < g.edges.length; e += 3) {
    const a = g.edges[e];
    const b = g.edges[e + 1];
    const t = g.edges[e + 2];
    add(a, incHash(0, t, g.kinds[b]));
    add(b, incHash(1, t, g.kinds[a]));
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + used[i];
  const keys = new Uint32Array(start[n]);
  const counts = new Int32Array(start[n]);
  const total = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < used[i]; k++) {
      keys[start[i] + k] = rawKeys[room[i] + k];
      counts[start[i] + k] = rawCounts[room[i] + k];
      sum += rawCounts[room[i] + k];
    }
    total[i] = sum;
    sortRun(keys, counts, start[i], start[i + 1]);
  }
  return { keys, counts, start, total };
}

/** Sum over keys of min(count in a's node i, count in b's node j): a merge walk over the sorted keys. */
function minSum(a: Multisets, i: number, b: Multisets, j: number): number {
  let x = a.start[i], y = b.start[j], s = 0;
  const xe = a.start[i + 1], ye = b.start[j + 1];
  const ak = a.keys, bk = b.keys;
  while (x < xe && y < ye) {
    if (ak[x] === bk[y]) {
      s += Math.min(a.counts[x++], b.counts[y++]);
    } else if (ak[x] < bk[y]) x++;
    else y++;
  }
  return s;
}

/**
 * What the matcher needs of a graph beyond how its signature compares (which decides
 * identical pairs and the canonical order: graph.ts compareSignatures), computed once
 * per graph, when it first meets a graph with another signature.
 */
interface Features {
  /** feature bag per node */
  bags: Multisets;
  /** incident edges per node: "o1:if" = outgoing data edge to an `if` node, with counts */
  inc: Multisets;
  deg: Int32Array;
  /** WL labels after 1..3 rounds, round-major: wl[(r - 1) * n + node]; tie-breakers between equally labelled nodes */
  wl: Uint32Array;
}

const prepared = new WeakMap<Graph, Features>();

/** hashString('o' + t + ':' + kind) and ('i' + ...), memoised per kind: [o0, o1, o2, i0, i1, i2]. */
const incHashes = new Map<string, number[]>();
function incHash(dir: 0 | 1, t: number, kind: string): number {
  let hs = incHashes.get(kind);
  if (!hs) {
    hs = [];
    for (const d of ['o', 'i']) for (let ty = 0; ty < 3; ty++) hs.push(hashString(d + ty + ':' + kind));
    incHashes.set(kind, hs);
  }
  return hs[dir * 3 + t];
}

function features(g: Graph): Features {
  const known = prepared.get(g);
  if (known) return known;
  const n = g.kinds.length;
  const deg = new Int32Array(n);
  for (let e = 0; e < g.edges.length; e += 3) {
    deg[g.edges[e]]++;
    deg[g.edges[e + 1]]++;
  }
  // feature bags hashed once: for the multisets and for the WL labels (wl.ts's round 0)
  const bags = bagMultisets(g);
  const label0 = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = bags.start[i]; k < bags.start[i + 1]; k++) acc = bagTerm(acc, bags.keys[k], bags.counts[k]);
    label0[i] = nodeLabel(g.kinds[i], acc);
  }
  const labels = wlRounds(g, label0);
  const wl = new Uint32Array((labels.length - 1) * n);
  for (let r = 1; r < labels.length; r++) wl.set(labels[r], (r - 1) * n);
  const f: Features = { bags, inc: incidentMultisets(g, deg), deg, wl };
  prepared.set(g, f);
  return f;
}

/** Grow-only scratch arrays for one comparison at a time (fewer allocations per pair). */
const buffers = {
  f: [new Float64Array(0), new Float64Array(0)],
  b: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
  f64(k: 0 | 1, n: number): Float64Array {
    if (this.f[k].length < n) this.f[k] = new Float64Array(Math.max(n, 2 * this.f[k].length));
    return this.f[k];
  },
  u8(k: 0 | 1 | 2, n: number): Uint8Array {
    if (this.b[k].length < n) this.b[k] = new Uint8Array(Math.max(n, 2 * this.b[k].length));
    return this.b[k];
  },
};

/**
 * The typed edges of `g` as a dense n x n table of type bits (bit t set: an edge a -> b
 * of type t), in a scratch buffer reused across comparisons: edge lookups in the
 * matcher's inner loops are one array read.
 */
function adjacency(g: Graph): Uint8Array {
  const n = g.kinds.length;
  const adj = buffers.u8(1, n * n).fill(0, 0, n * n);
  for (let i = 0; i < g.edges.length; i += 3) adj[g.edges[i] * n + g.edges[i + 1]] |= 1 << g.edges[i + 2];
  return adj;
}

/** Substitution cost in [0, 2]: [categories differ] + 2 (1 - weighted Jaccard), capped at delete + insert. */
function nodeSub(g1: Graph, p1: Features, i: number, g2: Graph, p2: Features, j: number): number {
  const k = g1.kinds[i] === g2.kinds[j] ? 0 : 1;
  const a = p1.bags, b = p2.bags;
  let jac = 1;
  const sum = a.total[i] + b.total[j];
  if (sum > 0) {
    const inter = minSum(a, i, b, j);
    jac = inter / (sum - inter);
  }
  return Math.min(2, k + 2 * (1 - jac));
}

/** Size of the symmetric difference of the incident-edge multisets of a's node i and b's node j. */
function incidentDiff(a: Multisets, i: number, b: Multisets, j: number): number {
  return a.total[i] + b.total[j] - 2 * minSum(a, i, b, j);
}

const EMPTY: GedResult = { score: 0, cost: 0, total: 0, nodesMatched: 0, nodesUnmatched: 0, nodesExact: 0, edgesMatched: 0, edgesUnmatched: 0 };

/** Compare two graphs; see the file comment for costs and normalisation. */
export function gedCompare(ga: Graph, gb: Graph): GedResult {
  if (ga.empty || gb.empty) {
    const total = ga.kinds.length - 1 + ga.edges.length / 3 + gb.kinds.length - 1 + gb.edges.length / 3;
    return { ...EMPTY, total, cost: total, nodesUnmatched: ga.kinds.length + gb.kinds.length - 2, edgesUnmatched: (ga.edges.length + gb.edges.length) / 3 };
  }
  const na = ga.kinds.length - 1;
  const nb = gb.kinds.length - 1;
  const ea = ga.edges.length / 3;
  const eb = gb.edges.length / 3;
  const total = na + ea + nb + eb;
  const order = compareSignatures(ga, gb);
  if (order === 0) {
    return { score: 1, cost: 0, total, nodesMatched: na, nodesUnmatched: 0, nodesExact: na, edgesMatched: ea, edgesUnmatched: 0 };
  }
  // Canonical order: the smaller signature is g1 (symmetry), and rows are the smaller graph.
  let g1 = ga, g2 = gb;
  if (order > 0) [g1, g2] = [gb, ga];
  const p1 = features(g1), p2 = features(g2);
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
  // (w, subM, gain and g2's adjacency live in buffers reused across comparisons: every entry read is written first)
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  const w = buffers.f64(0, n * m);
  // substitution costs in g1 x g2 orientation (Infinity where forbidden), reused below
  const subM = buffers.f64(1, n1 * n2).fill(Infinity, 0, n1 * n2);
  // whether matching row i to column j saves anything over deleting + inserting
  const gain = buffers.u8(0, n * m).fill(0, 0, n * m);
  const eps = 1e-4;
  const nr = n + 1, nc = m + 1;
  const rounds = pr.wl.length / nr;
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
        const sub = ns + 0.5 * incidentDiff(pr.inc, i, pc.inc, j);
        const b = sub - delI - (1 + 0.5 * pc.deg[j]);
        if (b < 0) {
          v = b;
          gain[(i - 1) * m + (j - 1)] = 1;
        }
      }
      // ties: prefer nodes whose wider neighbourhoods agree (WL labels), then source order
      let tie = eps * Math.abs(pos - j / m);
      for (let r = 0; r < rounds; r++) if (pr.wl[r * nr + i] !== pc.wl[r * nc + j]) tie += 1e-3;
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
  const adj = adjacency(g2);
  if (n1 * n2 <= MAX_IMPROVE_PRODUCT) improve(g1, g2, adj, subM, map);
  const c = pathCost(g1, g2, map, adj);
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
  return pathCost(g1, g2, map, adjacency(g2));
}

/** editPathCost with g2's edges given as its adjacency table (see adjacency). */
function pathCost(g1: Graph, g2: Graph, map: Int32Array, adj2: Uint8Array): { nodeCost: number; edgeCost: number; matched: number; exact: number; kept: number } {
  const p1 = features(g1);
  const p2 = features(g2);
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
    if (a >= 0 && b >= 0 && (adj2[a * n2 + b] >> g1.edges[e + 2]) & 1) kept++;
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
 *
 * A move changes the cost by delta = dn - 2 (kept after - kept before), dn the change
 * of node costs, so a move with dn - 2 (bound - kept before) >= 0, for any upper bound
 * on "kept after", cannot be accepted and is not tried. Two bounds, the smaller taken:
 *   touched  the edges the move touches: for a swap of i and k, D(i) + D(k) - D(i, k),
 *            with D(x) the edges incident to x and D(i, k) those between i and k;
 *   cap      C(i, b) + C(k, a) for a swap (i onto b = map[k], k onto a = map[i]), C(i, j)
 *            for a move, where C(x, y) = sum over the six (direction, type) classes of
 *            min(x's g1 edges of that class, y's g2 edges of that class): an edge at x
 *            kept with x mapped onto y is an edge of y of its class, and distinct kept
 *            edges are distinct edges of y (the mapping is injective; a self-loop counts
 *            in both directions on both sides). This needs g1's edges distinct (the
 *            builder's are): with a repeated triple, both copies are kept by one edge of
 *            y, so the cap is not used (touched alone, still a bound).
 * On unrelated functions touched prunes ~2% of the swaps tried, the cap ~55%.
 * kept before = K(i) + K(k) - K(i, k), K(x) the edges at x kept under the current
 * mapping (kept up to date as moves are accepted) and K(i, k) those between i and k:
 * where there are none (most pairs) the test costs no edge walk.
 * `adj2`: g2's adjacency table (n2 x n2 type bits); subM: substitution costs n1 x n2.
 */
function improve(g1: Graph, g2: Graph, adj2: Uint8Array, subM: Float64Array, map: Int32Array): void {
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  const ne = g1.edges.length / 3;
  const from = new Int32Array(ne), to = new Int32Array(ne), type = new Int32Array(ne);
  // incident edges of each g1 node (a self-loop once), as offsets into incList; the
  // types of the edges a -> b as bits of between[a * n1 + b] (nonzero either way round:
  // an edge joins a and b); whether a triple repeats (then no cap, see above)
  const incStart = new Int32Array(n1 + 1);
  const between = buffers.u8(2, n1 * n1).fill(0, 0, n1 * n1);
  let repeated = false;
  for (let e = 0; e < ne; e++) {
    from[e] = g1.edges[3 * e];
    to[e] = g1.edges[3 * e + 1];
    type[e] = g1.edges[3 * e + 2];
    incStart[from[e] + 1]++;
    if (to[e] !== from[e]) incStart[to[e] + 1]++;
    const at = from[e] * n1 + to[e];
    if ((between[at] >> type[e]) & 1) repeated = true;
    between[at] |= 1 << type[e];
  }
  // edges per (direction, type) class of each node: g1's in cls1[x * 6 + c], g2's in
  // cls2[y * 6 + c], c = type (outgoing) or 3 + type (incoming)
  const cls1 = new Int32Array(n1 * 6);
  for (let e = 0; e < ne; e++) {
    cls1[from[e] * 6 + type[e]]++;
    cls1[to[e] * 6 + 3 + type[e]]++;
  }
  const cls2 = new Int32Array(n2 * 6);
  for (let e = 0; e < g2.edges.length; e += 3) {
    cls2[g2.edges[e] * 6 + g2.edges[e + 2]]++;
    cls2[g2.edges[e + 1] * 6 + 3 + g2.edges[e + 2]]++;
  }
  // C(x, y) of the file comment (0 for y = -1, deleted: nothing kept); no cap: Infinity
  const cap = (x: number, y: number): number => {
    if (repeated) return Infinity;
    if (y < 0) return 0;
    let c = 0;
    for (let q = 0; q < 6; q++) c += Math.min(cls1[x * 6 + q], cls2[y * 6 + q]);
    return c;
  };
  for (let i = 0; i < n1; i++) incStart[i + 1] += incStart[i];
  const incList = new Int32Array(incStart[n1]);
  const fillAt = incStart.slice(0, n1);
  for (let e = 0; e < ne; e++) {
    incList[fillAt[from[e]]++] = e;
    if (to[e] !== from[e]) incList[fillAt[to[e]]++] = e;
  }
  const used = new Uint8Array(n2);
  for (let i = 0; i < n1; i++) if (map[i] >= 0) used[map[i]] = 1;
  // node cost = sum over g1 nodes of nt(i, map[i]) + (|N2| - 1): a matched pair costs its
  // substitution and takes j out of the inserted nodes (-1); a deleted i costs 1;
  // Infinity where the constraint forbids the pair
  const nt = (i: number, j: number): number => (j < 0 ? 1 : subM[i * n2 + j] - 1);
  const keptEdge = (e: number): number => {
    const a = map[from[e]];
    const b = map[to[e]];
    return a >= 0 && b >= 0 ? (adj2[a * n2 + b] >> type[e]) & 1 : 0;
  };
  // edges of i, then edges of k not touching i: kept ones (and, in `touched`, how many)
  let touched = 0;
  const kept = (i: number, k: number): number => {
    let c = 0;
    const ie = incStart[i + 1];
    for (let x = incStart[i]; x < ie; x++) c += keptEdge(incList[x]);
    let t = ie - incStart[i];
    if (k !== i) {
      const ke = incStart[k + 1];
      for (let x = incStart[k]; x < ke; x++) {
        const e = incList[x];
        if (from[e] === i || to[e] === i) continue; // counted with i
        c += keptEdge(e);
        t++;
      }
    }
    touched = t;
    return c;
  };
  // K(x): kept edges incident to x under the current mapping
  const keptAt = new Int32Array(n1);
  const recount = (x: number): void => {
    let c = 0;
    for (let y = incStart[x]; y < incStart[x + 1]; y++) c += keptEdge(incList[y]);
    keptAt[x] = c;
  };
  for (let x = 0; x < n1; x++) recount(x);
  // after an accepted move of i (and k): only edges at i and k changed, so only the
  // counts of i, k and their neighbours
  const moved = (i: number, k: number): void => {
    for (const x of k === i ? [i] : [i, k]) {
      for (let y = incStart[x]; y < incStart[x + 1]; y++) {
        const e = incList[y];
        recount(from[e]);
        recount(to[e]);
      }
      recount(x);
    }
  };
  const perfect = new Uint8Array(n1);
  for (let pass = 0; pass < IMPROVE_PASSES; pass++) {
    let improved = false;
    // Nodes matched exactly with all their edges kept are left alone: for the usual
    // reward pair (a rollout close to its original) that is most of them; when all are,
    // no move is tried and the pass ends here.
    let open = 0;
    for (let i = 1; i < n1; i++) {
      perfect[i] = map[i] >= 0 && subM[i * n2 + map[i]] === 0 && keptAt[i] === incStart[i + 1] - incStart[i] ? 1 : 0;
      if (!perfect[i]) open++;
    }
    if (open === 0) break;
    for (let i = 1; i < n1; i++) {
      if (perfect[i]) continue;
      for (let k = i + 1; k < n1; k++) {
        if (perfect[k]) continue;
        const a = map[i], b = map[k];
        if (a === b) continue;
        const dn = nt(i, b) + nt(k, a) - nt(i, a) - nt(k, b);
        if (!Number.isFinite(dn)) continue;
        let before: number;
        if (between[i * n1 + k] | between[k * n1 + i]) before = kept(i, k);
        else {
          before = keptAt[i] + keptAt[k];
          touched = incStart[i + 1] - incStart[i] + incStart[k + 1] - incStart[k];
        }
        if (dn - 2 * (touched - before) >= -1e-9) continue; // cannot win
        if (dn - 2 * (cap(i, b) + cap(k, a) - before) >= -1e-9) continue; // cannot win either
        map[i] = b;
        map[k] = a;
        const delta = dn - 2 * (kept(i, k) - before);
        if (delta < -1e-9) {
          improved = true;
          moved(i, k);
        } else {
          map[i] = a;
          map[k] = b;
        }
      }
      // move i onto a free g2 node, or delete it (j = -1)
      let before = keptAt[i];
      let room = incStart[i + 1] - incStart[i] - before;
      for (let j = -1; j < n2; j++) {
        if (j === 0 || (j > 0 && used[j])) continue;
        const a = map[i];
        if (a === j) continue;
        const dn = nt(i, j) - nt(i, a);
        if (!Number.isFinite(dn)) continue;
        if (dn - 2 * room >= -1e-9) continue; // cannot win
        if (dn - 2 * (cap(i, j) - before) >= -1e-9) continue; // cannot win either
        map[i] = j;
        const after = kept(i, i);
        const delta = dn - 2 * (after - before);
        if (delta < -1e-9) {
          if (j >= 0) used[j] = 1;
          if (a >= 0) used[a] = 0;
          improved = true;
          moved(i, i);
          before = after;
          room = touched - before;
        } else map[i] = a;
      }
    }
    if (!improved) break;
  }
}
