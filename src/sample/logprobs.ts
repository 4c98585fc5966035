// Log-probabilities of given responses by teacher forcing: one forward pass over
// prompt + response, in the same layout generation uses (left-padded prompts,
// right-padded responses, HF positions). The differentiable version is what the RL
// trainer optimises; its numbers equal the ones generate() reported (same tempered
// distribution: log_softmax(logits / temperature) over the full vocabulary).
import type { Transformer } from '../nn/model.js';
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { checkIds, leftPad, lmHead } from './layout.js';

export interface ScoreBatch {
  prompts: number[][];
  responses: number[][];
}

export interface ScoreOptions {
  /** the sampling temperature whose distribution to score (default 1) */
  temperature?: number;
  /** id written into padding slots (any valid id; it is masked out) */
  padId?: number;
}

export interface ScoredBatch {
  /** [B, R] log-probs of response tokens; 0 on padding (R = longest response) */
  logProbs: Tensor;
  /** [B, R] 1 on real response tokens, 0 on padding (no gradient) */
  mask: Tensor;
  /** the same mask on the host */
  maskHost: Float32Array;
  R: number;
}

/**
 * Differentiable per-token log-probs [B, R]: gradients flow into the model's parameters
 * (when they require grad). Dispose the returned tensors (or call inside T.tidy).
 */
export function sequenceLogProbsTensor(model: Transformer, batch: ScoreBatch, opts: ScoreOptions = {}): ScoredBatch {
  const { prompts, responses } = batch;
  const B = prompts.length;
  const V = model.config.vocab_size;
  if (responses.length !== B) throw new Error(`sequenceLogProbs: ${B} prompts but ${responses.length} responses`);
  if (B === 0) throw new Error('sequenceLogProbs: empty batch');
  checkIds('sequenceLogProbs: prompts', prompts, V, false);
  checkIds('sequenceLogProbs: responses', responses, V, true);
  const temperature = opts.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`sequenceLogProbs: temperature must be > 0, got ${temperature}`);
  const padId = opts.padId ?? 0;
  const R = Math.max(...responses.map((r) => r.length));
  const gpu = model.gpu;
  const maskHost = new Float32Array(B * R);
  responses.forEach((r, b) => maskHost.fill(1, b * R, b * R + r.length));
  if (R === 0) {
    return { logProbs: T.zeros(gpu, [B, 0]), mask: T.zeros(gpu, [B, 0]), maskHost, R };
  }
  const lay = leftPad(prompts, padId);
  const { Lp } = lay;
  // inputs: the prompt and all response tokens but the last (its successor is not scored)
  const L = Lp + R - 1;
  const ids = new Int32Array(B * L).fill(padId);
  const keyValid = new Float32Array(B * L);
  const positions = new Float32Array(B * L).fill(1);
  for (let b = 0; b < B; b++) {
    ids.set(lay.ids.subarray(b * Lp, (b + 1) * Lp), b * L);
    keyValid.set(lay.mask.subarray(b * Lp, (b + 1) * Lp), b * L);
    positions.set(lay.positions.subarray(b * Lp, (b + 1) * Lp), b * L);
    const r = responses[b];
    for (let t = 0; t < R - 1; t++) {
      if (t < r.length) {
        ids[b * L + Lp + t] = r[t];
        keyValid[b * L + Lp + t] = 1;
        positions[b * L + Lp + t] = lay.lengths[b] + t;
      }
    }
  }
  const targets = new Int32Array(B * R);
  responses.forEach((r, b) => r.forEach((id, t) => (targets[b * R + t] = id)));
  return T.tidy(() => {
    const h = model.forward(ids, B, L, { keyValid, positions, hiddenOnly: true });
    // hidden state at Lp - 1 + t predicts response token t
    const hr = T.slice(h, 1, Lp - 1, Lp - 1 + R);
    const logits = lmHead(model, hr);
    const scaled = temperature === 1 ? logits : T.mul(logits, 1 / temperature);
    const ls = T.logSoftmax(scaled);
    const picked = T.gather(ls, 2, T.tensor(gpu, targets, [B, R, 1], 'i32'));
    const mask = T.tensor(gpu, maskHost, [B, R]);
    const logProbs = T.mul(T.reshape(picked, [B, R]), mask);
    return { logProbs, mask, maskHost, R };
  });
}

/** The same numbers without gradients, as host arrays (one per row, response length each). */
export async function sequenceLogProbs(model: Transformer, batch: ScoreBatch, opts: ScoreOptions = {}): Promise<number[][]> {
  const { logProbs, mask, R } = T.noGrad(() => sequenceLogProbsTensor(model, batch, opts));
  try {
    const flat = R ? await logProbs.toFloat32Array() : new Float32Array(0);
    return batch.responses.map((r, b) => Array.from(flat.subarray(b * R, b * R + r.length)));
  } finally {
    logProbs.dispose();
    mask.dispose();
  }
}
