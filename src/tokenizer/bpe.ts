// The BPE model: vocabulary, ranked merges, and the merge loop that turns one pre-tokenized
// piece (as bytes) into token ids.
//
// Merging follows Hugging Face's rule: repeatedly apply the merge with the lowest rank among the
// adjacent pairs, leftmost first on a tie, until none applies. Symbols are ids throughout
// (vocabularies stay below 2^21 ids); pair ranks live in an open-addressing table (PairTable).

import { BYTE_TO_CHAR } from './bytelevel.js';

const PAIR = 2 ** 21;

/** Words longer than this (in bytes) use the heap-based merge; shorter ones a plain scan. */
export const HEAP_THRESHOLD = 48;

export class BpeModel {
  /** id of the single-byte token for each byte, or -1 when the vocab lacks it. */
  readonly byteId: Int32Array;
  /** (left id, right id) -> rank. */
  private readonly rank: PairTable;
  /** rank -> id of the merged token. */
  private readonly mergedId: Int32Array;
  /** The merges in rank order, as id pairs. */
  readonly merges: ReadonlyArray<readonly [number, number]>;

  constructor(
    /** id -> token (byte-level string); holes allowed for ids used only by added tokens. */
    readonly idToToken: readonly (string | undefined)[],
    readonly tokenToId: ReadonlyMap<string, number>,
    merges: ReadonlyArray<readonly [string, string]>,
    readonly opts: { ignoreMerges?: boolean } = {},
  ) {
    if (idToToken.length >= PAIR) throw new Error(`BPE vocabulary too large (${idToToken.length} ids)`);
    this.byteId = new Int32Array(256).fill(-1);
    for (let b = 0; b < 256; b++) this.byteId[b] = tokenToId.get(BYTE_TO_CHAR[b]!) ?? -1;
    this.mergedId = new Int32Array(merges.length);
    this.rank = new PairTable(merges.length);
    const pairs: [number, number][] = [];
    merges.forEach(([a, b], r) => {
      const ia = tokenToId.get(a);
      const ib = tokenToId.get(b);
      const ic = tokenToId.get(a + b);
      if (ia === undefined || ib === undefined || ic === undefined) {
        throw new Error(`BPE merge #${r} "${a} ${b}": ${ia === undefined ? `"${a}"` : ib === undefined ? `"${b}"` : `"${a + b}"`} is not in the vocabulary`);
      }
      // A duplicated merge takes its LAST rank: HF (a HashMap collect) and tokenizers.js (a Map)
      // both let later entries overwrite earlier ones.
      this.rank.set(ia, ib, r);
      this.mergedId[r] = ic;
      pairs.push([ia, ib]);
    });
    this.merges = pairs;
  }

  get numMerges(): number {
    return this.mergedId.length;
  }

