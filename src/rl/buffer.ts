// The replay buffer of an on-policy trainer: it holds only the current rollout's
// trajectories (both BatCoder stages), computes their advantages, is shuffled into
// minibatches for the update epochs, and is cleared before the next rollout.
//
// `padBatch` lays a minibatch out for a causal-LM forward pass, right-padded:
//
//   sequence b      = promptIds ++ responseIds                (length L_b = P_b + R_b)
//   tokens[b, t]    = sequence[t]         for t < L_b, else padId
//   targets[b, t]   = sequence[t + 1]     for t < L_b - 1, else padId
//   response token j sits at sequence position P_b + j and is predicted by the logits at
//   position P_b + j - 1, so every per-response-token array (mask, old log-probs,
//   advantages) is written at column P_b - 1 + j. The new log-probs are then
//   log_softmax(logits)[b, t, targets[b, t]], weighted by actionMask[b, t].
// Prompts must be non-empty (the first response token needs a predicting position).
import { computeAdvantages, type AdvantageOptions, type AdvantageResult } from './advantages.js';
import type { Rng } from '../util/rng.js';

export type Stage = 'code2doc' | 'doc2code';

export interface Trajectory {
  stage: Stage;
  /** Responses to the same prompt (the K samples of one code) share a groupId. */
  groupId: string | number;
  promptIds: number[];
  responseIds: number[];
  /** Log-probs of responseIds at sampling time (one per response token). */
  oldLogProbs: number[];
  /** 1 for response tokens trained on (0: e.g. tokens after a stop sequence). */
  mask: number[];
  /** Scalar reward of the whole response (placed on its last action token). */
  reward: number;
  /** Filled by ReplayBuffer.computeAdvantages. */
  advantages?: number[];
  /** Reference-policy log-probs, only for a KL penalty (beta > 0). */
  refLogProbs?: number[];
}

/** Check one trajectory's shapes and values; throws naming the offending field. */
export function validateTrajectory(t: Trajectory, where = 'trajectory'): void {
  if (t.stage !== 'code2doc' && t.stage !== 'doc2code') throw new Error(`${where}: stage must be 'code2doc' or 'doc2code', got ${String(t.stage)}`);
  if (t.promptIds.length === 0) throw new Error(`${where}: empty prompt (the first response token needs a predicting position)`);
  const n = t.responseIds.length;
  if (n === 0) throw new Error(`${where}: empty response`);
  for (const [name, a] of [['oldLogProbs', t.oldLogProbs], ['mask', t.mask], ['advantages', t.advantages], ['refLogProbs', t.refLogProbs]] as const) {
    if (a !== undefined && a.length !== n) throw new Error(`${where}: ${name} has length ${a.length}, responseIds ${n}`);
  }
  for (const [name, ids] of [['promptIds', t.promptIds], ['responseIds', t.responseIds]] as const) {
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0) throw new Error(`${where}: ${name}[${i}] = ${id} is not a token id`);
    });
  }
  t.oldLogProbs.forEach((v, i) => {
    if (!(v <= 0) || !Number.isFinite(v)) throw new Error(`${where}: oldLogProbs[${i}] = ${v} (expected finite and <= 0)`);
  });
  if (!Number.isFinite(t.reward)) throw new Error(`${where}: reward is ${t.reward}`);
}

export class ReplayBuffer {
  private items: Trajectory[] = [];

  add(t: Trajectory): void {
    validateTrajectory(t, `trajectory ${this.items.length}`);
    this.items.push(t);
  }

  addAll(ts: Iterable<Trajectory>): void {
    for (const t of ts) this.add(t);
  }

  get size(): number {
    return this.items.length;
  }

  all(): readonly Trajectory[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
  }

  /** Reinforce++ advantages over the whole buffer (normalised globally by default); fills each trajectory's `advantages`. */
  computeAdvantages(opts: AdvantageOptions = {}): AdvantageResult {
    const r = computeAdvantages(
      this.items.map((t) => ({
        reward: t.reward,
        groupId: `${t.stage}\u0000${String(t.groupId)}`,
        mask: t.mask,
        stage: t.stage,
        ...(t.refLogProbs ? { logProbs: t.oldLogProbs, refLogProbs: t.refLogProbs } : {}),
      })),
      opts,
    );
    this.items.forEach((t, i) => (t.advantages = r.advantages[i]!));
    return r;
  }

  /**
   * Seeded shuffle into minibatches of `size` trajectories (the last one smaller unless
   * dropLast). Both stages mix in one minibatch: they share every parameter.
   */
  minibatches(size: number, rng: Rng, opts: { dropLast?: boolean } = {}): Trajectory[][] {
    if (!Number.isInteger(size) || size < 1) throw new Error(`minibatches: size must be an integer >= 1, got ${size}`);
    const order = rng.permutation(this.items.length);
    const out: Trajectory[][] = [];
    for (let i = 0; i < order.length; i += size) {
      const mb = order.slice(i, i + size).map((j) => this.items[j]!);
      if (mb.length < size && opts.dropLast) break;
      out.push(mb);
    }
    return out;
  }

