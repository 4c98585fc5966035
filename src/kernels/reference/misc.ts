// CPU float64 references for rope, swiglu, adamw and the global gradient norm.
export function refRope(x: ArrayLike<number>, B: number, H: number, T: number, D: number, o: { layout?: 'bhtd' | 'bthd'; rotaryDim?: number; base?: number; scale?: number; positions?: ArrayLike<number>; offset?: number; inverse?: boolean } = {}): Float64Array {
  const R = o.rotaryDim ?? D, half = R / 2, base = o.base ?? 10000;
  const y = Float64Array.from(x as ArrayLike<number>);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) {
    const row = (o.layout ?? 'bhtd') === 'bhtd' ? (b * H + h) * T + t : (b * T + t) * H + h;
    const pos = (o.positions ? o.positions[b * T + t] : t + (o.offset ?? 0)) / (o.scale ?? 1);
    for (let i = 0; i < half; i++) {
      const ang = pos * Math.pow(base, (-2 * i) / R);
      const c = Math.cos(ang), s = (o.inverse ? -1 : 1) * Math.sin(ang);
      const x1 = x[row * D + i], x2 = x[row * D + i + half];
      y[row * D + i] = x1 * c - x2 * s;
      y[row * D + i + half] = x2 * c + x1 * s;
    }
  }
  return y;
}

export function refSwiglu(g: ArrayLike<number>, u: ArrayLike<number>, dout?: ArrayLike<number>) {
  const n = g.length;
  const out = new Float64Array(n), dg = new Float64Array(n), du = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = 1 / (1 + Math.exp(-g[i]));
    out[i] = g[i] * s * u[i];
    if (dout) {
      dg[i] = dout[i] * u[i] * s * (1 + g[i] * (1 - s));
      du[i] = dout[i] * g[i] * s;
    }
  }
  return { out, dg, du };
}

export function refAdamw(param: ArrayLike<number>, grad: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, h: { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; step: number; gradScale?: number; clip?: number }) {
  const b1 = h.beta1 ?? 0.9, b2 = h.beta2 ?? 0.999, eps = h.eps ?? 1e-8, wd = h.weightDecay ?? 0;
  const n = param.length;
  const P = new Float64Array(n), M = new Float64Array(n), V = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = grad[i] * (h.gradScale ?? 1) * (h.clip ?? 1);
    M[i] = b1 * m[i] + (1 - b1) * g;
    V[i] = b2 * v[i] + (1 - b2) * g * g;
    const mh = M[i] / (1 - b1 ** h.step), vh = V[i] / (1 - b2 ** h.step);
    P[i] = param[i] - h.lr * (mh / (Math.sqrt(vh) + eps) + wd * param[i]);
  }
  return { param: P, m: M, v: V };
}
