// The structure graph CSSG compares: one program dependence graph per function, joined
// under a global root. Nodes carry a semantic category (`kind`) and a bag of normalised
// features (operators, library names, literal types, operand roles); edges are typed.

export const CTRL = 0; // control dependence (predicate -> statement, entry -> statement, root -> entry)
export const DATA = 1; // data dependence (reaching definition -> use)
export const CALL = 2; // call site -> entry of a function defined in the snippet
export type EdgeType = typeof CTRL | typeof DATA | typeof CALL;
export const EDGE_NAMES = ['ctrl', 'data', 'call'] as const;

/** Node categories. 'root' and 'func' are constrained: they match only their own kind. */
export type Kind =
  | 'root' | 'func' | 'param' | 'assign' | 'aug' | 'expr' | 'return' | 'if' | 'loop' | 'break' | 'continue'
  | 'throw' | 'try' | 'catch' | 'switch' | 'case' | 'closure' | 'with' | 'assert' | 'yield';

export interface Graph {
  /** node 0 is the root */
  kinds: Kind[];
  /** feature -> count, per node */
  bags: Map<string, number>[];
  /** edges as flat triples: from, to, type */
  edges: number[];
  /** node ids of function entries */
  funcs: number[];
  /** true when the snippet produced no statements (empty, prose, unparseable): it scores 0 */
  empty: boolean;
  /** true when the node cap cut the graph short */
  capped: boolean;
  /**
   * Fraction of the text that did not parse, in [0, 1]: (characters inside ERROR nodes
   * + MISSING_CHARS per token tree-sitter had to invent) / non-blank characters.
   */
  errorFrac: number;
  /**
   * v2: the entry function's name as lower-cased subwords, for the interface gate
   * (src/cssg/interface.ts); absent when the snippet has no entry function.
   */
  entry?: string[];
}

/** A token tree-sitter had to invent (a missing `)`) costs like this many bad characters. */
export const MISSING_CHARS = 10;

export function nodeCount(g: Graph): number {
  return g.kinds.length;
}

export function edgeCount(g: Graph): number {
  return g.edges.length / 3;
}

/**
 * A canonical text of the graph as built (node order = source order). Two graphs with
 * equal signatures are identical, so S = 1 without matching; the signature also fixes
 * the argument order of the (otherwise order-sensitive) approximate matcher, which is
 * what makes the score exactly symmetric.
 *
 * signature = part(0) part(1) ... part(n - 1) edgeText, where part(i) = [';' if i > 0]
 * kind{key=count,...} (keys in code-unit order) and edgeText = '|' + the sorted edge texts
 * "from>to:type", ','-joined. The matcher only needs how two signatures compare
 * (compareSignatures), which the first differing part usually decides: most graphs
 * never have their whole signature built.
 */
export function signature(g: Graph): string {
  let s = '';
  for (let i = 0; i < g.kinds.length; i++) s += signaturePart(g, i);
  return s + edgeText(g);
}

/** Node i's part of the signature (see signature). */
function signaturePart(g: Graph, i: number): string {
  // built by concatenation (hot: once per node of every graph compared)
  const bag = g.bags[i];
  let part = (i ? ';' : '') + g.kinds[i] + '{';
  if (bag.size === 1) for (const [k, v] of bag) part += k + '=' + v;
  else if (bag.size > 1) {
    // a bag has a few keys, all distinct: an insertion sort by `<` (code-unit order,
    // what the default sort uses) gives the same order without the sort's work array
    const keys: string[] = [];
    for (const key of bag.keys()) {
      let j = keys.length;
      keys.push(key);
      while (j > 0 && keys[j - 1] > key) {
        keys[j] = keys[j - 1];
        j--;
      }
      keys[j] = key;
    }
    for (let k = 0; k < keys.length; k++) part += (k ? ',' : '') + keys[k] + '=' + bag.get(keys[k]);
  }
  return part + '}';
}

/** The signature's edge section: '|' and the sorted edge texts (see signature). */
function edgeText(g: Graph): string {
  const e = new Array<string>(g.edges.length / 3);
  for (let i = 0; i < g.edges.length; i += 3) e[i / 3] = g.edges[i] + '>' + g.edges[i + 1] + ':' + g.edges[i + 2];
  e.sort();
  return '|' + e.join(',');
}

/** Parts of a graph's signature built so far (a graph compared often builds each once). */
const partsOf = new WeakMap<Graph, { parts: string[]; edges?: string }>();

function builtParts(g: Graph): { parts: string[]; edges?: string } {
  let c = partsOf.get(g);
  if (!c) partsOf.set(g, (c = { parts: [] }));
  return c;
}

function partOf(g: Graph, i: number): string {
  return (builtParts(g).parts[i] ??= signaturePart(g, i));
}

function edgeTextOf(g: Graph): string {
  return (builtParts(g).edges ??= edgeText(g));
}

/** The signature from part i on (parts i.., then the edge section). */
function signatureFrom(g: Graph, i: number): string {
  let s = '';
  for (let k = i; k < g.kinds.length; k++) s += partOf(g, k);
  return s + edgeTextOf(g);
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Whether a and b have the same kinds, the same bags and the same edge triples in the
 * same order: then their signatures are equal (the signature is made of exactly these),
 * found without building them. (Equal signatures with edges listed in another order
 * answer false here; compareSignatures then compares the texts.)
 */
function sameAsBuilt(a: Graph, b: Graph): boolean {
  const n = a.kinds.length;
  if (n !== b.kinds.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < n; i++) {
    if (a.kinds[i] !== b.kinds[i]) return false;
    const x = a.bags[i], y = b.bags[i];
    if (x.size !== y.size) return false;
    for (const [k, v] of x) if (y.get(k) !== v) return false;
  }
  const ea = a.edges, eb = b.edges;
  for (let e = 0; e < ea.length; e++) if (ea[e] !== eb[e]) return false;
  return true;
}

/**
 * How signature(a) compares with signature(b), in code-unit order as `<` compares
 * strings: negative, 0 (identical graphs) or positive. Graphs the same as built (a
 * reconstruction equal to its original up to names, layout and comments: half of the
 * throughput bench's pairs) are 0 without any text; otherwise parts are compared in
 * turn: after equal parts, the first position where two parts differ decides; where one
 * part is a prefix of the other, the rest of both signatures from that part on.
 */
export function compareSignatures(a: Graph, b: Graph): number {
  if (sameAsBuilt(a, b)) return 0;
  const n = Math.min(a.kinds.length, b.kinds.length);
  for (let i = 0; i < n; i++) {
    const p = partOf(a, i);
    const q = partOf(b, i);
    if (p === q) continue;
    const m = Math.min(p.length, q.length);
    for (let k = 0; k < m; k++) {
      const d = p.charCodeAt(k) - q.charCodeAt(k);
      if (d !== 0) return d;
    }
    return compareText(signatureFrom(a, i), signatureFrom(b, i));
  }
  if (a.kinds.length !== b.kinds.length) return compareText(signatureFrom(a, n), signatureFrom(b, n));
  return compareText(edgeTextOf(a), edgeTextOf(b));
}
