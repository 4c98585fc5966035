// Interval estimates for evaluations and experiments, in one place.
//
//   mean                 m = (1/n) sum x_i
//   percentile bootstrap  (over the n items, e.g. the evaluation tasks): draw B resamples of
//                        n items with replacement (seeded), take each resample's mean m*_b;
//                        the 95% interval is the 2.5th and 97.5th percentiles of {m*_b}
//                        (linear interpolation between order statistics, numpy's default).
//                        B = 2,000 by default. With n = 1 or constant data the interval is
//                        the point.
//   t-interval           (over seeds: few numbers, where a bootstrap of 3 values is too coarse)
//                        m +- t_{0.975, n-1} * s / sqrt(n),  s^2 = sum (x_i - m)^2 / (n - 1).
//                        n = 1 gives (-inf, +inf): one seed says nothing about the spread.
//   paired difference    the t-interval of d_i = a_i - b_i (the same seed's data draw and
//                        evaluation tasks in both arms, so the seed-to-seed variation cancels).
//
// Non-finite values (NaN: a task whose language runtime was missing) are left out; n counts
// the values used.
import { Rng } from '../util/rng.js';

/** A mean with its 95% interval and the number of values behind it. */
export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

const finite = (xs: readonly number[]) => xs.filter((x) => Number.isFinite(x));

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** The q-quantile (0 <= q <= 1) of sorted values, linear between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** Percentile-bootstrap 95% interval of the mean of `values` (resampled items, seeded). */
export function bootstrapMean(values: readonly number[], o: { resamples?: number; seed?: number | string } = {}): Estimate {
  const xs = finite(values);
  const n = xs.length;
  const m = mean(xs);
  if (n <= 1) return { mean: m, lo: m, hi: m, n };
  const B = o.resamples ?? 2000;
  if (!Number.isInteger(B) || B < 1) throw new Error(`bootstrap: resamples must be an integer >= 1, got ${B}`);
  const rng = new Rng(o.seed ?? 0).split('bootstrap');
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[rng.int(n)];
    means[b] = s / n;
  }
  means.sort();
  const sorted = Array.from(means);
  return { mean: m, lo: quantile(sorted, 0.025), hi: quantile(sorted, 0.975), n };
}

// t_{0.975, df} for df = 1..30; beyond 30 the normal 1.96 is within 2%.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Student-t 95% interval of the mean (for a handful of seeds). */
export function tInterval(values: readonly number[]): Estimate {
  const xs = finite(values);
  const n = xs.length;
  const m = mean(xs);
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n };
  if (n === 1) return { mean: m, lo: -Infinity, hi: Infinity, n };
  const s = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
  const h = (T975[n - 2] ?? 1.96) * (s / Math.sqrt(n));
  return { mean: m, lo: m - h, hi: m + h, n };
}

/** The t-interval of a_i - b_i over the pairs where both are finite. */
export function pairedDifference(a: readonly number[], b: readonly number[]): Estimate {
  if (a.length !== b.length) throw new Error(`paired difference: ${a.length} vs ${b.length} values`);
  return tInterval(a.map((x, i) => x - b[i]));
}

/** Whether the interval lies entirely on one side of zero. */
export function excludesZero(e: Estimate): boolean {
  return e.lo > 0 || e.hi < 0;
}

/** "0.158 [0.102, 0.215] n=32" (percent with `pct`). */
export function formatEstimate(e: Estimate | undefined, o: { pct?: boolean; digits?: number } = {}): string {
  if (!e || !Number.isFinite(e.mean)) return '-';
  const d = o.digits ?? (o.pct ? 1 : 3);
  const f = (x: number) => (x === Infinity ? '+inf' : x === -Infinity ? '-inf' : o.pct ? `${(100 * x).toFixed(d)}%` : x.toFixed(d));
  return `${f(e.mean)} [${f(e.lo)}, ${f(e.hi)}] n=${e.n}`;
}
