// Byte-level BPE training (the from-scratch model's vocabulary).
//
// Same recipe as Hugging Face's BpeTrainer with a ByteLevel alphabet: pre-tokenize the corpus
// with the Qwen2 regex (after NFC), count distinct pieces, start from the 256 byte symbols, and
// repeatedly merge the most frequent adjacent pair (ties: smallest (left id, right id), so the
// result is deterministic), until the vocabulary is full.
//
// Incremental pair counting keeps it fast: pair counts live in a map, a max-heap holds candidate
// pairs with lazily checked counts, and each pair remembers the words it occurs in. A merge only
// rescans those words and updates the counts of the pairs around each occurrence, so the cost
// of a merge is proportional to its occurrences, not to the corpus.
import { BYTE_TO_CHAR, utf8Encode } from './bytelevel.js';
import { QWEN2_PATTERN, compilePattern, escapeRegExp, splitIsolated } from './pretokenize.js';
import { Tokenizer, buildTokenizerJson, type AddedToken } from './tokenizer.js';

export interface TrainOptions {
  /** Total vocabulary size, special tokens and the 256 byte symbols included. */
  vocabSize: number;
  /** Special tokens, given the first ids in order (never merged, never split). */
  specialTokens?: readonly string[];
  /** Pairs seen fewer times than this are not merged (default 2). */
  minFrequency?: number;
  /** Pre-tokenizer regex (default Qwen2's). */
  pattern?: string;
  /** Called every `every` merges with (merges done, target) — for progress bars. */
  onProgress?: (done: number, target: number) => void;
}

const PAIR = 2 ** 21;

