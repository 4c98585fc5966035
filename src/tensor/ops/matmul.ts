// Batched matrix multiply with NumPy-style broadcasting of batch dims. Transposed
// operands are passed to the kernel as layouts (transA/transB), never copied, so the
// backward pass (dA = dC B^T, dB = A^T dC) runs on views.
import { matmul as matmulKernel, type Activation } from '../../kernels/matmul.js';
import { Storage, Tensor, fuse } from '../tensor.js';
import { record } from '../autograd.js';
import { broadcastShapes, contiguousStrides, fmt, numel, ShapeError } from '../shape.js';
import { reshape, transpose } from './views.js';
import { sum, sumTo } from './reduce.js';
import { add } from './pointwise.js';

interface MatOperand {
  buffer: GPUBuffer;
  offset: number;
  batchStride: number;
  trans: boolean;
}

/**
 * How the kernel can read `t` ([...batch, R, C]) broadcast to `batchShape`: row-major or
 * transposed matrices, one uniform stride between consecutive (flattened) batch
 * matrices, 0 when broadcast. Null when the layout doesn't fit (caller copies).
 */
function operand(t: Tensor, batchShape: number[]): MatOperand | null {
  if (t.lazy) t.realise();
  const r = t.rank;
  const R = t.shape[r - 2], C = t.shape[r - 1];
  const sR = t.strides[r - 2], sC = t.strides[r - 1];
  let trans: boolean;
  if ((sC === 1 || C === 1) && (sR === C || R === 1)) trans = false;
  else if ((sR === 1 || R === 1) && (sC === R || C === 1)) trans = true;
  else return null;
  // batch: align t's batch dims to batchShape from the right
  const tb = t.shape.slice(0, r - 2);
  const off = batchShape.length - tb.length;
  const strides = batchShape.map((_, d) => (d < off || tb[d - off] === 1 ? 0 : t.strides[d - off]));
  const nonzero = strides.map((s, d) => [s, d] as const).filter(([s]) => s !== 0);
  let batchStride = 0;
  if (nonzero.length) {
    // all non-broadcast dims must form one arithmetic progression over the flattened batch,
    // and broadcast dims may only appear before them
    const first = nonzero[0][1];
    for (let d = first; d < batchShape.length; d++) if (strides[d] === 0 && batchShape[d] !== 1) return null;
    const mat = R * C;
    let expect = mat;
    for (let d = batchShape.length - 1; d >= first; d--) {
      if (batchShape[d] !== 1 && strides[d] !== expect) return null;
      expect *= batchShape[d];
    }
    if (first > 0 && batchShape.slice(0, first).some((d) => d !== 1)) return null;
    batchStride = mat;
  }
  return { buffer: t.storage!.buffer, offset: t.offset, batchStride, trans };
}

/** A packed copy of t broadcast to the full batch (when no single batch stride can describe it). */
function materialise(t: Tensor, batchShape: number[]): Tensor {
  const shape = [...batchShape, ...t.shape.slice(-2)];
  return fuse(t.gpu, shape, t.dtype, { k: 'leaf', i: 0 }, [t]).realise();
}

export interface MatmulOptions {
  bias?: Tensor;
  activation?: Activation;
}

