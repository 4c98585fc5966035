// pass@k with the unbiased estimator of Chen et al. (2021):
//   pass@k = 1 - C(n - c, k) / C(n, k)  for n samples of which c pass,
// computed as 1 - prod_{i = n-c+1..n} (1 - k / i), which never forms the huge binomials.
// Averaged over problems. With n = 1 (greedy) pass@1 is the fraction solved.

/** Unbiased pass@k for one problem: n samples, c correct. Requires k <= n. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1) {
    throw new Error(`passAtK: need integers n >= 1, 0 <= c <= n, k >= 1 (got n=${n}, c=${c}, k=${k})`);
  }
  if (k > n) throw new Error(`passAtK: k=${k} exceeds the ${n} samples of a problem`);
  if (n - c < k) return 1;
  let prodFail = 1;
  for (let i = n - c + 1; i <= n; i++) prodFail *= 1 - k / i;
  return 1 - prodFail;
}

/** Mean pass@k over problems, each given as {n, c}. Problems with fewer than k samples are an error. */
export function meanPassAtK(problems: readonly { n: number; c: number }[], k: number): number {
  if (problems.length === 0) return NaN;
  let s = 0;
  for (const p of problems) s += passAtK(p.n, p.c, k);
  return s / problems.length;
}
