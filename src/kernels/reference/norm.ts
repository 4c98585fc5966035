// CPU float64 references for kernels/norm.ts.
export function refNorm(kind: 'rms' | 'layer', x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, rows: number, cols: number, eps: number) {
  const y = new Float64Array(rows * cols), rstd = new Float64Array(rows), mean = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let mu = 0;
    if (kind === 'layer') { for (let c = 0; c < cols; c++) mu += x[r * cols + c]; mu /= cols; }
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[r * cols + c] - mu) ** 2;
    const rs = 1 / Math.sqrt(v / cols + eps);
    rstd[r] = rs; mean[r] = mu;
    for (let c = 0; c < cols; c++) y[r * cols + c] = (x[r * cols + c] - mu) * rs * w[c] + (b ? b[c] : 0);
  }
  return { y, rstd, mean };
}

export function refNormBackward(kind: 'rms' | 'layer', x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>, rows: number, cols: number, eps: number) {
  const { rstd, mean } = refNorm(kind, x, w, null, rows, cols, eps);
  const dx = new Float64Array(rows * cols), dw = new Float64Array(cols), db = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    let mg = 0, mgx = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c, g = dy[i] * w[c], xh = (x[i] - mean[r]) * rstd[r];
      mg += g; mgx += g * xh;
      dw[c] += dy[i] * xh; db[c] += dy[i];
    }
    mg /= cols; mgx /= cols;
    if (kind === 'rms') mg = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c, xh = (x[i] - mean[r]) * rstd[r];
      dx[i] = rstd[r] * (dy[i] * w[c] - mg - xh * mgx);
    }
  }
  return { dx, dw, db };
}
