// Forward and gradient checks of every differentiable op against the float64 reference.
//
// For each case: random inputs (seeded); forward on the GPU vs reference; then the
// scalar L = sum(op(x) * R) for a fixed random R, its gradient from our autograd on the
// GPU (f32) vs central differences of the float64 reference (h = 1e-5). The reported
// error is max_i |g_i - n_i| / max(|g_i|, |n_i|, 1e-2 * max_j |n_j|).
// Used by test/tensor/gradcheck.test.ts and by `batcoder gradcheck`.
import type { Gpu } from '../gpu/index.js';
import * as T from './index.js';
import type { Tensor } from './index.js';
import * as F from './ops/fused.js';
import { Ref, ref, randomRef, seededRandom } from './reference.js';

export interface InputSpec {
  shape: number[];
  lo?: number;
  hi?: number;
  /** integer inputs in [0, int) uploaded as i32 (no gradient) */
  int?: number;
  /** a constant float input (mask, etc.): no gradient */
  constant?: boolean;
  /** upload as a non-contiguous view: stored transposed (last two dims swapped) */
  transposed?: boolean;
}

export interface OpCase {
  name: string;
  inputs: InputSpec[];
  gpu: (xs: Tensor[]) => Tensor;
  ref: (xs: Ref[]) => Ref;
  /** forward tolerance (relative) */
  fwdTol?: number;
  /** gradient tolerance (relative, see above) */
  gradTol?: number;
  /** skip the gradient check (non-differentiable op) */
  noGrad?: boolean;
}

const sc = (v: number): Ref => new Ref(Float64Array.of(v), []);

