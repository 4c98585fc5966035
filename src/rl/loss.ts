// CPU float64 reference of the clipped surrogate (PPO / Reinforce++) loss and its
// analytic gradient with respect to the new log-probs. The GPU version is tested
// against this file.
//
// Per action token t (mask_t != 0), with d_t = clamp(logp_t - logpOld_t, -20, 20):
//   r_t  = exp(d_t)
//   l_t  = -min(r_t A_t, clip(r_t, 1 - epsLow, 1 + epsHigh) A_t)
//   loss = sum_t mask_t l_t / sum_t mask_t                  (token-level masked mean)
//
// Gradient (torch's conventions, so the GPU port can be compared element for element):
//   dl_t/dlogp_t = -A_t r_t * [d_t not clamped] * [branch passes gradient]
// where the unclipped branch always passes gradient, the clipped branch only while
// 1 - epsLow <= r_t <= 1 + epsHigh (torch.clamp's gradient is 1 on the closed interval),
// and on a tie of the two branches torch.minimum splits the gradient in halves; the two
// halves are equal whenever the tie is not at A = 0, so no special case is needed.
// Hence: the token has zero gradient exactly when the clipped branch is strictly smaller
// and r is outside the interval, i.e. when the clip is active. The mask weights the
// gradient too (mask values other than 0/1 act as token weights).
//
// Stats (masked means over action tokens):
//   clipFrac  fraction of tokens whose clipped term is strictly the min (gradient cut)
//   approxKl  k3 of src/rl/kl.ts on the (clamped) log-ratio d: exp(-d) - 1 + d, i.e.
//             OpenRLHF's k3 on log pi_old - log pi; the GPU loss logs the same
//   ratioMean mean of r

import { klFromLogRatio } from './kl.js';

export interface SurrogateBatch {
  /** New log-probs of the sampled tokens, per response (ragged). */
  logProbs: ArrayLike<number>[];
  /** Log-probs recorded at sampling time. */
  oldLogProbs: ArrayLike<number>[];
  advantages: ArrayLike<number>[];
  /** 1 for action tokens (trained on), 0 for the rest. */
  mask: ArrayLike<number>[];
}

export interface SurrogateOptions {
  epsLow?: number;
  epsHigh?: number;
  /** Clamp of the log-ratio before exp (default 20). */
  logRatioClamp?: number;
}

export interface SurrogateStats {
  clipFrac: number;
  approxKl: number;
  ratioMean: number;
  /** Sum of the mask (the loss denominator). */
  tokens: number;
}

export interface SurrogateResult {
  loss: number;
  /** d loss / d logProbs, same ragged shape as the input (0 on masked tokens). */
  grad: number[][];
  stats: SurrogateStats;
}

/** Loss, gradient and stats of the clipped surrogate over a ragged batch (see file comment). */
export function clippedSurrogate(b: SurrogateBatch, opts: SurrogateOptions = {}): SurrogateResult {
  const epsLow = opts.epsLow ?? 0.2;
  const epsHigh = opts.epsHigh ?? 0.2;
  const cl = opts.logRatioClamp ?? 20;
  if (!(epsLow >= 0 && epsLow < 1)) throw new Error(`clippedSurrogate: epsLow must be in [0, 1), got ${epsLow}`);
  if (!(epsHigh >= 0) || !Number.isFinite(epsHigh)) throw new Error(`clippedSurrogate: epsHigh must be finite and >= 0, got ${epsHigh}`);
  const n = b.logProbs.length;
  if (b.oldLogProbs.length !== n || b.advantages.length !== n || b.mask.length !== n) {
    throw new Error(`clippedSurrogate: batch sizes differ (logProbs ${n}, oldLogProbs ${b.oldLogProbs.length}, advantages ${b.advantages.length}, mask ${b.mask.length})`);
  }
  const lo = 1 - epsLow;
  const hi = 1 + epsHigh;
  let denom = 0;
  for (let i = 0; i < n; i++) {
    const m = b.mask[i]!;
    const len = m.length;
    if (b.logProbs[i]!.length !== len || b.oldLogProbs[i]!.length !== len || b.advantages[i]!.length !== len) {
      throw new Error(`clippedSurrogate: response ${i} lengths differ (mask ${len}, logProbs ${b.logProbs[i]!.length}, oldLogProbs ${b.oldLogProbs[i]!.length}, advantages ${b.advantages[i]!.length})`);
    }
    for (let t = 0; t < len; t++) denom += m[t]!;
  }
  const grad: number[][] = [];
  let lossSum = 0;
  let clipped = 0;
  let klSum = 0;
  let ratioSum = 0;
  for (let i = 0; i < n; i++) {
    const m = b.mask[i]!;
    const lp = b.logProbs[i]!;
    const old = b.oldLogProbs[i]!;
    const adv = b.advantages[i]!;
    const g = new Array<number>(m.length).fill(0);
    for (let t = 0; t < m.length; t++) {
      const w = m[t]!;
      if (w === 0) continue;
      const raw = lp[t]! - old[t]!;
      if (!Number.isFinite(raw)) throw new Error(`clippedSurrogate: non-finite log-ratio at response ${i}, token ${t} (logp ${lp[t]}, old ${old[t]})`);
      const d = Math.max(-cl, Math.min(cl, raw));
      const r = Math.exp(d);
      const a = adv[t]!;
      const s1 = r * a;
      const rc = Math.max(lo, Math.min(hi, r));
      const s2 = rc * a;
      const clipActive = s2 < s1; // the min picks the clipped branch strictly
      lossSum += w * -Math.min(s1, s2);
      const passes = !clipActive || (r >= lo && r <= hi);
      const inClamp = raw >= -cl && raw <= cl;
      if (passes && inClamp && denom > 0) g[t] = (-w * a * r) / denom;
      if (clipActive) clipped += w;
      klSum += w * klFromLogRatio(d, 'k3');
      ratioSum += w * r;
    }
    grad.push(g);
  }
  if (denom === 0) return { loss: 0, grad, stats: { clipFrac: 0, approxKl: 0, ratioMean: 1, tokens: 0 } };
  return {
    loss: lossSum / denom,
    grad,
    stats: { clipFrac: clipped / denom, approxKl: klSum / denom, ratioMean: ratioSum / denom, tokens: denom },
  };
}
