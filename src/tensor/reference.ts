// Float64 CPU reference implementations of the tensor ops: the ground truth every GPU
// kernel is tested against, and the function finite differences are taken of in
// gradient checks. Written for clarity, not speed: contiguous arrays, plain loops.
import { evalBinary, evalUnary, type BinaryOp, type UnaryOp } from '../kernels/expr.js';

export class Ref {
  constructor(
    readonly data: Float64Array,
    readonly shape: number[],
  ) {
    if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`Ref: ${data.length} values for shape [${shape}]`);
  }
  static from(data: ArrayLike<number>, shape: number[]): Ref {
    return new Ref(Float64Array.from(data), [...shape]);
  }
  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }
  strides(): number[] {
    const s: number[] = new Array(this.rank);
    let acc = 1;
    for (let d = this.rank - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= this.shape[d];
    }
    return s;
  }
  at(idx: number[]): number {
    const st = this.strides();
    let o = 0;
    for (let d = 0; d < idx.length; d++) o += idx[d] * st[d];
    return this.data[o];
  }
}

function unravel(i: number, shape: number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return c;
}

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`ref broadcast [${a}] [${b}]`);
    return Math.max(da, db) === 1 ? 1 : da === 1 ? db : da;
  });
}

function readBroadcast(x: Ref, c: number[]): number {
  const off = c.length - x.rank;
  const idx = x.shape.map((d, i) => (d === 1 ? 0 : c[i + off]));
  return x.at(idx);
}

