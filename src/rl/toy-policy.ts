// A tabular softmax policy with exact gradients, on the CPU in float64: the stand-in for
// the transformer in tests of the trainer loop.
//
// The next-token distribution depends on the prompt and the position in the response
// (not on earlier response tokens): p(y_j | prompt) = softmax(W[prompt, j]), one logit
// row per (prompt, position), created at zero (uniform) on first use. So a response is a
// product of independent categoricals, and
//   d log p(y_j) / d W[prompt, j, v] = 1[v = y_j] - softmax(W[prompt, j])_v.
// Like a real policy it reads its input from the PaddedBatch layout of buffer.ts, which
// the loop therefore exercises end to end.
import type { PaddedBatch } from './buffer.js';
import type { LogProbPass, Optimizer, SampleOptions, SampleResult, TrainablePolicy } from './policy.js';
import { Rng } from '../util/rng.js';

function softmax(logits: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x / temperature);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! / temperature - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

export class TabularPolicy implements TrainablePolicy {
  /** Logit rows keyed by `${prompt}|${position}`. */
  readonly weights = new Map<string, Float64Array>();
  readonly grads = new Map<string, Float64Array>();

  constructor(
    readonly vocabSize: number,
    private readonly decode: (ids: readonly number[]) => string = (ids) => ids.join(' '),
  ) {
    if (!Number.isInteger(vocabSize) || vocabSize < 2) throw new Error(`TabularPolicy: vocabSize must be an integer >= 2, got ${vocabSize}`);
  }

  private row(prompt: ArrayLike<number>, pos: number): Float64Array {
    const key = `${Array.prototype.join.call(prompt, ',')}|${pos}`;
    let w = this.weights.get(key);
    if (!w) this.weights.set(key, (w = new Float64Array(this.vocabSize)));
    return w;
  }

  /** Probabilities of the next token at response position `pos` (for tests and evaluation). */
  probs(prompt: readonly number[], pos: number): Float64Array {
    return softmax(this.row(prompt, pos));
  }

  async sample(prompts: number[][], opts: SampleOptions): Promise<SampleResult> {
    if (opts.topK !== undefined || opts.topP !== undefined) throw new Error('TabularPolicy.sample: topK/topP are not supported (training rollouts sample the full distribution)');
    const rng = new Rng(opts.seed);
    const temperature = opts.temperature ?? 1;
    const ids: number[][] = [];
    const logProbs: number[][] = [];
    for (const prompt of prompts) {
      const y: number[] = [];
      const lp: number[] = [];
      for (let j = 0; j < opts.maxNewTokens; j++) {
        const p = softmax(this.row(prompt, j), temperature);
        let v: number;
        if (opts.greedy) {
          v = 0;
          for (let i = 1; i < p.length; i++) if (p[i]! > p[v]!) v = i;
        } else v = rng.categorical(p);
        y.push(v);
        lp.push(Math.log(p[v]!));
        if (opts.eosId !== undefined && v === opts.eosId) break;
        if (opts.stop && opts.stop.some((s) => this.decode(y).includes(s))) break;
      }
      ids.push(y);
      logProbs.push(lp);
    }
    return { ids, logProbs, text: ids.map((y) => this.decode(y)) };
  }

  async forward(batch: PaddedBatch): Promise<LogProbPass> {
    const { B, T } = batch;
    const logProbs = new Float64Array(B * T);
    const cells: { key: Float64Array; probs: Float64Array; target: number; col: number; prompt: Int32Array; pos: number }[] = [];
    for (let b = 0; b < B; b++) {
      const P = batch.promptLengths[b]!;
      const prompt = batch.tokens.subarray(b * T, b * T + P);
      for (let j = 0; j < batch.responseLengths[b]!; j++) {
        const col = b * T + P - 1 + j;
        const w = this.row(prompt, j);
        const probs = softmax(w);
        const target = batch.targets[col]!;
        logProbs[col] = Math.log(probs[target]!);
        cells.push({ key: w, probs, target, col, prompt, pos: j });
      }
    }
    let used = false;
    return {
      logProbs,
      backward: async (grad) => {
        if (used) throw new Error('TabularPolicy: backward called twice on one forward pass');
        used = true;
        if (grad.length !== B * T) throw new Error(`TabularPolicy.backward: ${grad.length} gradients for a [${B}, ${T}] batch`);
        for (const c of cells) {
          const g = grad[c.col]!;
          if (g === 0) continue;
          const key = `${Array.prototype.join.call(c.prompt, ',')}|${c.pos}`;
          let acc = this.grads.get(key);
          if (!acc) this.grads.set(key, (acc = new Float64Array(this.vocabSize)));
          for (let v = 0; v < this.vocabSize; v++) acc[v]! += g * ((v === c.target ? 1 : 0) - c.probs[v]!);
        }
      },
    };
  }
}

/**
 * AdamW over a TabularPolicy's rows (bias-corrected; decoupled weight decay). Rows without
 * a gradient this step are skipped, moments included ("lazy" Adam, as for sparse
 * embeddings): a row that is not visited keeps its weights and moments.
 */
export class TabularAdamW implements Optimizer {
  private m = new Map<string, Float64Array>();
  private v = new Map<string, Float64Array>();
  private t = 0;

  constructor(
    private readonly policy: TabularPolicy,
    private readonly o: { beta1?: number; beta2?: number; eps?: number; weightDecay?: number } = {},
  ) {}

  zeroGrad(): void {
    this.policy.grads.clear();
  }

  async step(lr: number, maxGradNorm: number): Promise<{ gradNorm: number }> {
    let sq = 0;
    for (const g of this.policy.grads.values()) for (const x of g) sq += x * x;
    const gradNorm = Math.sqrt(sq);
    if (!Number.isFinite(gradNorm)) throw new Error(`TabularAdamW: gradient norm is ${gradNorm}; parameters left untouched`);
    const scale = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
    const b1 = this.o.beta1 ?? 0.9;
    const b2 = this.o.beta2 ?? 0.95;
    const eps = this.o.eps ?? 1e-8;
    const wd = this.o.weightDecay ?? 0;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (const [key, g] of this.policy.grads) {
      const w = this.policy.weights.get(key)!;
      let m = this.m.get(key);
      let v = this.v.get(key);
      if (!m) this.m.set(key, (m = new Float64Array(g.length)));
      if (!v) this.v.set(key, (v = new Float64Array(g.length)));
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]! * scale;
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        w[i] = w[i]! - lr * wd * w[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    }
    return { gradNorm };
  }
}
