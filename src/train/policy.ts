// The policy as the trainer sees it: a Transformer, its tokenizer and the prompt
// templates of the two BatCoder directions. Both stages share every parameter: they are
// the same model prompted two ways.
import { join } from 'node:path';
import type { Gpu } from '../gpu/index.js';
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import type { Transformer } from '../nn/model.js';
import { loadModel } from '../nn/io.js';
import { Tokenizer, encodeSegments, exampleSegments, extractOutput, promptSegments, stopStrings, type Direction, type TemplateStyle } from '../tokenizer/index.js';
import type { PaddedBatch } from '../rl/buffer.js';
import { generate, type GenerateOptions } from '../sample/index.js';

/** What a caller chooses about one generation call (the policy supplies EOS, padding, stops). */
export type Sampling = Pick<GenerateOptions, 'maxNewTokens' | 'greedy'> & { temperature: number; seed: number };

export interface Generation {
  ids: number[][];
  logProbs: number[][];
  /** the useful text: before any stop string, trimmed */
  text: string[];
}

export class Policy {
  constructor(
    readonly model: Transformer,
    readonly tok: Tokenizer,
    readonly style: TemplateStyle = 'scratch',
  ) {}

  get eosId(): number {
    const id = this.tok.tokenToId(this.style === 'qwen2-chat' ? '<|im_end|>' : '<|endoftext|>');
    if (id === undefined) throw new Error('policy: the tokenizer has no end-of-text token');
    return id;
  }

  get padId(): number {
    return this.tok.tokenToId('<|pad|>') ?? this.eosId;
  }

  prompt(direction: Direction, input: string, lang: string): number[] {
    return encodeSegments(this.tok, promptSegments(this.style, direction, input, { lang }));
  }

  /** A supervised example: ids and how many of them are prompt (not trained on). */
  example(direction: Direction, input: string, target: string, lang: string): { ids: number[]; promptLength: number } {
    const prompt = this.prompt(direction, input, lang);
    const ids = encodeSegments(this.tok, exampleSegments(this.style, direction, input, target, { lang }));
    return { ids, promptLength: prompt.length };
  }

  async generate(direction: Direction, prompts: number[][], o: Sampling): Promise<Generation> {
    const r = await generate(this.model, prompts, {
      maxNewTokens: o.maxNewTokens,
      temperature: o.temperature,
      greedy: o.greedy,
      seed: o.seed,
      eosId: this.eosId,
      padId: this.padId,
      stopStrings: stopStrings(this.style),
      decode: (ids: number[]) => this.tok.decode(ids),
    });
    return { ids: r.ids, logProbs: r.logProbs, text: r.text.map((t: string) => extractOutput(this.style, direction, t)) };
  }

  /**
   * Log-probabilities of the batch's targets under the current model, [B, T], with
   * gradients: log_softmax(logits)[b, t, targets[b, t]].
   */
  tokenLogProbs(batch: PaddedBatch, temperature = 1): Tensor {
    return T.tidy(() => {
      const logits = this.model.forward(batch.tokens, batch.B, batch.T);
      // the sampler's log-probs are of softmax(logits / temperature): the ratio must use the same.
      // One fused kernel each way: the [B, T, V] log-softmax is never stored.
      const targets = T.tensor(this.model.gpu, batch.targets, [batch.B, batch.T], 'i32');
      return T.tokenLogProbFused(logits, targets, 1 / temperature);
    });
  }
}

/** A model directory (config.json, model.safetensors, tokenizer.json) as a policy on `gpu`. */
export async function loadPolicy(gpu: Gpu, dir: string): Promise<Policy> {
  const tok = await Tokenizer.load(join(dir, 'tokenizer.json'));
  return new Policy(await loadModel(gpu, dir), tok);
}

export interface SurrogateStats {
  loss: Tensor;
  /** fraction of action tokens where the clipped term is the smaller (GPU scalar) */
  clipFrac: Tensor;
  /** mean k3 (src/rl/kl.ts) on log pi - log pi_old over action tokens (GPU scalar) */
  approxKl: Tensor;
}

/**
 * Reinforce++'s clipped surrogate on the GPU, token-level masked mean:
 *   loss = -sum(min(r A, clip(r, 1 - epsLow, 1 + epsHigh) A) * mask) / sum(mask),
 *   r = exp(clamp(logp - logp_old, -20, 20)).
 * Its value and gradient are tested against the float64 reference in src/rl/loss.ts.
 */
export function clippedSurrogateLoss(logp: Tensor, batch: PaddedBatch, epsLow: number, epsHigh: number): SurrogateStats {
  return T.tidy(() => {
    const shape = [batch.B, batch.T];
    const gpu = logp.gpu;
    const old = T.tensor(gpu, batch.oldLogProbs, shape);
    const adv = T.tensor(gpu, batch.advantages, shape);
    const mask = T.tensor(gpu, batch.actionMask, shape);
    const d = T.clamp(T.sub(logp, old), -20, 20);
    const ratio = T.exp(d);
    const s1 = T.mul(ratio, adv);
    const s2 = T.mul(T.clamp(ratio, 1 - epsLow, 1 + epsHigh), adv);
    const obj = T.minimum(s1, s2);
    const n = Math.max(1, batch.actionMask.reduce((a, b) => a + b, 0));
    const loss = T.mul(T.sum(T.mul(obj, mask)), -1 / n);
    const stats = T.noGrad(() => {
      const clipped = T.mul(T.lt(s2, s1), mask);
      // k3 of src/rl/kl.ts on the log-ratio d: exp(-d) - 1 + d = exp(dd) - 1 - dd, >= 0; in f32
      // it cancels to about -1e-10 when d ~ 0 (a progress line showed 'kl -1.2e-10'): clamp at 0
      const dd = T.neg(d);
      const k3 = T.mul(T.relu(T.sub(T.sub(T.exp(dd), 1), dd)), mask);
      return { clipFrac: T.mul(T.sum(clipped), 1 / n), approxKl: T.mul(T.sum(k3), 1 / n) };
    });
    return { loss, ...stats };
  });
}

/** Masked mean cross-entropy of next tokens (phase 0 / SFT), ignoring prompt and padding. */
export function sftLoss(policy: Policy, tokens: Int32Array, targets: Int32Array, B: number, Tn: number): Tensor {
  return T.tidy(() => {
    const logits = policy.model.forward(tokens, B, Tn);
    // targets of -100 are out of range: the fused log-prob gives them 0 and no gradient
    const logp = T.tokenLogProbFused(logits, T.tensor(policy.model.gpu, targets, [B, Tn], 'i32'));
    const n = Math.max(1, targets.reduce((a, t) => a + (t >= 0 ? 1 : 0), 0));
    return T.mul(T.sum(logp), -1 / n);
  });
}