export function opCases(): OpCase[] {
  const u = (name: string, op: Parameters<typeof ref.unary>[0], f: (x: Tensor) => Tensor, lo = -2, hi = 2): OpCase => ({
    name, inputs: [{ shape: [3, 7], lo, hi }], gpu: ([x]) => f(x), ref: ([x]) => ref.unary(op, x),
  });
  const b = (name: string, op: Parameters<typeof ref.binary>[0], f: (a: Tensor, b: Tensor) => Tensor, sa: number[], sb: number[], lo = -2, hi = 2): OpCase => ({
    name, inputs: [{ shape: sa, lo, hi }, { shape: sb, lo, hi }], gpu: ([x, y]) => f(x, y), ref: ([x, y]) => ref.binary(op, x, y),
  });
  return [
    u('neg', 'neg', T.neg),
    u('exp', 'exp', T.exp),
    u('log', 'log', T.log, 0.2, 3),
    u('sqrt', 'sqrt', T.sqrt, 0.2, 3),
    u('rsqrt', 'rsqrt', T.rsqrt, 0.2, 3),
    u('tanh', 'tanh', T.tanh),
    u('sigmoid', 'sigmoid', T.sigmoid),
    u('relu', 'relu', T.relu),
    u('gelu', 'gelu', T.gelu, -3, 3),
    u('silu', 'silu', T.silu, -3, 3),
    u('abs', 'abs', T.abs),
    u('square', 'square', T.square),
    u('reciprocal', 'recip', T.reciprocal, 0.3, 2),
    u('sin', 'sin', T.sin),
    u('cos', 'cos', T.cos),
    { name: 'pow(x, 2.5)', inputs: [{ shape: [4, 5], lo: 0.2, hi: 2 }], gpu: ([x]) => T.pow(x, 2.5), ref: ([x]) => ref.map(x, (v) => v ** 2.5) },
    { name: 'pow(x, 3)', inputs: [{ shape: [4, 5] }], gpu: ([x]) => T.pow(x, 3), ref: ([x]) => ref.map(x, (v) => v ** 3) },
    { name: 'clamp', inputs: [{ shape: [5, 6] }], gpu: ([x]) => T.clamp(x, -0.5, 0.4), ref: ([x]) => ref.map(x, (v) => Math.min(Math.max(v, -0.5), 0.4)) },
    b('add (broadcast)', 'add', T.add, [3, 1, 5], [4, 1]),
    b('sub (broadcast)', 'sub', T.sub, [2, 3], [3]),
    b('mul (broadcast)', 'mul', T.mul, [1, 4], [3, 1]),
    b('div', 'div', T.div, [3, 4], [3, 4], 0.5, 2),
    b('maximum', 'max', T.maximum, [3, 5], [5]),
    b('minimum', 'min', T.minimum, [3, 5], [3, 1]),
    { name: 'add (transposed view)', inputs: [{ shape: [5, 3], transposed: true }, { shape: [5, 3] }], gpu: ([x, y]) => T.add(x, y), ref: ([x, y]) => ref.binary('add', x, y) },
    { name: 'mul scalar', inputs: [{ shape: [7] }], gpu: ([x]) => T.mul(x, -1.75), ref: ([x]) => ref.map(x, (v) => v * -1.75) },
    { name: 'where', inputs: [{ shape: [3, 4], int: 2, constant: true }, { shape: [3, 4] }, { shape: [4] }],
      gpu: ([c, a, b]) => T.where(T.cast(c, 'f32'), a, b), ref: ([c, a, b]) => ref.where(c, a, b) },
    { name: 'maskedFill', inputs: [{ shape: [2, 5] }, { shape: [1, 5], int: 2, constant: true }],
      gpu: ([x, m]) => T.maskedFill(x, T.cast(m, 'f32'), -3), ref: ([x, m]) => ref.where(m, ref.binary('add', ref.map(m, () => -3), sc(0)), x) },
    { name: 'sum(all)', inputs: [{ shape: [3, 4, 5] }], gpu: ([x]) => T.sum(x), ref: ([x]) => ref.reduce(x, [0, 1, 2], 'sum') },
    { name: 'sum(axis 1, keepdim)', inputs: [{ shape: [3, 4, 5] }], gpu: ([x]) => T.sum(x, 1, true), ref: ([x]) => ref.reduce(x, [1], 'sum', true) },
    { name: 'sum(axes 0,2)', inputs: [{ shape: [3, 4, 5] }], gpu: ([x]) => T.sum(x, [0, 2]), ref: ([x]) => ref.reduce(x, [0, 2], 'sum') },
    { name: 'mean(axis -1)', inputs: [{ shape: [6, 9] }], gpu: ([x]) => T.mean(x, -1), ref: ([x]) => ref.reduce(x, [1], 'mean') },
    { name: 'max(axis 0)', inputs: [{ shape: [5, 7] }], gpu: ([x]) => T.max(x, 0), ref: ([x]) => ref.reduce(x, [0], 'max') },
    { name: 'min(axis -1, keepdim)', inputs: [{ shape: [4, 6] }], gpu: ([x]) => T.min(x, -1, true), ref: ([x]) => ref.reduce(x, [1], 'min', true) },
    { name: 'variance(axis -1)', inputs: [{ shape: [4, 8] }], gpu: ([x]) => T.variance(x, -1),
      ref: ([x]) => { const m = ref.reduce(x, [1], 'mean', true); const d = ref.binary('sub', x, m); return ref.reduce(ref.binary('mul', d, d), [1], 'mean'); } },
    { name: 'matmul', inputs: [{ shape: [5, 7] }, { shape: [7, 3] }], gpu: ([a, b]) => T.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b), fwdTol: 1e-4 },
    { name: 'matmul (batched, broadcast)', inputs: [{ shape: [2, 3, 4, 5] }, { shape: [3, 5, 6] }], gpu: ([a, b]) => T.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b), fwdTol: 1e-4 },
    { name: 'matmul (transposed operands)', inputs: [{ shape: [6, 9], transposed: true }, { shape: [9, 4], transposed: true }],
      gpu: ([a, b]) => T.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b), fwdTol: 1e-4 },
    { name: 'softmax', inputs: [{ shape: [4, 11], lo: -3, hi: 3 }], gpu: ([x]) => T.softmax(x), ref: ([x]) => ref.softmax(x) },
    { name: 'logSoftmax', inputs: [{ shape: [3, 2, 9], lo: -3, hi: 3 }], gpu: ([x]) => T.logSoftmax(x), ref: ([x]) => ref.softmax(x, true) },
    { name: 'logSumExp', inputs: [{ shape: [5, 6], lo: -3, hi: 3 }], gpu: ([x]) => T.logSumExp(x),
      ref: ([x]) => { const ls = ref.softmax(x, true); return ref.reduce(ref.binary('sub', x, ls), [1], 'mean', true); } },
    { name: 'crossEntropy (ignore index)', inputs: [{ shape: [6, 5], lo: -2, hi: 2 }],
      gpu: ([x]) => T.crossEntropy(x, T.tensor(x.gpu, [1, 4, -100, 0, 2, 2], [6], 'i32')),
      ref: ([x]) => sc(ref.crossEntropy(x, [1, 4, -100, 0, 2, 2])) },
    { name: 'indexSelect (embedding)', inputs: [{ shape: [7, 4] }],
      gpu: ([x]) => T.indexSelect(x, 0, T.tensor(x.gpu, [3, 0, 3, 6, 1], [5], 'i32')), ref: ([x]) => ref.indexSelect(x, 0, [3, 0, 3, 6, 1]) },
    { name: 'indexSelect (axis 1, atomic backward)', inputs: [{ shape: [3, 5, 2] }],
      gpu: ([x]) => T.indexSelect(x, 1, T.cast(T.tensor(x.gpu, [4, 4, 0], [3], 'f32'), 'i32')), ref: ([x]) => ref.indexSelect(x, 1, [4, 4, 0]) },
    { name: 'gather', inputs: [{ shape: [4, 6] }, { shape: [4, 2], int: 6, constant: true }],
      gpu: ([x, i]) => T.gather(x, 1, i), ref: ([x, i]) => ref.gather(x, 1, i) },
    { name: 'concat', inputs: [{ shape: [2, 3] }, { shape: [2, 4] }], gpu: ([a, b]) => T.concat([a, b], 1), ref: ([a, b]) => ref.concat([a, b], 1) },
    { name: 'stack', inputs: [{ shape: [3] }, { shape: [3] }], gpu: ([a, b]) => T.stack([a, b], 0), ref: ([a, b]) => ref.concat([new Ref(a.data, [1, 3]), new Ref(b.data, [1, 3])], 0) },
    { name: 'slice (step 2)', inputs: [{ shape: [4, 9] }], gpu: ([x]) => T.slice(x, 1, 1, 8, 2), ref: ([x]) => ref.slice(x, 1, 1, 8, 2) },
    { name: 'split[1]', inputs: [{ shape: [6, 2] }], gpu: ([x]) => T.split(x, [2, 3, 1], 0)[1], ref: ([x]) => ref.slice(x, 0, 2, 5) },
    { name: 'permute', inputs: [{ shape: [2, 3, 4] }], gpu: ([x]) => T.permute(x, [2, 0, 1]), ref: ([x]) => ref.transpose(x, [2, 0, 1]) },
    { name: 'reshape (of a transpose)', inputs: [{ shape: [3, 4] }], gpu: ([x]) => T.reshape(T.transpose(x), [2, 6]), ref: ([x]) => new Ref(ref.transpose(x, [1, 0]).data, [2, 6]) },
    { name: 'expand', inputs: [{ shape: [3, 1] }], gpu: ([x]) => T.expand(x, [2, 3, 4]), ref: ([x]) => ref.binary('add', x, new Ref(new Float64Array(24), [2, 3, 4])) },
    { name: 'cumsum', inputs: [{ shape: [3, 5] }], gpu: ([x]) => T.cumsum(x, 1), ref: ([x]) => ref.cumsum(x, 1) },
    { name: 'cumsum (axis 0)', inputs: [{ shape: [4, 3] }], gpu: ([x]) => T.cumsum(x, 0), ref: ([x]) => ref.cumsum(x, 0) },
    { name: 'oneHot * x', inputs: [{ shape: [4, 3] }], gpu: ([x]) => T.mul(T.oneHot(T.tensor(x.gpu, [2, 0, 1, 2], [4], 'i32'), 3), x),
      ref: ([x]) => ref.binary('mul', Ref.from([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1], [4, 3]), x), fwdTol: 1e-6 },
    { name: 'linear (bias epilogue)', inputs: [{ shape: [2, 3, 5] }, { shape: [4, 5] }, { shape: [4] }], gpu: ([x, w, b]) => T.linear(x, w, b),
      ref: ([x, w, b]) => ref.binary('add', ref.matmul(x, ref.transpose(w, [1, 0])), b), fwdTol: 1e-4 },
    { name: 'linear (bias + residual epilogue)', inputs: [{ shape: [2, 3, 5] }, { shape: [7, 5] }, { shape: [7] }, { shape: [2, 3, 7] }], gpu: ([x, w, b, r]) => T.linear(x, w, b, r),
      ref: ([x, w, b, r]) => ref.binary('add', ref.binary('add', ref.matmul(x, ref.transpose(w, [1, 0])), b), r), fwdTol: 1e-4 },
    { name: 'linear (residual, transposed view)', inputs: [{ shape: [4, 6] }, { shape: [5, 6] }, { shape: [5, 4] }], gpu: ([x, w, r]) => T.linear(x, w, null, T.transpose(r)),
      ref: ([x, w, r]) => ref.binary('add', ref.matmul(x, ref.transpose(w, [1, 0])), ref.transpose(r, [1, 0])), fwdTol: 1e-4 },
    // fused kernels (one forward and one backward kernel each)
    { name: 'rmsNorm (fused)', inputs: [{ shape: [6, 10] }, { shape: [10], lo: 0.5, hi: 1.5 }], gpu: ([x, w]) => F.rmsNormFused(x, w, 1e-6),
      ref: ([x, w]) => ref.binary('mul', ref.binary('div', x, ref.map(ref.reduce(ref.binary('mul', x, x), [1], 'mean', true), (v) => Math.sqrt(v + 1e-6))), w), fwdTol: 1e-5 },
    { name: 'attention (fused, GQA)', inputs: [{ shape: [2, 4, 5, 4] }, { shape: [2, 2, 5, 4] }, { shape: [2, 2, 5, 4] }],
      gpu: ([q, k, v]) => F.attentionFused(q, k, v), ref: ([q, k, v]) => gqaAttentionRef(q, k, v), fwdTol: 1e-4, gradTol: 5e-3 },
    { name: 'tokenLogProb (fused, ignore)', inputs: [{ shape: [5, 9], lo: -3, hi: 3 }],
      gpu: ([x]) => F.tokenLogProbFused(x, T.tensor(x.gpu, [3, 0, -100, 8, 4], [5], 'i32')),
      ref: ([x]) => { const ls = ref.softmax(x, true); return Ref.from([3, 0, -100, 8, 4].map((t, r) => (t < 0 ? 0 : ls.data[r * 9 + t])), [5]); } },
    { name: 'rope (fused)', inputs: [{ shape: [2, 3, 4, 6] }], gpu: ([x]) => F.ropeFused(x, Int32Array.from([0, 1, 2, 3, 5, 6, 7, 9]), 10000),
      ref: ([x]) => ropeRef(x, [0, 1, 2, 3, 5, 6, 7, 9], 10000) },
    { name: 'swiglu (fused)', inputs: [{ shape: [4, 7], lo: -3, hi: 3 }, { shape: [4, 7] }], gpu: ([g, u]) => F.swigluFused(g, u),
      ref: ([g, u]) => ref.binary('mul', ref.unary('silu', g), u) },
    // composed: a 2-layer MLP and a causal attention block
    { name: 'MLP (composed)', inputs: [{ shape: [5, 4] }, { shape: [4, 8] }, { shape: [8] }, { shape: [8, 3] }],
      gpu: ([x, w1, b1, w2]) => T.matmul(T.gelu(T.add(T.matmul(x, w1), b1)), w2),
      ref: ([x, w1, b1, w2]) => ref.matmul(ref.unary('gelu', ref.binary('add', ref.matmul(x, w1), b1)), w2), fwdTol: 1e-4 },
    { name: 'attention block (composed)', inputs: [{ shape: [2, 5, 4] }, { shape: [2, 5, 4] }, { shape: [2, 5, 4] }],
      gpu: ([q, k, v]) => attentionGpu(q, k, v), ref: ([q, k, v]) => attentionRef(q, k, v), fwdTol: 1e-4 },
  ];
}

