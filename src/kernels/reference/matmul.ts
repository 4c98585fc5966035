// CPU float64 reference for kernels/matmul.ts (same parameters, typed arrays instead of buffers).
export type RefActivation = 'none' | 'relu' | 'gelu' | 'silu';

export function refActivation(x: number, act: RefActivation): number {
  switch (act) {
    case 'none':
      return x;
    case 'relu':
      return Math.max(0, x);
    case 'silu':
      return x / (1 + Math.exp(-x));
    case 'gelu':
      return 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
  }
}

export interface RefMatmulParams {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** initial contents of out (used when accumulate) */
  out?: ArrayLike<number>;
  batch: number;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  aBatchStride?: number;
  bBatchStride?: number;
  bias?: ArrayLike<number>;
  biasOffset?: number;
  residual?: ArrayLike<number>;
  residualOffset?: number;
  alpha?: number;
  activation?: RefActivation;
  accumulate?: boolean;
}

/** Returns the full out array (length outOffset + batch*M*N, untouched prefix copied from p.out). */
export function refMatmul(p: RefMatmulParams): Float64Array {
  const { M, N, K, batch } = p;
  const aOff = p.aOffset ?? 0, bOff = p.bOffset ?? 0, oOff = p.outOffset ?? 0;
  const aS = p.aBatchStride ?? M * K, bS = p.bBatchStride ?? K * N;
  const out = new Float64Array(oOff + batch * M * N);
  if (p.out) for (let i = 0; i < out.length; i++) out[i] = p.out[i];
  const alpha = p.alpha ?? 1;
  for (let z = 0; z < batch; z++) {
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = p.transA ? p.a[aOff + z * aS + k * M + m] : p.a[aOff + z * aS + m * K + k];
          const bv = p.transB ? p.b[bOff + z * bS + n * K + k] : p.b[bOff + z * bS + k * N + n];
          s += av * bv;
        }
        let x = alpha * s;
        if (p.bias) x += p.bias[(p.biasOffset ?? 0) + n];
        x = refActivation(x, p.activation ?? 'none');
        const oi = z * M * N + m * N + n;
        if (p.residual) x += p.residual[(p.residualOffset ?? 0) + oi];
        if (p.accumulate) x += out[oOff + oi];
        out[oOff + oi] = x;
      }
    }
  }
  return out;
}
