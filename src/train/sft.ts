// Supervised examples (phase 0, and the --sft-baseline ablation): both directions of every
// (code, doc) pair, batched by length, packed for next-token cross-entropy on the target only.
import type { Rng } from '../util/rng.js';
import type { Policy } from './policy.js';
import type { Pair } from './data.js';
import { docToCodeInput } from './prompts.js';

export interface SftExample {
  ids: number[];
  promptLength: number;
}

/**
 * Both directions for every pair; examples longer than maxLen are dropped (never
 * truncated). Every other doc -> code example also shows the signature after the doc
 * (the stage-2 prompt with the signature hint, as evaluation uses), so the model learns
 * both prompt forms.
 */
export function buildExamples(policy: Policy, pairs: Pair[], maxLen: number): SftExample[] {
  const out: SftExample[] = [];
  for (const [i, p] of pairs.entries()) {
    if (!p.doc) {
      // code only: the code after an empty doc (the model learns to write the language)
      const e = policy.example('doc2code', '', p.code, p.lang);
      if (e.ids.length <= maxLen) out.push(e);
      continue;
    }
    const a = policy.example('code2doc', p.code, p.doc, p.lang);
    const b = policy.example('doc2code', docToCodeInput(p.doc, i % 2 === 1 ? p.signature : null), p.code, p.lang);
    for (const e of [a, b]) if (e.ids.length <= maxLen) out.push(e);
  }
  if (!out.length) throw new Error(`no training example fits in ${maxLen} tokens`);
  return out;
}

/**
 * A batch of similar-length examples from a length-sorted list: a random window of 8x the
 * batch size, then a random draw from it (random in content, near-uniform in length).
 */
export function lengthBucket(sorted: SftExample[], size: number, rng: Rng): SftExample[] {
  const win = Math.min(sorted.length, size * 8);
  const start = rng.int(sorted.length - win + 1);
  return Array.from({ length: size }, () => sorted[start + rng.int(win)]);
}

/** Right-pad examples; targets are next tokens, -100 on the prompt and padding. */
export function packSft(batch: SftExample[], padId: number): { tokens: Int32Array; targets: Int32Array; B: number; T: number } {
  const B = batch.length;
  const Tn = Math.max(...batch.map((e) => e.ids.length)) - 1;
  const tokens = new Int32Array(B * Tn).fill(padId);
  const targets = new Int32Array(B * Tn).fill(-100);
  batch.forEach((e, b) => {
    for (let t = 0; t < e.ids.length - 1; t++) {
      tokens[b * Tn + t] = e.ids[t];
      if (t + 1 >= e.promptLength) targets[b * Tn + t] = e.ids[t + 1];
    }
  });
  return { tokens, targets, B, T: Tn };
}

/** The texts a BPE vocabulary is trained on: every code and doc. */
export function corpusTexts(pairs: Pair[]): string[] {
  const out: string[] = [];
  for (const p of pairs) out.push(p.code, p.doc);
  return out;
}
