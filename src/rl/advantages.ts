// Reinforce++ advantages on ragged token arrays (float64), as OpenRLHF computes them for
// advantage_estimator = reinforce / reinforce_baseline / rloo / group_norm:
//
// 1. Scalar reward per response, optionally shaped by a group baseline over the K
//    responses that share a prompt (groupId):
//      none           r                                  (Reinforce++)
//      group-mean     r - mean_g(r)                      (Reinforce++-baseline)
//      leave-one-out  r - (sum_g(r) - r) / (K - 1)       (RLOO)
//      grpo           (r - mean_g(r)) / (std_g(r) + 1e-9), std unbiased (n - 1) as torch.std
//    A group of one carries no comparison: every baseline variant gives it 0.
// 2. Per-token reward: reward_t = 1[t = last action token] * r  -  beta * KL_t, with
//    KL_t = the estimator of src/rl/kl.ts on r_t = logp_t - logpRef_t (k1 = r, k2 = r^2 / 2,
//    k3 = exp(-r) - 1 + r), clamped to [-10, 10] as OpenRLHF does. beta = 0 (the default) needs no reference.
// 3. Returns with discount gamma (default 1): A_t = sum_{s >= t} gamma^(s - t) reward_s
//    over action tokens; non-action tokens (mask 0) get A = 0 and carry the return through.
// 4. Normalisation over all action tokens of the batch ('global', the default, as
//    OpenRLHF's REINFORCE++) or separately per stage ('per-stage'): tokens of longer
//    responses weigh more, as in the reference. A <- (A - mean) / sqrt(max(var, 1e-8)), var being
//    the population variance. 'none' skips it.

import { klFromLogRatio, type KlEstimator } from './kl.js';

export type Baseline = 'none' | 'group-mean' | 'leave-one-out' | 'grpo';
export type AdvantageNorm = 'global' | 'per-stage';
export const ADVANTAGE_NORMS: readonly AdvantageNorm[] = ['global', 'per-stage'];
export const BASELINES: readonly Baseline[] = ['none', 'group-mean', 'leave-one-out', 'grpo'];
export type { KlEstimator };

/** One response: its scalar reward and its per-token arrays (all the same length). */
export interface AdvantageItem {
  reward: number;
  /** Responses of the same prompt share a groupId (used by the baselines). */
  groupId: string | number;
  /** 1 for action tokens (trained on), 0 for padding / ignored tokens. */
  mask: ArrayLike<number>;
  /** Normalisation bucket (BatCoder: 'code2doc' | 'doc2code'); default ''. */
  stage?: string;
  /** Log-probs at sampling time; needed only when beta > 0. */
  logProbs?: ArrayLike<number>;
  /** Log-probs under the frozen reference policy; needed only when beta > 0. */
  refLogProbs?: ArrayLike<number>;
}

export interface AdvantageOptions {
  baseline?: Baseline;
  /** KL penalty coefficient (default 0: no penalty, no reference needed). */
  beta?: number;
  kl?: KlEstimator;
  /** Discount (default 1). */
  gamma?: number;
  /** 'global' (default): over the whole batch; 'per-stage': each stage separately; 'none': skip. */
  normalizeBy?: AdvantageNorm | 'none';
  /** Variance floor in the normalisation (default 1e-8). */
  varFloor?: number;
}

export interface AdvantageResult {
  /** Normalised advantages per response (0 on non-action tokens). */
  advantages: number[][];
  /** Un-normalised returns per response. */
  returns: number[][];
  /** Baseline-shaped scalar rewards per response (step 1). */
  shapedRewards: number[];
  /** Per-response mean KL_t over action tokens (0 when beta = 0 and no ref given). */
  kl: number[];
  /** Normalisation statistics per bucket (stage name, or '' for 'global'). */
  norm: Record<string, { mean: number; std: number; tokens: number }>;
}

function isOn(m: number): boolean {
  return m !== 0;
}

/** Baseline-shaped rewards (step 1 above), in input order. */
export function shapeRewards(rewards: readonly number[], groupIds: readonly (string | number)[], baseline: Baseline): number[] {
  if (rewards.length !== groupIds.length) throw new Error(`shapeRewards: ${rewards.length} rewards but ${groupIds.length} groupIds`);
  rewards.forEach((r, i) => {
    if (!Number.isFinite(r)) throw new Error(`shapeRewards: reward ${i} is ${r}`);
  });
  if (baseline === 'none') return rewards.slice();
  const groups = new Map<string | number, number[]>();
  groupIds.forEach((g, i) => {
    let a = groups.get(g);
    if (!a) groups.set(g, (a = []));
    a.push(i);
  });
  const out = new Array<number>(rewards.length);
  for (const idx of groups.values()) {
    const k = idx.length;
    let sum = 0;
    for (const i of idx) sum += rewards[i]!;
    const mean = sum / k;
    if (baseline === 'group-mean') {
      for (const i of idx) out[i] = k === 1 ? 0 : rewards[i]! - mean;
    } else if (baseline === 'leave-one-out') {
      for (const i of idx) out[i] = k === 1 ? 0 : rewards[i]! - (sum - rewards[i]!) / (k - 1);
    } else if (baseline === 'grpo') {
      let ss = 0;
      for (const i of idx) ss += (rewards[i]! - mean) ** 2;
      const std = k > 1 ? Math.sqrt(ss / (k - 1)) : 0;
      for (const i of idx) out[i] = k === 1 ? 0 : (rewards[i]! - mean) / (std + 1e-9);
    } else {
      throw new Error(`shapeRewards: unknown baseline '${baseline as string}'`);
    }
  }
  return out;
}

