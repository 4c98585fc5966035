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
// The similarity S itself (CSSG, WL kernel, token overlap or execution: `--reward`) is
// computed by the trainer's rollout (src/train/rollout.ts); this file only combines.

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