function gqaAttentionRef(q: Ref, k: Ref, v: Ref): Ref {
  const [B, Hq, Tn, D] = q.shape, Hkv = k.shape[1], rep = Hq / Hkv;
  const out = new Float64Array(q.size);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < Hq; h++) {
      const kh = Math.floor(h / rep);
      const sl = (r: Ref, head: number, H: number) => new Ref(r.data.slice(((b * H + head) * Tn) * D, ((b * H + head + 1) * Tn) * D), [1, Tn, D]);
      const o = attentionRef(sl(q, h, Hq), sl(k, kh, Hkv), sl(v, kh, Hkv));
      out.set(o.data, ((b * Hq + h) * Tn) * D);
    }
  return new Ref(out, q.shape);
}

function ropeRef(x: Ref, pos: number[], base: number): Ref {
  const [B, H, Tn, D] = x.shape, half = D / 2;
  const out = new Float64Array(x.size);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < Tn; t++) {
        const o = ((b * H + h) * Tn + t) * D;
        for (let i = 0; i < half; i++) {
          const a = pos[b * Tn + t] * base ** ((-2 * i) / D);
          const x1 = x.data[o + i], x2 = x.data[o + i + half];
          out[o + i] = x1 * Math.cos(a) - x2 * Math.sin(a);
          out[o + i + half] = x2 * Math.cos(a) + x1 * Math.sin(a);
        }
      }
  return new Ref(out, x.shape);
}