  /**
   * Token ids for one piece given as bytes. Bytes without a vocab entry are dropped (HF's BPE
   * without unk_token does the same); `whole` is the piece's byte-level string when ignore_merges
   * is on (a piece that is itself a token is emitted directly).
   */
  encodeBytes(bytes: Uint8Array, n: number, out: number[], whole?: string): void {
    if (whole !== undefined && this.opts.ignoreMerges) {
      const id = this.tokenToId.get(whole);
      if (id !== undefined) {
        out.push(id);
        return;
      }
    }
    const sym: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = this.byteId[bytes[i]!]!;
      if (id >= 0) sym.push(id);
    }
    if (sym.length > HEAP_THRESHOLD) this.mergeHeap(sym, out);
    else this.mergeScan(sym, out);
  }

  /**
   * O(n^2) merge for short words: keep the rank of every adjacent pair, merge the best (leftmost
   * on a tie), and look up only the two pairs the merge changed.
   */
  mergeScan(sym: number[], out: number[]): void {
    let len = sym.length;
    const ranks: number[] = new Array(Math.max(0, len - 1)); // Infinity: no merge for that pair
    for (let i = 0; i + 1 < len; i++) ranks[i] = this.rank.get(sym[i]!, sym[i + 1]!);
    while (len > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < len - 1; i++) {
        if (ranks[i]! < bestRank) {
          bestRank = ranks[i]!;
          best = i;
        }
      }
      if (best < 0) break;
      sym[best] = this.mergedId[bestRank]!;
      sym.splice(best + 1, 1);
      ranks.splice(best, 1);
      len--;
      if (best > 0) ranks[best - 1] = this.rank.get(sym[best - 1]!, sym[best]!);
      if (best < len - 1) ranks[best] = this.rank.get(sym[best]!, sym[best + 1]!);
    }
    for (let i = 0; i < len; i++) out.push(sym[i]!);
  }

  /**
   * O(n log n) merge for long words (long identifiers, whitespace runs, base64 blobs): symbols in
   * a doubly linked list, candidate merges in a binary heap ordered by (rank, position); stale
   * candidates (a side already merged away) are skipped when popped.
   */
  mergeHeap(sym: number[], out: number[]): void {
    const n = sym.length;
    const id = Int32Array.from(sym);
    const prev = new Int32Array(n);
    const next = new Int32Array(n);
    const alive = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    // Heap of (rank, pos, rightId) packed as [rank, pos, right] triples in parallel arrays.
    const hr: number[] = [];
    const hp: number[] = [];
    const hq: number[] = []; // id of the right symbol when pushed, to detect staleness
    const less = (a: number, b: number) => hr[a]! < hr[b]! || (hr[a] === hr[b] && hp[a]! < hp[b]!);
    const swap = (a: number, b: number) => {
      [hr[a], hr[b]] = [hr[b]!, hr[a]!];
      [hp[a], hp[b]] = [hp[b]!, hp[a]!];
      [hq[a], hq[b]] = [hq[b]!, hq[a]!];
    };
    const push = (pos: number) => {
      const nx = next[pos]!;
      if (nx < 0) return;
      const r = this.rank.get(id[pos]!, id[nx]!);
      if (r === Infinity) return;
      hr.push(r);
      hp.push(pos);
      hq.push(nx);
      let i = hr.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    };
    const pop = () => {
      const last = hr.length - 1;
      swap(0, last);
      const r = hr.pop()!;
      const p = hp.pop()!;
      const q = hq.pop()!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= hr.length) break;
        const c = l + 1 < hr.length && less(l + 1, l) ? l + 1 : l;
        if (!less(c, i)) break;
        swap(c, i);
        i = c;
      }
      return [r, p, q] as const;
    };
    for (let i = 0; i < n - 1; i++) push(i);
    while (hr.length > 0) {
      const [r, pos, right] = pop();
      // Stale if either side was merged into something else since this entry was pushed.
      if (!alive[pos] || next[pos] !== right || !alive[right]) continue;
      if (this.rank.get(id[pos]!, id[right]!) !== r) continue;
      id[pos] = this.mergedId[r]!;
      alive[right] = 0;
      const nn = next[right]!;
      next[pos] = nn;
      if (nn >= 0) prev[nn] = pos;
      if (prev[pos]! >= 0) push(prev[pos]!);
      push(pos);
    }
    for (let i = 0; i >= 0; i = next[i]!) out.push(id[i]!);
  }
}

/**
 * Open-addressing hash table from an id pair to a rank. A JS Map keyed by a * 2^21 + b works but
 * its keys exceed the small-integer range and hash slowly; this is the hot lookup of encoding.
 */
class PairTable {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly v: Int32Array;
  private readonly mask: number;

  constructor(n: number) {
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.v = new Int32Array(cap);
  }

  private slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h ^= h >>> 15;
    return h & this.mask;
  }

  set(a: number, b: number, rank: number): void {
    let i = this.slot(a, b);
    while (this.a[i] !== -1 && (this.a[i] !== a || this.b[i] !== b)) i = (i + 1) & this.mask;
    this.a[i] = a;
    this.b[i] = b;
    this.v[i] = rank;
  }

  /** The rank, or Infinity when the pair has no merge. */
  get(a: number, b: number): number {
    let i = this.slot(a, b);
    for (;;) {
      const k = this.a[i]!;
      if (k === -1) return Infinity;
      if (k === a && this.b[i] === b) return this.v[i]!;
      i = (i + 1) & this.mask;
    }
  }
}
