// Token-level baseline: the Dice coefficient of the two snippets' multisets of
// tree-sitter leaf tokens (comments dropped, text as written: no normalisation).
// S = 2 |A n B| / (|A| + |B|), in [0, 1]; 0 when either side has no tokens.
import { plainTree, type PNode } from '../lang/tree.js';
import type { Lang } from '../lang/parser.js';
import { MAX_CHARS } from './build.js';

export type TokenBag = { counts: Map<string, number>; total: number };

export function tokenBag(code: string, lang: Lang): TokenBag {
  const counts = new Map<string, number>();
  let total = 0;
  try {
    const src = code.length > MAX_CHARS ? code.slice(0, MAX_CHARS) : code;
    const tree = plainTree(src, lang);
    const stack: PNode[] = [tree.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.children.length === 0) {
        const t = src.slice(n.start, n.end).trim();
        if (t) {
          counts.set(t, (counts.get(t) ?? 0) + 1);
          total++;
        }
      } else for (const c of n.children) stack.push(c);
    }
  } catch {
    /* unparseable: no tokens */
  }
  return { counts, total };
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