function causalMaskRef(t: number): Ref {
  return Ref.from(Array.from({ length: t * t }, (_, i) => (i % t > Math.floor(i / t) ? 1 : 0)), [t, t]);
}

function attentionGpu(q: Tensor, k: Tensor, v: Tensor): Tensor {
  const t = q.shape[1];
  const s = T.mul(T.matmul(q, T.transpose(k)), 1 / Math.sqrt(q.shape[2]));
  const mask = T.tensor(q.gpu, causalMaskRef(t).data, [t, t], 'f32');
  const p = T.softmax(T.maskedFill(s, mask, -1e9));
  return T.matmul(p, v);
}

function attentionRef(q: Ref, k: Ref, v: Ref): Ref {
  const t = q.shape[1];
  const s = ref.map(ref.matmul(q, ref.transpose(k, [0, 2, 1])), (x) => x / Math.sqrt(q.shape[2]));
  const p = ref.softmax(ref.where(causalMaskRef(t), Ref.from([-1e9], []), s));
  return ref.matmul(p, v);
}

export interface CheckResult {
  name: string;
  forwardError: number;
  gradError: number | null;
  ok: boolean;
  message?: string;
}

function upload(gpu: Gpu, r: Ref, spec: InputSpec, requiresGrad: boolean): Tensor {
  if (spec.int) return T.tensor(gpu, Int32Array.from(r.data), r.shape, 'i32');
  if (spec.transposed) {
    const rk = r.rank;
    const perm = Array.from({ length: rk }, (_, i) => i);
    [perm[rk - 2], perm[rk - 1]] = [perm[rk - 1], perm[rk - 2]];
    const stored = ref.transpose(r, perm);
    const base = T.tensor(gpu, Float32Array.from(stored.data), stored.shape);
    const view = T.transpose(base);
    base.dispose();
    view.requiresGrad = requiresGrad;
    return view;
  }
  return T.tensor(gpu, Float32Array.from(r.data), r.shape, 'f32', { requiresGrad });
}

