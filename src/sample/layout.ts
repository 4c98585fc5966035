// The batch layout shared by generation and log-prob recomputation, so both see the
// same positions and masks (and hence the same numbers):
//
//   [pad .. pad | prompt tokens]  [response tokens | pad .. pad]
//    left-padded to Lp             right-padded to R
//
// keyValid is 1 on real tokens, 0 on padding. Positions follow Hugging Face:
// position_ids = cumsum(attention_mask) - 1, with padding slots set to 1.
import type { Transformer } from '../nn/model.js';
import { linear } from '../nn/layers.js';
import type { Tensor } from '../tensor/index.js';

export interface Layout {
  B: number;
  /** padded length of the prompts */
  Lp: number;
  /** [B * Lp] left-padded prompt ids */
  ids: Int32Array;
  /** [B * Lp] 1 = real token */
  mask: Float32Array;
  /** [B * Lp] rotary positions */
  positions: Float32Array;
  /** prompt length of each row */
  lengths: number[];
}

export function checkIds(what: string, rows: number[][], vocab: number, allowEmpty: boolean): void {
  rows.forEach((r, b) => {
    if (!Array.isArray(r)) throw new Error(`${what}[${b}] must be an array of token ids`);
    if (!allowEmpty && r.length === 0) throw new Error(`${what}[${b}] is empty (a prompt needs at least one token)`);
    r.forEach((t, i) => {
      if (!Number.isInteger(t) || t < 0 || t >= vocab) throw new Error(`${what}[${b}][${i}] = ${t} is not a token id in [0, ${vocab})`);
    });
  });
}

/** Left-pad prompts to a common length. */
export function leftPad(prompts: number[][], padId: number): Layout {
  const B = prompts.length;
  const Lp = Math.max(...prompts.map((p) => p.length));
  const ids = new Int32Array(B * Lp).fill(padId);
  const mask = new Float32Array(B * Lp);
  const positions = new Float32Array(B * Lp).fill(1);
  prompts.forEach((p, b) => {
    const off = b * Lp + Lp - p.length;
    for (let i = 0; i < p.length; i++) {
      ids[off + i] = p[i];
      mask[off + i] = 1;
      positions[off + i] = i;
    }
  });
  return { B, Lp, ids, mask, positions, lengths: prompts.map((p) => p.length) };
}

/** Logits [B, T, V] of final hidden states [B, T, d] through the (tied or untied) output head. */
export function lmHead(model: Transformer, hidden: Tensor): Tensor {
  const w = model.config.tie_word_embeddings ? model.p('model.embed_tokens.weight') : model.p('lm_head.weight');
  return linear(hidden, w);
}
