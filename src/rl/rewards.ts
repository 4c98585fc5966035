// Reward assembly for one BatCoder round (issue 8, step 4):
//
//   S_k            = sim(c, c'_k)            similarity of the original code c and the
//                                            reconstruction c'_k from doc d_k, in [0, 1]
//   R_code2doc,k   = S_k * R_doc,k           stage 1 (code -> doc) reward
//   R_doc2code,k   = S_k                     stage 2 (doc -> code) reward
//
// A doc with R_doc = 0 is unusable: it gets R_code2doc = 0 and no reconstruction is
// sampled, so it has no stage-2 trajectory (R_doc2code = null).
//
// The similarity is a `RewardFn` so CSSG, WL kernels, token overlap or execution can be
// swapped in (`--reward cssg|wl|tokens|exec`); `tokensReward` here is the dependency-free one.
import type { Lang } from '../lang/parser.js';

/**
 * Batch similarity of originals and reconstructions, one number in [0, 1] per pair.
 * Implementations must return exactly originals.length finite numbers.
 */
export type RewardFn = (originals: string[], reconstructions: string[], langs: Lang[]) => Promise<number[]>;

/** One stage-1 sample of a round: the code it documents and what became of its doc. */
export interface RoundItem {
  original: string;
  lang: Lang;
  /** Format reward of the doc: 0, 0.5 or 1 (from the format filter). */
  rDoc: number;
  /** The stage-2 reconstruction; required when rDoc > 0, ignored otherwise. */
  reconstruction?: string;
}

export interface RoundRewards {
  /** R_code2doc per item. */
  code2doc: number[];
  /** R_doc2code per item, null where no reconstruction exists (rDoc = 0). */
  doc2code: (number | null)[];
  /** S per item, null where not computed. */
  similarity: (number | null)[];
}

function checkRDoc(r: number, i: number): void {
  if (r !== 0 && r !== 0.5 && r !== 1) throw new Error(`rewards: R_doc of item ${i} must be 0, 0.5 or 1, got ${r}`);
}

/** Indices of the items whose doc is usable, i.e. that get a stage-2 reconstruction. */
export function needsReconstruction(rDoc: readonly number[]): number[] {
  const out: number[] = [];
  rDoc.forEach((r, i) => {
    checkRDoc(r, i);
    if (r > 0) out.push(i);
  });
  return out;
}

/**
 * Combine format rewards and similarities (null/undefined where no reconstruction).
 * Throws if a usable doc lacks its similarity, or an unusable one has one.
 */
export function assembleRewards(rDoc: readonly number[], similarity: readonly (number | null | undefined)[]): RoundRewards {
  if (rDoc.length !== similarity.length) throw new Error(`assembleRewards: ${rDoc.length} R_doc values but ${similarity.length} similarities`);
  const code2doc: number[] = [];
  const doc2code: (number | null)[] = [];
  const sims: (number | null)[] = [];
  rDoc.forEach((r, i) => {
    checkRDoc(r, i);
    const s = similarity[i];
    if (r === 0) {
      if (s !== null && s !== undefined) throw new Error(`assembleRewards: item ${i} has R_doc = 0 but a similarity ${s} (no reconstruction should exist)`);
      code2doc.push(0);
      doc2code.push(null);
      sims.push(null);
      return;
    }
    if (s === null || s === undefined || !Number.isFinite(s) || s < 0 || s > 1) {
      throw new Error(`assembleRewards: item ${i} has R_doc = ${r} but similarity ${s} (expected a number in [0, 1])`);
    }
    code2doc.push(s * r);
    doc2code.push(s);
    sims.push(s);
  });
  return { code2doc, doc2code, similarity: sims };
}

/** Call a RewardFn and check its answer (length, finiteness, range [0, 1] up to 1e-9, then clamped). */
export async function similarities(fn: RewardFn, originals: string[], reconstructions: string[], langs: Lang[]): Promise<number[]> {
  if (originals.length !== reconstructions.length || originals.length !== langs.length) {
    throw new Error(`similarities: ${originals.length} originals, ${reconstructions.length} reconstructions, ${langs.length} langs`);
  }
  if (originals.length === 0) return [];
  const s = await fn(originals, reconstructions, langs);
  if (!Array.isArray(s) || s.length !== originals.length) throw new Error(`similarities: the reward function returned ${Array.isArray(s) ? s.length : typeof s} values for ${originals.length} pairs`);
  return s.map((v, i) => {
    if (!Number.isFinite(v) || v < -1e-9 || v > 1 + 1e-9) throw new Error(`similarities: reward ${i} is ${v} (expected a number in [0, 1]; lang ${langs[i]})`);
    return Math.min(1, Math.max(0, v));
  });
}

/** Rewards of a round: one RewardFn call over the items with usable docs, then assembly. */
export async function roundRewards(items: readonly RoundItem[], fn: RewardFn): Promise<RoundRewards> {
  const idx = needsReconstruction(items.map((it) => it.rDoc));
  for (const i of idx) {
    if (typeof items[i]!.reconstruction !== 'string') throw new Error(`roundRewards: item ${i} has R_doc = ${items[i]!.rDoc} but no reconstruction`);
  }
  const s = await similarities(
    fn,
    idx.map((i) => items[i]!.original),
    idx.map((i) => items[i]!.reconstruction!),
    idx.map((i) => items[i]!.lang),
  );
  const sim: (number | null)[] = items.map(() => null);
  idx.forEach((i, j) => (sim[i] = s[j]!));
  return assembleRewards(
    items.map((it) => it.rDoc),
    sim,
  );
}

/** Lexical tokens: identifiers/numbers, or single non-space characters. Comments are not removed. */
export function lexTokens(code: string): string[] {
  return code.match(/[A-Za-z_$][A-Za-z0-9_$]*|\d+(?:\.\d+)?|\S/g) ?? [];
}

/**
 * `--reward tokens`: F1 of the token multisets of original and reconstruction
 * (2 |A ∩ B| / (|A| + |B|); 1 for two empty strings). Crude but dependency-free.
 */
export function tokensReward(): RewardFn {
  return async (originals, reconstructions) =>
    originals.map((o, i) => {
      const a = lexTokens(o);
      const b = lexTokens(reconstructions[i]!);
      if (a.length + b.length === 0) return 1;
      const counts = new Map<string, number>();
      for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
      let common = 0;
      for (const t of b) {
        const c = counts.get(t) ?? 0;
        if (c > 0) {
          common++;
          counts.set(t, c - 1);
        }
      }
      return (2 * common) / (a.length + b.length);
    });
}