function makeInputs(c: OpCase, seed: number): Ref[] {
  const rng = seededRandom(seed);
  return c.inputs.map((s) => {
    if (s.int) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      return Ref.from(Array.from({ length: n }, () => Math.floor(rng() * s.int!)), s.shape);
    }
    // keep |x| away from 0 for ops with kinks there (relu, abs, clamp) by redrawing tiny values
    const r = randomRef(rng, s.shape, s.lo ?? -1, s.hi ?? 1);
    for (let i = 0; i < r.size; i++) if (Math.abs(r.data[i]) < 1e-3) r.data[i] = 0.01;
    return r;
  });
}

function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let e = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(Math.abs(got[i]), Math.abs(want[i]), 1e-2 * scale, 1e-12);
    if (!(d <= e)) e = d;
  }
  return e;
}

export async function checkOp(gpu: Gpu, c: OpCase, seed = 1234): Promise<CheckResult> {
  const xs = makeInputs(c, seed);
  const fwdTol = c.fwdTol ?? 2e-5;
  const gradTol = c.gradTol ?? 3e-3;
  const want = c.ref(xs);
  const grads: (Float32Array | null)[] = [];
  let forwardError = 0;
  let gotShape: number[] = [];
  await T.tidy(async () => {
    const ts = xs.map((r, i) => upload(gpu, r, c.inputs[i], !c.noGrad && !c.inputs[i].int && !c.inputs[i].constant));
    const y = c.gpu(ts);
    gotShape = y.shape;
    const got = await y.toArray();
    forwardError = relErr(got, want.data);
    if (!c.noGrad) {
      const R = randomRef(seededRandom(seed + 1), want.shape);
      const loss = T.sum(T.mul(y, T.tensor(gpu, Float32Array.from(R.data), R.shape)));
      loss.backward();
      for (const t of ts) grads.push(t.grad ? await t.grad.toFloat32Array() : null);
      for (const t of ts) t.grad?.dispose();
    }
  });
  if (gotShape.join() !== want.shape.join()) {
    return { name: c.name, forwardError: Infinity, gradError: null, ok: false, message: `shape [${gotShape}] vs reference [${want.shape}]` };
  }
  let gradError: number | null = null;
  if (!c.noGrad) {
    const R = randomRef(seededRandom(seed + 1), want.shape);
    const L = (inputs: Ref[]): number => {
      const y = c.ref(inputs);
      let s = 0;
      for (let i = 0; i < y.size; i++) s += y.data[i] * R.data[i];
      return s;
    };
    gradError = 0;
    for (let k = 0; k < xs.length; k++) {
      if (c.inputs[k].int || c.inputs[k].constant) continue;
      const g = grads[k];
      if (!g) return { name: c.name, forwardError, gradError: Infinity, ok: false, message: `input ${k} got no gradient` };
      const num = new Float64Array(xs[k].size);
      const h = 1e-5;
      for (let i = 0; i < xs[k].size; i++) {
        const orig = xs[k].data[i];
        xs[k].data[i] = orig + h;
        const lp = L(xs);
        xs[k].data[i] = orig - h;
        const lm = L(xs);
        xs[k].data[i] = orig;
        num[i] = (lp - lm) / (2 * h);
      }
      gradError = Math.max(gradError, relErr(g, num));
    }
  }
  const ok = forwardError <= fwdTol && (gradError === null || gradError <= gradTol);
  return { name: c.name, forwardError, gradError, ok };
}
