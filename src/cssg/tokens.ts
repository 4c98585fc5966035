// Token-level baselines over the snippet's tree-sitter leaf tokens (comments dropped,
// text as written: no normalisation), read in source order:
//   'tokens'       Dice of the two multisets:  S = 2 |A n B| / (|A| + |B|);
//   'tokens-anon'  the same with every identifier leaf (node type ending in 'identifier':
//                  locals, parameters, functions, fields, library names) read as one token
//                  'ID': what the token baseline sees without names (a diagnostic);
//   'difflib'      Python's difflib.SequenceMatcher(None, a, b).ratio() on the two token
//                  sequences (the "raw-token difflib baseline"), averaged over both
//                  orders so that it is symmetric like the other metrics (the orders differ
//                  only through difflib's autojunk, which drops from the second sequence the
//                  tokens more frequent than 1% + 1 once it has >= 200 tokens, and through
//                  ties between equally long blocks).
// Each is in [0, 1]; 0 when either side has no tokens.
//
// SequenceMatcher (Ratcliff-Obershelp, as CPython's Lib/difflib.py): find the longest
// block a[i:i+k] == b[j:j+k] in the current window (the earliest i, then the earliest j,
// among the longest), extend it over neighbours equal in both (autojunked tokens
// included), recurse left and right of it; M = the summed block sizes, ratio = 2 M /
// (|a| + |b|).
import { plainTree, type PNode } from '../lang/tree.js';
import type { Lang } from '../lang/parser.js';
import { MAX_CHARS } from './build.js';

export type TokenBag = { counts: Map<string, number>; total: number };

/** The leaf tokens of `code` in source order (identifiers as 'ID' when `anon`); [] when it does not parse. */
export function leafTokens(code: string, lang: Lang, anon = false): string[] {
  const out: string[] = [];
  try {
    const src = code.length > MAX_CHARS ? code.slice(0, MAX_CHARS) : code;
    const tree = plainTree(src, lang);
    const stack: PNode[] = [tree.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.children.length === 0) {
        const t = src.slice(n.start, n.end).trim();
        if (t) out.push(anon && n.named && n.type.endsWith('identifier') ? 'ID' : t);
      } else for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  } catch {
    /* unparseable: no tokens */
  }
  return out;
}

export function tokenBag(code: string, lang: Lang, anon = false): TokenBag {
  const counts = new Map<string, number>();
  const seq = leafTokens(code, lang, anon);
  for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { counts, total: seq.length };
}

export function tokenSimilarity(a: TokenBag, b: TokenBag): number {
  if (a.total === 0 || b.total === 0) return 0;
  let inter = 0;
  for (const [k, v] of a.counts) {
    const w = b.counts.get(k);
    if (w !== undefined) inter += Math.min(v, w);
  }
  return (2 * inter) / (a.total + b.total);
}

/** CPython's SequenceMatcher(None, a, b).ratio() (autojunk on). */
export function difflibRatio(a: readonly string[], b: readonly string[]): number {
  const la = a.length, lb = b.length;
  if (la + lb === 0) return 1;
  // b2j: token -> its indices in b, ascending; popular tokens removed (autojunk)
  const b2j = new Map<string, number[]>();
  for (let j = 0; j < lb; j++) {
    const js = b2j.get(b[j]);
    if (js) js.push(j);
    else b2j.set(b[j], [j]);
  }
  if (lb >= 200) {
    const ntest = Math.floor(lb / 100) + 1;
    for (const [t, js] of b2j) if (js.length > ntest) b2j.delete(t);
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let besti = alo, bestj = blo, bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      const js = b2j.get(a[i]);
      if (js) {
        for (const j of js) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) ?? 0) + 1;
          next.set(j, k);
          if (k > bestsize) {
            besti = i - k + 1;
            bestj = j - k + 1;
            bestsize = k;
          }
        }
      }
      j2len = next;
    }
    // no isjunk: every token may extend the block (autojunked ones too)
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  };
  let matches = 0;
  const queue: [number, number, number, number][] = [[0, la, 0, lb]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k === 0) continue;
    matches += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return (2 * matches) / (la + lb);
}

/** The 'difflib' metric: the ratio averaged over both orders; 0 when either side has no tokens. */
export function difflibSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  return (difflibRatio(a, b) + difflibRatio(b, a)) / 2;
}
