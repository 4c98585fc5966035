// Is the reward rising? Per-step rollout rewards are means over a few snippets (4 x K=8 by
// default) and swing by +-0.1 from step to step, so one step says little. This compares the
// mean of the first and last windows of steps, with the standard error of each window mean
// (steps treated as independent samples), so a "rise" is reported together with its noise.

export interface WindowStat {
  mean: number;
  /** standard error of the mean over the window's steps (NaN for fewer than two steps) */
  se: number;
  n: number;
}

export interface TrendRow {
  metric: string;
  first: WindowStat;
  last: WindowStat;
  /** last.mean - first.mean */
  change: number;
  /** change / sqrt(se_first^2 + se_last^2): how many standard errors the change is */
  z: number;
}

/**
 * The policy's rewards: over every group sampled in a step (`sampled_*`), falling back to the
 * kept batch's (`reward_*`, logs written before the sampled ones existed). The kept batch is
 * what dynamic sampling let through, so its mean can stay flat while the policy improves
 * (fewer groups are dropped).
 */
export const TREND_METRICS = ['reward_doc2code', 'reward_code2doc', 'format_valid'] as const;
const SAMPLED: Record<string, string> = { reward_doc2code: 'sampled_reward_doc2code', reward_code2doc: 'sampled_reward_code2doc', format_valid: 'sampled_format_valid' };

export function windowStat(xs: number[]): WindowStat {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, se: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, se: NaN, n };
  const varS = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(varS / n), n };
}

/**
 * First vs last `window` steps (default: a third of the steps, at least 1) of each metric over
 * the phase-1 step rows (rows without the metric, e.g. evaluation rows, are skipped).
 */
export function rewardTrend(rows: Record<string, unknown>[], metrics: readonly string[] = TREND_METRICS, window?: number): TrendRow[] {
  const out: TrendRow[] = [];
  for (const m of metrics) {
    const key = SAMPLED[m] && rows.some((r) => typeof r[SAMPLED[m]] === 'number') ? SAMPLED[m] : m;
    const ys = rows.filter((r) => typeof r[key] === 'number').map((r) => r[key] as number);
    if (ys.length === 0) continue;
    const w = Math.max(1, Math.min(window ?? Math.floor(ys.length / 3), Math.floor(ys.length / 2)) || 1);
    const first = windowStat(ys.slice(0, w));
    const last = windowStat(ys.slice(ys.length - w));
    const change = last.mean - first.mean;
    const se = Math.sqrt(first.se ** 2 + last.se ** 2);
    out.push({ metric: m, first, last, change, z: Number.isFinite(se) && se > 0 ? change / se : NaN });
  }
  return out;
}

/** e.g. "R_c2d 0.190±0.027 -> 0.259±0.031 (+0.069, 1.7 se)" per metric, joined by "; ". */
export function formatTrend(t: TrendRow[]): string {
  const short: Record<string, string> = { reward_doc2code: 'R_d2c', reward_code2doc: 'R_c2d', format_valid: 'fmt' };
  const f = (s: WindowStat) => `${s.mean.toFixed(3)}${Number.isFinite(s.se) ? '±' + s.se.toFixed(3) : ''}`;
  return t
    .map((r) => `${short[r.metric] ?? r.metric} ${f(r.first)} -> ${f(r.last)} (${r.change >= 0 ? '+' : ''}${r.change.toFixed(3)}${Number.isFinite(r.z) ? `, ${r.z.toFixed(1)} se` : ''})`)
    .join('; ');
}