/** Count the distinct pre-tokenized pieces of a corpus. */
export function countPieces(texts: Iterable<string>, pattern: string, specials: readonly string[]): Map<string, number> {
  const re = compilePattern(pattern);
  const specialRe = specials.length ? new RegExp([...specials].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gu') : undefined;
  const counts = new Map<string, number>();
  const pieces: string[] = [];
  for (const raw of texts) {
    const text = raw.normalize('NFC');
    const chunks = specialRe ? text.split(specialRe) : [text];
    for (const chunk of chunks) {
      pieces.length = 0;
      splitIsolated(re, chunk, pieces);
      for (const p of pieces) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  return counts;
}

/** Train a byte-level BPE tokenizer (Qwen2-style tokenizer.json pipeline) on `texts`. */
export function trainBpe(texts: Iterable<string>, opts: TrainOptions): Tokenizer {
  const specials = [...(opts.specialTokens ?? [])];
  if (new Set(specials).size !== specials.length) throw new Error('trainBpe: duplicate special tokens');
  const minFreq = opts.minFrequency ?? 2;
  const base = specials.length;
  if (opts.vocabSize < base + 256) throw new Error(`trainBpe: vocabSize ${opts.vocabSize} < ${base} special tokens + 256 byte symbols`);
  if (opts.vocabSize >= PAIR) throw new Error(`trainBpe: vocabSize ${opts.vocabSize} too large`);

  // Vocabulary: specials, then the byte alphabet sorted by character (as HF's trainer does).
  const vocab: string[] = [...specials];
  const alphabet = [...BYTE_TO_CHAR].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  const byteToId = new Int32Array(256);
  for (const ch of alphabet) {
    byteToId[BYTE_TO_CHAR.indexOf(ch)] = vocab.length;
    vocab.push(ch);
  }

  // Words: each distinct piece as an array of symbol ids, with its corpus frequency.
  const counts = countPieces(texts, opts.pattern ?? QWEN2_PATTERN, specials);
  const words: Int32Array[] = [];
  const lens: number[] = [];
  const freq: number[] = [];
  let buf = new Uint8Array(1024);
  for (const [piece, c] of counts) {
    if (piece.length * 3 > buf.length) buf = new Uint8Array(piece.length * 3);
    const n = utf8Encode(piece, buf);
    if (n < 2) continue; // single bytes never take part in a pair
    const w = new Int32Array(n);
    for (let i = 0; i < n; i++) w[i] = byteToId[buf[i]!]!;
    words.push(w);
    lens.push(n);
    freq.push(c);
  }

  // Initial pair counts and occurrence lists.
  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>();
  for (let wi = 0; wi < words.length; wi++) {
    const w = words[wi]!;
    const f = freq[wi]!;
    for (let i = 0; i + 1 < w.length; i++) {
      const k = w[i]! * PAIR + w[i + 1]!;
      pairCount.set(k, (pairCount.get(k) ?? 0) + f);
      let l = where.get(k);
      if (!l) where.set(k, (l = []));
      if (l[l.length - 1] !== wi) l.push(wi);
    }
  }

  // Max-heap of (count, key); larger count first, then smaller key.
  const hc: number[] = [];
  const hk: number[] = [];
  const above = (a: number, b: number) => hc[a]! > hc[b]! || (hc[a] === hc[b] && hk[a]! < hk[b]!);
  const swap = (a: number, b: number) => {
    const c = hc[a]!; hc[a] = hc[b]!; hc[b] = c;
    const k = hk[a]!; hk[a] = hk[b]!; hk[b] = k;
  };
  const push = (count: number, key: number) => {
    hc.push(count);
    hk.push(key);
    let i = hc.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!above(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top: [number, number] = [hc[0]!, hk[0]!];
    const last = hc.length - 1;
    swap(0, last);
    hc.pop();
    hk.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= hc.length) break;
      const c = l + 1 < hc.length && above(l + 1, l) ? l + 1 : l;
      if (!above(c, i)) break;
      swap(c, i);
      i = c;
    }
    return top;
  };
  for (const [k, c] of pairCount) push(c, k);

  const merges: [string, string][] = [];
  const target = opts.vocabSize - vocab.length;
  const seen = new Int32Array(words.length).fill(-1);
  const delta = new Map<number, number>();
  const add = (k: number, d: number) => delta.set(k, (delta.get(k) ?? 0) + d);

  while (merges.length < target && hc.length > 0) {
    const [c, key] = pop();
    const cur = pairCount.get(key) ?? 0;
    if (c !== cur) {
      // Stale entry: the count went down since it was pushed. Re-queue with the true count.
      if (cur > 0) push(cur, key);
      continue;
    }
    if (cur < minFreq) break;
    const a = Math.floor(key / PAIR);
    const b = key - a * PAIR;
    const newId = vocab.length;
    vocab.push(vocab[a]! + vocab[b]!);
    merges.push([vocab[a]!, vocab[b]!]);
    delta.clear();
    const step = merges.length;
    for (const wi of where.get(key) ?? []) {
      if (seen[wi] === step) continue;
      seen[wi] = step;
      const w = words[wi]!;
      const f = freq[wi]!;
      let len = lens[wi]!;
      let i = 0;
      let o = 0; // write position: the word is compacted in place
      while (i < len) {
        if (i + 1 < len && w[i] === a && w[i + 1] === b) {
          // Pairs around the occurrence change: (prev, a) -> (prev, new), (b, next) -> (new, next).
          if (o > 0) {
            const p = w[o - 1]!;
            add(p * PAIR + a, -f);
            add(p * PAIR + newId, f);
          }
          if (i + 2 < len) {
            const nx = w[i + 2]!;
            add(b * PAIR + nx, -f);
            // If the next occurrence starts at nx (a b a b), the next turn undoes this with
            // prev = newId, so the counts stay exact.
            add(newId * PAIR + nx, f);
          }
          add(key, -f);
          w[o++] = newId;
          i += 2;
        } else {
          w[o++] = w[i++]!;
        }
      }
      len = o;
      lens[wi] = len;
      // Occurrence lists for the pairs containing the new symbol.
      for (let j = 0; j + 1 < len; j++) {
        if (w[j] === newId || w[j + 1] === newId) {
          const k = w[j]! * PAIR + w[j + 1]!;
          let l = where.get(k);
          if (!l) where.set(k, (l = []));
          if (l[l.length - 1] !== wi) l.push(wi);
        }
      }
    }
    where.delete(key);
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const n = (pairCount.get(k) ?? 0) + d;
      if (n > 0) pairCount.set(k, n);
      else pairCount.delete(k);
      if (d > 0) push(n, k);
    }
    if (opts.onProgress && merges.length % 1000 === 0) opts.onProgress(merges.length, target);
  }

  const added: AddedToken[] = specials.map((content, id) => ({
    id, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false,
  }));
  return new Tokenizer(buildTokenizerJson(vocab, merges, added));
}
