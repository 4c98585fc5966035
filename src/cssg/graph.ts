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
 */
export function signature(g: Graph): string {
  const parts: string[] = [];
  for (let i = 0; i < g.kinds.length; i++) {
    const bag = [...g.bags[i].entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    parts.push(g.kinds[i] + '{' + bag.map(([k, v]) => k + '=' + v).join(',') + '}');
  }
  const e: string[] = [];
  for (let i = 0; i < g.edges.length; i += 3) e.push(`${g.edges[i]}>${g.edges[i + 1]}:${g.edges[i + 2]}`);
  e.sort();
  return parts.join(';') + '|' + e.join(',');
}
