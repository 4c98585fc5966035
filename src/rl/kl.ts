// The one KL estimator of the project: Schulman's k1 / k2 / k3 ("Approximating KL
// divergence", 2020) exactly as OpenRLHF's compute_approx_kl writes them. For a sampled
// token a, with the log-ratio
//   r = log pi(a) - log pi_base(a)        (d = -r = log pi_base - log pi)
//   k1 = r        k2 = r^2 / 2        k3 = exp(-r) - 1 + r  =  exp(d) - 1 - d
// pi is the policy being trained; pi_base is the frozen reference model for the KL penalty
// of the rewards (src/rl/advantages.ts, --kl-coef), or the sampling policy pi_old for the
// approx_kl statistic of an update (the CPU reference src/rl/loss.ts and the GPU loss in
// src/train/policy.ts compute the same k3). k3 >= 0 always, and is 0 iff r = 0.

export type KlEstimator = 'k1' | 'k2' | 'k3';
export const KL_ESTIMATORS: readonly KlEstimator[] = ['k1', 'k2', 'k3'];

/** The per-token estimate from the log-ratio r = log pi - log pi_base (see the file comment). */
export function klFromLogRatio(r: number, kind: KlEstimator): number {
  if (kind === 'k1') return r;
  if (kind === 'k2') return (r * r) / 2;
  if (kind === 'k3') return Math.exp(-r) - 1 + r;
  throw new Error(`kl: unknown estimator '${kind as string}' (expected ${KL_ESTIMATORS.join(', ')})`);
}
