// The interface gate of CSSG v2: the entry function's name (the one the caller, every
// test, calls) read as lower-cased subwords, compared across the two snippets.
//
//   subwords(id)  split on `_`, on camelCase / PascalCase boundaries and around digit
//                 runs, lower-cased: has_close_elements = hasCloseElements =
//                 HasCloseElements -> {has, close, elements}; parseHTTP2Url -> {parse, http, 2, url}
//   N(c, c')      Dice of the two subword multisets: 2 |A ∩ B| / (|A| + |B|);
//                 N = 1 when either snippet has no entry function (a script, a parse
//                 failure that lost it) or no subwords: the gate then does nothing
//   S             S_struct * (GATE_FLOOR + (1 - GATE_FLOOR) * N)
//
// The gate only lowers a score (the factor is in [GATE_FLOOR, 1]); N is symmetric and
// N(c, c) = 1, so S stays symmetric, in [0, 1], and S(c, c) = 1. Why names here, when v2
// otherwise abstracts them away: a caller calls the entry by name, so a reconstruction
// that renames it fails every test; locals and (measured, docs/cssg.md) parameters may be
// renamed freely and are not read. The builder (src/cssg/build.ts, `entryInterface`) finds
// the entry while it has the parse and stores its subwords on the graph; this file
// holds only the pure parts.
import type { Graph } from './graph.js';

/** The factor's least value: an entry renamed to share no subword keeps this much of S. */
export const GATE_FLOOR = 0.5;

/** Lower-cased subwords of one identifier (see the file comment). */
export function subwords(id: string): string[] {
  if (typeof id !== 'string') return [];
  const out: string[] = [];
  // runs of upper case that end before a capitalised word (HTTPServer -> HTTP, Server),
  // capitalised or lower-case words, digit runs; everything else separates
  for (const m of id.matchAll(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g)) out.push(m[0].toLowerCase());
  return out;
}

/** Dice of two multisets of words; 1 when either is empty (nothing to compare). */
export function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 1;
  const count = new Map<string, number>();
  for (const w of a) count.set(w, (count.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b) {
    const c = count.get(w);
    if (c) {
      common++;
      count.set(w, c - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** The gate's factor for name match `n` in [0, 1]: in [GATE_FLOOR, 1], 1 when n = 1. */
export function gateFactor(n: number): number {
  return GATE_FLOOR + (1 - GATE_FLOOR) * n;
}

/** N(c, c') of two v2 graphs: the Dice of their entry names' subwords; 1 when either has no entry. */
export function interfaceMatch(ga: Graph, gb: Graph): number {
  return ga.entry && gb.entry ? dice(ga.entry, gb.entry) : 1;
}
