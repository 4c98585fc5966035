// CPU float64 references for kernels/softmax.ts.
export function refSoftmax(x: ArrayLike<number>, rows: number, cols: number, log = false): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c] - m);
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c] - m;
      out[r * cols + c] = log ? v - Math.log(s) : Math.exp(v) / s;
    }
  }
  return out;
}

/** dx given forward output y (probabilities, or log-probabilities when log) and dy. */
export function refSoftmaxBackward(y: ArrayLike<number>, dy: ArrayLike<number>, rows: number, cols: number, log = false): Float64Array {
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let g = 0;
    for (let c = 0; c < cols; c++) g += log ? dy[r * cols + c] : dy[r * cols + c] * y[r * cols + c];
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      dx[i] = log ? dy[i] - Math.exp(y[i]) * g : y[i] * (dy[i] - g);
    }
  }
  return dx;
}
