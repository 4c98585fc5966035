// CPU float64 references for kernels/logprob.ts and kernels/cross-entropy.ts.
export interface RefLogprob { logp: Float64Array; lse: Float64Array; entropy: Float64Array }

export function refLogprob(x: ArrayLike<number>, t: ArrayLike<number>, rows: number, V: number, scale = 1, ignoreIndex = -1): RefLogprob {
  const logp = new Float64Array(rows), lse = new Float64Array(rows), entropy = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, scale * x[r * V + j]);
    let s = 0;
    for (let j = 0; j < V; j++) s += Math.exp(scale * x[r * V + j] - m);
    lse[r] = m + Math.log(s);
    let h = 0;
    for (let j = 0; j < V; j++) {
      const lp = scale * x[r * V + j] - lse[r];
      h -= Math.exp(lp) * lp;
    }
    entropy[r] = h;
    const tt = t[r];
    logp[r] = tt >= 0 && tt < V && tt !== ignoreIndex ? scale * x[r * V + tt] - lse[r] : 0;
  }
  return { logp, lse, entropy };
}

/** d/dx of sum_r (dlogp[r] * logp[r] + dent[r] * entropy[r]). */
export function refLogprobBackward(x: ArrayLike<number>, t: ArrayLike<number>, rows: number, V: number, dlogp: ArrayLike<number>, dent: ArrayLike<number> | null, scale = 1, ignoreIndex = -1): Float64Array {
  const { lse, entropy } = refLogprob(x, t, rows, V, scale, ignoreIndex);
  const dx = new Float64Array(rows * V);
  for (let r = 0; r < rows; r++) {
    const tt = t[r];
    const ok = tt >= 0 && tt < V && tt !== ignoreIndex;
    for (let j = 0; j < V; j++) {
      const lp = scale * x[r * V + j] - lse[r];
      const p = Math.exp(lp);
      let d = ok ? dlogp[r] * ((j === tt ? 1 : 0) - p) : 0;
      if (dent) d += dent[r] * -p * (lp + entropy[r]);
      dx[r * V + j] = scale * d;
    }
  }
  return dx;
}