  /** Per-stage counts, mean reward and action-token counts (for logging). */
  summary(): Record<Stage, { count: number; meanReward: number; tokens: number }> {
    const s = { code2doc: { count: 0, meanReward: 0, tokens: 0 }, doc2code: { count: 0, meanReward: 0, tokens: 0 } };
    for (const t of this.items) {
      const x = s[t.stage];
      x.count++;
      x.meanReward += t.reward;
      for (const m of t.mask) x.tokens += m !== 0 ? 1 : 0;
    }
    for (const x of Object.values(s)) if (x.count) x.meanReward /= x.count;
    return s;
  }
}

/** A minibatch laid out [B, T] row-major for a causal-LM forward (see the file comment). */
export interface PaddedBatch {
  B: number;
  T: number;
  tokens: Int32Array;
  targets: Int32Array;
  /** 1 where tokens[b, t] is a real token (t < L_b). */
  attentionMask: Float32Array;
  /** Response-token mask at the predicting positions (the loss weights). */
  actionMask: Float32Array;
  oldLogProbs: Float32Array;
  /** Zeros when the trajectories have no advantages yet. */
  advantages: Float32Array;
  promptLengths: Int32Array;
  responseLengths: Int32Array;
  stages: Stage[];
}

export interface PadOptions {
  padId: number;
  /** Round T up to a multiple of this (kernels like multiples of 8/16); default 1. */
  padMultiple?: number;
  /** Refuse sequences longer than this (the model's context); no silent truncation. */
  maxLen?: number;
}

/** Right-pad a list of trajectories into one PaddedBatch. */
export function padBatch(trajs: readonly Trajectory[], o: PadOptions): PaddedBatch {
  if (trajs.length === 0) throw new Error('padBatch: empty minibatch');
  if (!Number.isInteger(o.padId) || o.padId < 0) throw new Error(`padBatch: padId must be a token id, got ${o.padId}`);
  const mult = o.padMultiple ?? 1;
  if (!Number.isInteger(mult) || mult < 1) throw new Error(`padBatch: padMultiple must be an integer >= 1, got ${mult}`);
  let maxL = 0;
  trajs.forEach((t, b) => {
    validateTrajectory(t, `padBatch row ${b}`);
    const L = t.promptIds.length + t.responseIds.length;
    if (o.maxLen !== undefined && L > o.maxLen) throw new Error(`padBatch: row ${b} has ${L} tokens (prompt ${t.promptIds.length} + response ${t.responseIds.length}), over maxLen ${o.maxLen}`);
    maxL = Math.max(maxL, L);
  });
  const B = trajs.length;
  const T = Math.ceil(maxL / mult) * mult;
  const tokens = new Int32Array(B * T).fill(o.padId);
  const targets = new Int32Array(B * T).fill(o.padId);
  const attentionMask = new Float32Array(B * T);
  const actionMask = new Float32Array(B * T);
  const oldLogProbs = new Float32Array(B * T);
  const advantages = new Float32Array(B * T);
  const promptLengths = new Int32Array(B);
  const responseLengths = new Int32Array(B);
  trajs.forEach((t, b) => {
    const P = t.promptIds.length;
    const R = t.responseIds.length;
    const row = b * T;
    for (let i = 0; i < P; i++) tokens[row + i] = t.promptIds[i]!;
    for (let j = 0; j < R; j++) tokens[row + P + j] = t.responseIds[j]!;
    for (let i = 0; i < P + R - 1; i++) targets[row + i] = tokens[row + i + 1]!;
    for (let i = 0; i < P + R; i++) attentionMask[row + i] = 1;
    for (let j = 0; j < R; j++) {
      const c = row + P - 1 + j;
      actionMask[c] = t.mask[j]!;
      oldLogProbs[c] = t.oldLogProbs[j]!;
      advantages[c] = t.advantages ? t.advantages[j]! : 0;
    }
    promptLengths[b] = P;
    responseLengths[b] = R;
  });
  return { B, T, tokens, targets, attentionMask, actionMask, oldLogProbs, advantages, promptLengths, responseLengths, stages: trajs.map((t) => t.stage) };
}

/** Read per-response-token values back out of a [B, T] array laid out like PaddedBatch. */
export function unpadResponses(values: ArrayLike<number>, batch: Pick<PaddedBatch, 'B' | 'T' | 'promptLengths' | 'responseLengths'>): number[][] {
  if (values.length !== batch.B * batch.T) throw new Error(`unpadResponses: ${values.length} values for a [${batch.B}, ${batch.T}] batch`);
  const out: number[][] = [];
  for (let b = 0; b < batch.B; b++) {
    const start = b * batch.T + batch.promptLengths[b]! - 1;
    out.push(Array.from({ length: batch.responseLengths[b]! }, (_, j) => values[start + j]!));
  }
  return out;
}

/** Inverse of unpadResponses: scatter ragged per-response values into a zeroed [B, T] array. */
export function padResponses(values: readonly ArrayLike<number>[], batch: Pick<PaddedBatch, 'B' | 'T' | 'promptLengths' | 'responseLengths'>): Float64Array {
  if (values.length !== batch.B) throw new Error(`padResponses: ${values.length} rows for a batch of ${batch.B}`);
  const out = new Float64Array(batch.B * batch.T);
  values.forEach((v, b) => {
    if (v.length !== batch.responseLengths[b]) throw new Error(`padResponses: row ${b} has ${v.length} values, response length ${batch.responseLengths[b]}`);
    const start = b * batch.T + batch.promptLengths[b]! - 1;
    for (let j = 0; j < v.length; j++) out[start + j] = v[j]!;
  });
  return out;
}
