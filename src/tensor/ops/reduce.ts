// Reductions over any set of axes, with keepdim. The input's pending pointwise
// expression is fused into the reduction kernel as its prologue.
import { reduce as reduceKernel, type ReduceOp } from '../../kernels/reduce.js';
import type { Expr } from '../../kernels/expr.js';
import { Storage, Tensor, type Lazy } from '../tensor.js';
import { record } from '../autograd.js';
import { axesOf, contiguousStrides, fmt, numel } from '../shape.js';
import { div, eq, mul, sub, square } from './pointwise.js';
import { expand, reshape } from './views.js';

function hasCoord(e: Expr): boolean {
  switch (e.k) {
    case 'coord': case 'rand': return true;
    case 'leaf': case 'const': return false;
    case 'un': return hasCoord(e.a);
    case 'bin': return hasCoord(e.a) || hasCoord(e.b);
    case 'where': return hasCoord(e.c) || hasCoord(e.a) || hasCoord(e.b);
  }
}

/** Run the reduce kernel; returns a contiguous tensor of the kept shape (keepdim applied). */
function runReduce(x: Tensor, op: ReduceOp, axes: number[], keepdim: boolean, scale = 1): Tensor {
  if (x.lazy && hasCoord(x.lazy.expr)) x.realise();
  const lz: Lazy = x.asLazy();
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptShape = kept.map((d) => x.shape[d]);
  const reducedShape = axes.map((d) => x.shape[d]);
  const outShape = keepdim ? x.shape.map((s, d) => (axes.includes(d) ? 1 : s)) : keptShape;
  const isArg = op === 'argmax' || op === 'argmin';
  const bytes = Math.max(4, numel(keptShape) * 4);
  const storage = new Storage(x.gpu, x.gpu.alloc(bytes), bytes);
  if (numel(reducedShape) === 0) {
    // reducing an empty extent: sum = 0 (max/min have no identity: refuse)
    if (op !== 'sum') throw new Error(`${op}: cannot reduce over an empty axis of ${fmt(x.shape)}`);
  }
  reduceKernel(x.gpu, {
    keptShape,
    reducedShape,
    expr: lz.expr,
    leaves: lz.leaves.map((l) => ({ buffer: l.storage.buffer, dtype: l.dtype, offset: l.offset, strides: [...kept.map((d) => l.strides[d]), ...axes.map((d) => l.strides[d])] })),
    consts: lz.consts,
    op,
    out: storage.buffer,
    scale,
  });
  return new Tensor(x.gpu, outShape, isArg ? 'i32' : 'f32', { storage, offset: 0, strides: contiguousStrides(outShape) });
}

function keepShape(shape: number[], axes: number[]): number[] {
  return shape.map((s, d) => (axes.includes(d) ? 1 : s));
}

/** Broadcast a reduced gradient (or value) back over the reduced axes. */
function unreduce(g: Tensor, xShape: number[], axes: number[]): Tensor {
  const r = reshape(g, keepShape(xShape, axes));
  const e = expand(r, xShape);
  r.dispose();
  return e;
}

export function sum(x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  x.assertAlive('sum');
  const ax = axesOf('sum', axes, x.rank);
  const y = runReduce(x, 'sum', ax, keepdim);
  const shape = x.shape;
  return record(y, 'sum', [x], (g) => [unreduce(g, shape, ax)]);
}

export function mean(x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  x.assertAlive('mean');
  const ax = axesOf('mean', axes, x.rank);
  const n = ax.reduce((a, d) => a * x.shape[d], 1);
  const y = runReduce(x, 'sum', ax, keepdim, 1 / n);
  const shape = x.shape;
  return record(y, 'mean', [x], (g) => {
    const u = unreduce(g, shape, ax);
    const r = mul(u, 1 / n);
    u.dispose();
    return [r];
  });
}

function extreme(name: 'max' | 'min', x: Tensor, axes?: number | number[], keepdim = false): Tensor {
  x.assertAlive(name);
  const ax = axesOf(name, axes, x.rank);
  const y = runReduce(x, name, ax, keepdim);
  const shape = x.shape;
  // gradient flows to the extremal elements, split evenly among ties
  return record(y, name, [x], (g, [x, y]) => {
    const ye = unreduce(y, shape, ax);
    const m = eq(x, ye);
    const cnt = sum(m, ax, true);
    const ge = unreduce(g, shape, ax);
    const r = div(mul(ge, m), cnt);
    for (const t of [ye, m, cnt, ge]) t.dispose();
    return [r];
  }, [x, y]);
}

export const max = (x: Tensor, axes?: number | number[], keepdim = false): Tensor => extreme('max', x, axes, keepdim);
export const min = (x: Tensor, axes?: number | number[], keepdim = false): Tensor => extreme('min', x, axes, keepdim);

/** Index of the largest element along one axis (i32; first index on ties). */
export function argmax(x: Tensor, axis = -1, keepdim = false): Tensor {
  x.assertAlive('argmax');
  return runReduce(x, 'argmax', axesOf('argmax', axis, x.rank), keepdim);
}

export function argmin(x: Tensor, axis = -1, keepdim = false): Tensor {
  x.assertAlive('argmin');
  return runReduce(x, 'argmin', axesOf('argmin', axis, x.rank), keepdim);
}

/** Variance (biased by default, like the population variance; `unbiased` divides by n-1). */
export function variance(x: Tensor, axes?: number | number[], keepdim = false, unbiased = false): Tensor {
  const ax = axesOf('var', axes, x.rank);
  const n = ax.reduce((a, d) => a * x.shape[d], 1);
  const m = mean(x, ax, true);
  const d = sub(x, m);
  const sq = square(d);
  const s = sum(sq, ax, keepdim);
  const v = mul(s, 1 / Math.max(1, unbiased ? n - 1 : n));
  for (const t of [m, d, sq, s]) t.dispose();
  return v;
}

/** Sum a broadcast tensor down to `shape` (the gradient of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  if (lead < 0) throw new Error(`sumTo: cannot reduce ${fmt(g.shape)} to ${fmt(shape)}`);
  const axes: number[] = [];
  for (let d = 0; d < g.rank; d++) {
    if (d < lead) axes.push(d);
    else if (shape[d - lead] === 1 && g.shape[d] !== 1) axes.push(d);
    else if (shape[d - lead] !== g.shape[d]) throw new Error(`sumTo: cannot reduce ${fmt(g.shape)} to ${fmt(shape)}`);
  }
  if (axes.length === 0) return reshape(g, [...shape]);
  const s = sum(g, axes, true);
  const r = reshape(s, [...shape]);
  s.dispose();
  return r;
}

/** max along one axis together with its index (first on ties), as torch.max(x, dim). */
export function maxWithIndex(x: Tensor, axis = -1, keepdim = false): { values: Tensor; indices: Tensor } {
  return { values: max(x, axis, keepdim), indices: argmax(x, axis, keepdim) };
}