/** a @ b with broadcasting over batch dims; 1-D operands are treated as vectors. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  a.assertAlive('matmul');
  b.assertAlive('matmul');
  if (a.gpu !== b.gpu) throw new Error(`matmul: tensors live on different GPU devices (${fmt(a.shape)} and ${fmt(b.shape)})`);
  if (a.rank === 0 || b.rank === 0) throw new ShapeError(`matmul: scalars are not matrices (${fmt(a.shape)} @ ${fmt(b.shape)})`);
  if (a.rank === 1 || b.rank === 1) {
    const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
    const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
    const y = matmul(a2, b2);
    const shape = y.shape.filter((_, d) => !((a.rank === 1 && d === y.rank - 2) || (b.rank === 1 && d === y.rank - 1)));
    const out = reshape(y, shape);
    for (const t of [a2, b2, y]) if (t !== a && t !== b) t.dispose();
    return out;
  }
  const M = a.shape[a.rank - 2], K = a.shape[a.rank - 1];
  const K2 = b.shape[b.rank - 2], N = b.shape[b.rank - 1];
  if (K !== K2) throw new ShapeError(`matmul: inner dimensions differ: ${fmt(a.shape)} @ ${fmt(b.shape)} (${K} vs ${K2})`);
  const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = numel(batchShape);
  const outShape = [...batchShape, M, N];
  const bytes = Math.max(4, numel(outShape) * 4);
  const storage = new Storage(a.gpu, a.gpu.alloc(bytes), bytes);
  const y = new Tensor(a.gpu, outShape, 'f32', { storage, offset: 0, strides: contiguousStrides(outShape) });
  if (numel(outShape) > 0) {
    let oa = operand(a, batchShape);
    let ca: Tensor | null = null;
    if (!oa) {
      ca = materialise(a, batchShape);
      oa = operand(ca, batchShape)!;
    }
    let ob = operand(b, batchShape);
    let cb: Tensor | null = null;
    if (!ob) {
      cb = materialise(b, batchShape);
      ob = operand(cb, batchShape)!;
    }
    if (!oa || !ob) throw new Error(`matmul: internal: unsupported batch layout ${fmt(a.shape)} @ ${fmt(b.shape)}`);
    if (K === 0) {
      a.gpu.write(storage.buffer, new Float32Array(numel(outShape)));
    } else {
      matmulKernel(a.gpu, {
        a: oa.buffer, b: ob.buffer, out: storage.buffer, batch, M, N, K,
        transA: oa.trans, transB: ob.trans, aOffset: oa.offset, bOffset: ob.offset,
        aBatchStride: oa.batchStride, bBatchStride: ob.batchStride,
      });
    }
    ca?.dispose();
    cb?.dispose();
  }
  const aShape = a.shape, bShape = b.shape;
  return record(y, 'matmul', [a, b], (g, [a, b]) => {
    const bt = transpose(b), at = transpose(a);
    const ga = matmul(g, bt), gb = matmul(at, g);
    bt.dispose();
    at.dispose();
    const ra = sumTo(ga, aShape), rb = sumTo(gb, bShape);
    ga.dispose();
    gb.dispose();
    return [ra, rb];
  }, [a, b]);
}

/**
 * y = x W^T + b + r for x [..., K], W [N, K] (PyTorch/HF layout), b [N], r shaped like y:
 * one matmul kernel with the bias and the residual added in its epilogue (a transformer's
 * `h + proj(x)` without a separate add kernel). Backward: dx = g W, dW = g^T x, db = sum(g),
 * dr = g.
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null, residual?: Tensor | null): Tensor {
  x.assertAlive('linear');
  w.assertAlive('linear');
  const K = x.shape[x.rank - 1];
  if (w.rank !== 2 || w.shape[1] !== K) throw new ShapeError(`linear: weight ${fmt(w.shape)} does not match input ${fmt(x.shape)} (want [N, ${K}])`);
  const N = w.shape[0];
  if (b && (b.rank !== 1 || b.shape[0] !== N)) throw new ShapeError(`linear: bias ${fmt(b.shape)} does not match weight ${fmt(w.shape)}`);
  const M = x.size / K;
  const outShape = [...x.shape.slice(0, -1), N];
  if (residual) {
    residual.assertAlive('linear');
    // the epilogue reads f32; an f16 residual is added the unfused way
    if (residual.dtype !== 'f32') {
      const y = linear(x, w, b);
      const r = add(y, residual);
      y.dispose();
      return r;
    }
    if (residual.shape.length !== outShape.length || residual.shape.some((d, i) => d !== outShape[i])) {
      throw new ShapeError(`linear: residual ${fmt(residual.shape)} does not match the output ${fmt(outShape)} of input ${fmt(x.shape)} x weight ${fmt(w.shape)}^T`);
    }
  }
  const x2 = reshape(x, [M, K]);
  const bytes = Math.max(4, M * N * 4);
  const storage = new Storage(x.gpu, x.gpu.alloc(bytes), bytes);
  const y = new Tensor(x.gpu, outShape, 'f32', { storage, offset: 0, strides: contiguousStrides(outShape) });
  if (M * N > 0) {
    let ox = operand(x2, []);
    let cx: Tensor | null = null;
    if (!ox) { cx = x2.contiguousCopy(); ox = operand(cx, [])!; }
    const wt = transpose(w);
    let ow = operand(wt, []);
    let cw: Tensor | null = null;
    if (!ow) { cw = wt.contiguousCopy(); ow = operand(cw, [])!; }
    let bb: Tensor | null = null;
    if (b) bb = b.isContiguous ? b.share() : b.contiguousCopy();
    // the epilogue reads f32 [M, N] row-major; anything else is made so first
    let rr: Tensor | null = null;
    if (residual) rr = residual.isContiguous ? residual.share() : residual.contiguousCopy();
    matmulKernel(x.gpu, {
      a: ox.buffer, b: ow.buffer, out: storage.buffer, batch: 1, M, N, K,
      transA: ox.trans, transB: ow.trans, aOffset: ox.offset, bOffset: ow.offset,
      bias: bb?.storage!.buffer, biasOffset: bb?.offset,
      residual: rr?.storage!.buffer, residualOffset: rr?.offset,
    });
    for (const t of [cx, cw, bb, rr, wt]) t?.dispose();
  }
  x2.dispose();
  const xShape = x.shape;
  const inputs = [x, w];
  if (b) inputs.push(b);
  if (residual) inputs.push(residual);
  return record(y, 'linear', inputs, (g, [xs, ws]) => {
    const g2 = reshape(g, [M, N]);
    const gx = reshape(matmul(g2, ws), xShape);
    const xf = reshape(xs, [M, K]);
    const gt = transpose(g2);
    const gw = matmul(gt, xf);
    const out: Tensor[] = [gx, gw];
    if (b) out.push(sum(g2, 0));
    if (residual) out.push(g.share());
    for (const t of [g2, xf, gt]) t.dispose();
    return out;
  }, [x, w]);
}