/** Per-token KL penalty term from the log-ratio d = logp - logpRef: kl.ts's estimator, clamped to [-10, 10]. */
export function klEstimate(d: number, kind: KlEstimator): number {
  return Math.max(-10, Math.min(10, klFromLogRatio(d, kind)));
}

/** Compute Reinforce++ advantages for a rollout batch (see the file comment). */
export function computeAdvantages(items: readonly AdvantageItem[], opts: AdvantageOptions = {}): AdvantageResult {
  const baseline = opts.baseline ?? 'none';
  const beta = opts.beta ?? 0;
  const kind = opts.kl ?? 'k1';
  const gamma = opts.gamma ?? 1;
  const normalizeBy = opts.normalizeBy ?? 'global';
  const varFloor = opts.varFloor ?? 1e-8;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`computeAdvantages: beta must be finite and >= 0, got ${beta}`);
  if (!(gamma >= 0 && gamma <= 1)) throw new Error(`computeAdvantages: gamma must be in [0, 1], got ${gamma}`);

  const shaped = shapeRewards(
    items.map((it) => it.reward),
    items.map((it) => it.groupId),
    baseline,
  );

  const returns: number[][] = [];
  const kls: number[] = [];
  items.forEach((it, i) => {
    const n = it.mask.length;
    const useKl = beta > 0 || (it.logProbs !== undefined && it.refLogProbs !== undefined);
    if (useKl) {
      if (!it.logProbs || !it.refLogProbs) throw new Error(`computeAdvantages: item ${i} needs logProbs and refLogProbs when beta > 0`);
      if (it.logProbs.length !== n || it.refLogProbs.length !== n) {
        throw new Error(`computeAdvantages: item ${i} has mask length ${n}, logProbs ${it.logProbs.length}, refLogProbs ${it.refLogProbs.length}`);
      }
    }
    let last = -1;
    for (let t = n - 1; t >= 0; t--) if (isOn(it.mask[t]!)) { last = t; break; }
    const ret = new Array<number>(n).fill(0);
    let klSum = 0;
    let nAct = 0;
    let g = 0;
    for (let t = n - 1; t >= 0; t--) {
      let rt = 0;
      if (isOn(it.mask[t]!)) {
        if (useKl) {
          const k = klEstimate(it.logProbs![t]! - it.refLogProbs![t]!, kind);
          klSum += k;
          nAct++;
          rt -= beta * k;
        }
        if (t === last) rt += shaped[i]!;
        g = rt + gamma * g;
        ret[t] = g;
      }
    }
    returns.push(ret);
    kls.push(nAct ? klSum / nAct : 0);
  });

  const advantages = returns.map((r) => r.slice());
  const norm: AdvantageResult['norm'] = {};
  if (normalizeBy !== 'none') {
    const bucketOf = (it: AdvantageItem) => (normalizeBy === 'per-stage' ? it.stage ?? '' : '');
    const buckets = new Map<string, number[]>();
    items.forEach((it, i) => {
      const b = bucketOf(it);
      let a = buckets.get(b);
      if (!a) buckets.set(b, (a = []));
      a.push(i);
    });
    for (const [b, idx] of buckets) {
      let sum = 0;
      let cnt = 0;
      for (const i of idx) {
        const m = items[i]!.mask;
        for (let t = 0; t < m.length; t++) if (isOn(m[t]!)) { sum += returns[i]![t]!; cnt++; }
      }
      const mean = cnt ? sum / cnt : 0;
      let ss = 0;
      for (const i of idx) {
        const m = items[i]!.mask;
        for (let t = 0; t < m.length; t++) if (isOn(m[t]!)) ss += (returns[i]![t]! - mean) ** 2;
      }
      const std = Math.sqrt(Math.max(cnt ? ss / cnt : 0, varFloor));
      for (const i of idx) {
        const m = items[i]!.mask;
        const a = advantages[i]!;
        for (let t = 0; t < m.length; t++) a[t] = isOn(m[t]!) ? (returns[i]![t]! - mean) / std : 0;
      }
      norm[b] = { mean, std, tokens: cnt };
    }
  }
  return { advantages, returns, shapedRewards: shaped, kl: kls, norm };
}