export const ref = {
  unary(op: UnaryOp, x: Ref): Ref {
    return new Ref(x.data.map((v) => evalUnary(op, v)), x.shape);
  },
  binary(op: BinaryOp, a: Ref, b: Ref): Ref {
    const shape = broadcast(a.shape, b.shape);
    const n = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = unravel(i, shape);
      out[i] = evalBinary(op, readBroadcast(a, c), readBroadcast(b, c));
    }
    return new Ref(out, shape);
  },
  where(c: Ref, a: Ref, b: Ref): Ref {
    const shape = broadcast(broadcast(c.shape, a.shape), b.shape);
    const n = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = unravel(i, shape);
      out[i] = readBroadcast(c, k) !== 0 ? readBroadcast(a, k) : readBroadcast(b, k);
    }
    return new Ref(out, shape);
  },
  map(x: Ref, f: (v: number) => number): Ref {
    return new Ref(x.data.map(f), x.shape);
  },
  reduce(x: Ref, axes: number[], op: 'sum' | 'max' | 'min' | 'mean' | 'argmax', keepdim = false): Ref {
    const ax = axes.map((a) => (a < 0 ? a + x.rank : a));
    const outShapeK = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
    const n = outShapeK.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n).fill(op === 'max' || op === 'argmax' ? -Infinity : op === 'min' ? Infinity : 0);
    const arg = new Float64Array(n);
    const cnt = ax.reduce((p, a) => p * x.shape[a], 1);
    const ost = outShapeK.map((_, d) => outShapeK.slice(d + 1).reduce((p, v) => p * v, 1));
    const redShape = ax.map((a) => x.shape[a]);
    for (let i = 0; i < x.size; i++) {
      const c = unravel(i, x.shape);
      let o = 0;
      for (let d = 0; d < c.length; d++) o += (ax.includes(d) ? 0 : c[d]) * ost[d];
      const v = x.data[i];
      if (op === 'sum' || op === 'mean') out[o] += v;
      else if (op === 'max') out[o] = Math.max(out[o], v);
      else if (op === 'min') out[o] = Math.min(out[o], v);
      else if (v > out[o]) {
        out[o] = v;
        let j = 0;
        for (let k = 0; k < ax.length; k++) j = j * redShape[k] + c[ax[k]];
        arg[o] = j;
      }
    }
    if (op === 'mean') for (let i = 0; i < n; i++) out[i] /= cnt;
    const shape = keepdim ? outShapeK : x.shape.filter((_, i) => !ax.includes(i));
    return new Ref(op === 'argmax' ? arg : out, shape);
  },
  matmul(a: Ref, b: Ref): Ref {
    const M = a.shape[a.rank - 2], K = a.shape[a.rank - 1], N = b.shape[b.rank - 1];
    const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const nb = batch.reduce((p, d) => p * d, 1);
    const out = new Float64Array(nb * M * N);
    for (let bi = 0; bi < nb; bi++) {
      const c = unravel(bi, batch);
      const ao = batchOffset(a, c) , bo = batchOffset(b, c);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a.data[ao + i * K + k] * b.data[bo + k * N + j];
          out[bi * M * N + i * N + j] = s;
        }
    }
    return new Ref(out, [...batch, M, N]);
  },
  transpose(x: Ref, p: number[]): Ref {
    const shape = p.map((d) => x.shape[d]);
    const n = x.size;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = unravel(i, shape);
      const src = new Array<number>(x.rank);
      p.forEach((d, k) => (src[d] = c[k]));
      out[i] = x.at(src);
    }
    return new Ref(out, shape);
  },
  slice(x: Ref, axis: number, start: number, end: number, step = 1): Ref {
    const shape = [...x.shape];
    shape[axis] = Math.ceil((end - start) / step);
    const n = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = unravel(i, shape);
      c[axis] = start + c[axis] * step;
      out[i] = x.at(c);
    }
    return new Ref(out, shape);
  },
  concat(xs: Ref[], axis: number): Ref {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    const n = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = unravel(i, shape);
      let k = 0;
      while (c[axis] >= xs[k].shape[axis]) {
        c[axis] -= xs[k].shape[axis];
        k++;
      }
      out[i] = xs[k].at(c);
    }
    return new Ref(out, shape);
  },
  softmax(x: Ref, log = false): Ref {
    const V = x.shape[x.rank - 1];
    const out = new Float64Array(x.size);
    for (let r = 0; r < x.size / V; r++) {
      let m = -Infinity;
      for (let j = 0; j < V; j++) m = Math.max(m, x.data[r * V + j]);
      let s = 0;
      for (let j = 0; j < V; j++) s += Math.exp(x.data[r * V + j] - m);
      for (let j = 0; j < V; j++) out[r * V + j] = log ? x.data[r * V + j] - m - Math.log(s) : Math.exp(x.data[r * V + j] - m) / s;
    }
    return new Ref(out, x.shape);
  },
  indexSelect(x: Ref, axis: number, idx: number[]): Ref {
    const shape = [...x.shape];
    shape[axis] = idx.length;
    const n = shape.reduce((p, d) => p * d, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = unravel(i, shape);
      c[axis] = idx[c[axis]];
      out[i] = x.at(c);
    }
    return new Ref(out, shape);
  },
  gather(x: Ref, axis: number, idx: Ref): Ref {
    const out = new Float64Array(idx.size);
    for (let i = 0; i < idx.size; i++) {
      const c = unravel(i, idx.shape);
      c[axis] = idx.data[i];
      out[i] = x.at(c);
    }
    return new Ref(out, idx.shape);
  },
  cumsum(x: Ref, axis: number, reverse = false): Ref {
    const out = new Float64Array(x.size);
    const st = x.strides();
    for (let i = 0; i < x.size; i++) {
      const c = unravel(i, x.shape);
      let s = 0;
      const n = x.shape[axis];
      const from = reverse ? c[axis] : 0, to = reverse ? n - 1 : c[axis];
      for (let j = from; j <= to; j++) s += x.data[i + (j - c[axis]) * st[axis]];
      out[i] = s;
    }
    return new Ref(out, x.shape);
  },
  crossEntropy(logits: Ref, targets: number[], ignore = -100): number {
    const ls = ref.softmax(logits, true);
    const V = logits.shape[logits.rank - 1];
    let s = 0, n = 0;
    targets.forEach((t, r) => {
      if (t === ignore) return;
      s -= ls.data[r * V + t];
      n++;
    });
    return s / Math.max(n, 1);
  },
};

function batchOffset(x: Ref, c: number[]): number {
  const mat = x.shape[x.rank - 2] * x.shape[x.rank - 1];
  const bs = x.shape.slice(0, -2);
  const off = c.length - bs.length;
  let o = 0;
  for (let d = 0; d < bs.length; d++) o = o * bs[d] + (bs[d] === 1 ? 0 : c[d + off]);
  return o * mat;
}

/** Seeded PRNG for test data (mulberry32): reproducible inputs without the GPU. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomRef(rng: () => number, shape: number[], lo = -1, hi = 1): Ref {
  const n = shape.reduce((p, d) => p * d, 1);
  return new Ref(Float64Array.from({ length: n }, () => lo + (hi - lo) * rng()), shape);
}
