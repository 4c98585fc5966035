// CPU float64 reference for kernels/attention.ts (materialises the score matrix: small shapes only).
export interface RefAttnDims {
  B: number; Hq: number; Hkv: number; Tq: number; Tk?: number; D: number; scale?: number; causal?: boolean; causalOffset?: number;
}

function norm(d: RefAttnDims) {
  const Tk = d.Tk ?? d.Tq;
  return { ...d, Tk, scale: d.scale ?? 1 / Math.sqrt(d.D), causal: d.causal ?? true, off: d.causalOffset ?? Tk - d.Tq };
}

/** P[bh][i][j] (0 where masked) and lse; rows with no visible key have lse = -inf and P = 0. */
function probs(q: ArrayLike<number>, k: ArrayLike<number>, dd: RefAttnDims) {
  const d = norm(dd);
  const P: Float64Array[] = [];
  const lse = new Float64Array(d.B * d.Hq * d.Tq);
  const g = d.Hq / d.Hkv;
  for (let b = 0; b < d.B; b++) for (let h = 0; h < d.Hq; h++) {
    const bh = b * d.Hq + h, bk = b * d.Hkv + Math.floor(h / g);
    const p = new Float64Array(d.Tq * d.Tk);
    for (let i = 0; i < d.Tq; i++) {
      const end = d.causal ? Math.max(0, Math.min(d.Tk, i + d.off + 1)) : d.Tk;
      let m = -Infinity;
      const s = new Float64Array(end);
      for (let j = 0; j < end; j++) {
        let acc = 0;
        for (let x = 0; x < d.D; x++) acc += q[(bh * d.Tq + i) * d.D + x] * k[(bk * d.Tk + j) * d.D + x];
        s[j] = acc * d.scale;
        m = Math.max(m, s[j]);
      }
      let sum = 0;
      for (let j = 0; j < end; j++) sum += Math.exp(s[j] - m);
      lse[bh * d.Tq + i] = end ? m + Math.log(sum) : -Infinity;
      for (let j = 0; j < end; j++) p[i * d.Tk + j] = Math.exp(s[j] - m) / sum;
    }
    P.push(p);
  }
  return { P, lse, d };
}

export function refAttention(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dd: RefAttnDims): { out: Float64Array; lse: Float64Array } {
  const { P, lse, d } = probs(q, k, dd);
  const out = new Float64Array(d.B * d.Hq * d.Tq * d.D);
  const g = d.Hq / d.Hkv;
  for (let b = 0; b < d.B; b++) for (let h = 0; h < d.Hq; h++) {
    const bh = b * d.Hq + h, bk = b * d.Hkv + Math.floor(h / g);
    for (let i = 0; i < d.Tq; i++) for (let j = 0; j < d.Tk; j++) {
      const pij = P[bh][i * d.Tk + j];
      if (!pij) continue;
      for (let x = 0; x < d.D; x++) out[(bh * d.Tq + i) * d.D + x] += pij * v[(bk * d.Tk + j) * d.D + x];
    }
  }
  return { out, lse };
}

export function refAttentionBackward(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dout: ArrayLike<number>, dd: RefAttnDims) {
  const { P, d } = probs(q, k, dd);
  const dq = new Float64Array(d.B * d.Hq * d.Tq * d.D);
  const dk = new Float64Array(d.B * d.Hkv * d.Tk * d.D);
  const dv = new Float64Array(d.B * d.Hkv * d.Tk * d.D);
  const g = d.Hq / d.Hkv;
  for (let b = 0; b < d.B; b++) for (let h = 0; h < d.Hq; h++) {
    const bh = b * d.Hq + h, bk = b * d.Hkv + Math.floor(h / g);
    for (let i = 0; i < d.Tq; i++) {
      const qi = (bh * d.Tq + i) * d.D;
      // dP_ij = dO_i . V_j ; dS_ij = P_ij (dP_ij - sum_j' P_ij' dP_ij')
      const dP = new Float64Array(d.Tk);
      let rowDot = 0;
      for (let j = 0; j < d.Tk; j++) {
        const pij = P[bh][i * d.Tk + j];
        if (!pij) continue;
        let acc = 0;
        for (let x = 0; x < d.D; x++) acc += dout[qi + x] * v[(bk * d.Tk + j) * d.D + x];
        dP[j] = acc;
        rowDot += pij * acc;
      }
      for (let j = 0; j < d.Tk; j++) {
        const pij = P[bh][i * d.Tk + j];
        if (!pij) continue;
        const ds = pij * (dP[j] - rowDot) * d.scale;
        const kj = (bk * d.Tk + j) * d.D;
        for (let x = 0; x < d.D; x++) {
          dq[qi + x] += ds * k[kj + x];
          dk[kj + x] += ds * q[qi + x];
          dv[kj + x] += pij * dout[qi + x];
        }
      }
    }
  }
  return { dq, dk, dv };
}

/** Decode: q [B, Hq, D], caches [B, Hkv, Tmax, D], lengths [B]. */
export function refAttentionDecode(q: ArrayLike<number>, kc: ArrayLike<number>, vc: ArrayLike<number>, lengths: ArrayLike<number>, B: number, Hq: number, Hkv: number, Tmax: number, D: number, scale = 1 / Math.sqrt(D)): Float64Array {
  const out = new Float64Array(B * Hq * D);
  const g = Hq / Hkv;
  for (let b = 0; b < B; b++) for (let h = 0; h < Hq; h++) {
    const bh = b * Hq + h, bk = b * Hkv + Math.floor(h / g);
    const len = Math.max(0, Math.min(Tmax, lengths[b]));
    const s = new Float64Array(len);
    let m = -Infinity;
    for (let j = 0; j < len; j++) {
      let acc = 0;
      for (let x = 0; x < D; x++) acc += q[bh * D + x] * kc[(bk * Tmax + j) * D + x];
      s[j] = acc * scale;
      m = Math.max(m, s[j]);
    }
    let sum = 0;
    for (let j = 0; j < len; j++) sum += Math.exp(s[j] - m);
    for (let j = 0; j < len; j++) {
      const w = Math.exp(s[j] - m) / sum;
      for (let x = 0; x < D; x++) out[bh * D + x] += w * vc[(bk * Tmax + j) * D + x];
    }
  }
  return out;
}
