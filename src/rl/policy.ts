// The interfaces the BatCoder trainer loop talks to. The real model/sampler (GPU) and the
// toy tabular policy (CPU, src/rl/toy-policy.ts) both implement them, so the loop is
// tested with the toy and run with the model.
//
// One rule ties sampling and training together: `SampleResult.logProbs` must be the
// log-probs of the sampled tokens under the same distribution that `forward` computes
// (same temperature, no top-k/top-p renormalisation), because they become the
// "old log-probs" of the importance ratio. Sample with temperature 1 and no truncation
// for training rollouts, or have the sampler report the log-probs of the full
// temperature-1 distribution.
import type { PaddedBatch } from './buffer.js';

export interface SampleOptions {
  /** Upper bound on generated tokens per prompt. */
  maxNewTokens: number;
  /** Softmax temperature (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens (default: off). */
  topK?: number;
  /** Nucleus sampling mass (default: off). */
  topP?: number;
  /** Stop after generating this token (included in the response). */
  eosId?: number;
  /** Stop sequences on the decoded text (the response is cut after the match). */
  stop?: string[];
  /** Seed of this call's random stream: equal seeds give equal samples. */
  seed: number;
  /** Greedy decoding (argmax); log-probs are still reported. */
  greedy?: boolean;
}

export interface SampleResult {
  /** Generated token ids per prompt (no prompt tokens). */
  ids: number[][];
  /** Log-prob of each generated token (same shape as ids). */
  logProbs: number[][];
  /** Decoded text per prompt. */
  text: string[];
}

/** Anything that can generate continuations with their log-probs. */
export interface Policy {
  sample(prompts: number[][], opts: SampleOptions): Promise<SampleResult>;
}

/** One differentiable forward pass over a padded minibatch. */
export interface LogProbPass {
  /** log p(targets[b, t] | tokens[b, 0..t]) at every [b, t] (length B*T; meaningful where actionMask != 0). */
  logProbs: Float64Array | Float32Array;
  /** Accumulate parameter gradients for d loss / d logProbs (length B*T). Call at most once. */
  backward(gradLogProbs: ArrayLike<number>): Promise<void>;
}

/** A policy the trainer can update. */
export interface TrainablePolicy extends Policy {
  forward(batch: PaddedBatch): Promise<LogProbPass>;
}

/** The optimiser over a TrainablePolicy's parameters (AdamW + global-norm clipping in practice). */
export interface Optimizer {
  zeroGrad(): void;
  /**
   * Clip the accumulated gradient to `maxGradNorm` (global L2 norm) and apply one update
   * at learning rate `lr`. Returns the norm before clipping; throws (and leaves the
   * parameters untouched) when it is not finite.
   */
  step(lr: number, maxGradNorm: number): Promise<{ gradNorm: number }>;
}

/** Token ids <-> text. */
export interface TokenizerLike {
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}
