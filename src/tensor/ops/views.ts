// Views (no copies where the layout allows): reshape, permute/transpose, slice, expand,
// squeeze/unsqueeze; and the ops built from them: concat, stack, split, contiguous.
//
// A view of a realised tensor shares its storage with new strides/offset. A view of a
// lazy (not yet computed) tensor re-indexes the leaves of its expression, so a
// transpose or slice of a pending elementwise result still fuses into its consumer.
import { elementwise } from '../../kernels/elementwise.js';
import type { Expr } from '../../kernels/expr.js';
import { Tensor, fuse, type Lazy } from '../tensor.js';
import { record } from '../autograd.js';
import { axisOf, contiguousStrides, fmt, inferShape, isContiguous, ShapeError } from '../shape.js';
import { empty, zeros } from './create.js';
import { sumTo } from './reduce.js';

function usesCoord(e: Expr): boolean {
  switch (e.k) {
    case 'coord': case 'rand': return true;
    case 'leaf': case 'const': return false;
    case 'un': return usesCoord(e.a);
    case 'bin': return usesCoord(e.a) || usesCoord(e.b);
    case 'where': return usesCoord(e.c) || usesCoord(e.a) || usesCoord(e.b);
  }
}

/** Make a view tensor: realised -> new strides/offset on the same storage; lazy -> re-indexed leaves. */
function view(x: Tensor, shape: number[], mapStrides: (s: number[]) => number[], mapOffset: (off: number, s: number[]) => number): Tensor {
  if (x.lazy && usesCoord(x.lazy.expr)) x.realise();
  if (!x.lazy) {
    return new Tensor(x.gpu, shape, x.dtype, { storage: x.storage!.retain(), offset: mapOffset(x.offset, x.strides), strides: mapStrides(x.strides) });
  }
  const lz: Lazy = x.lazy;
  const leaves = lz.leaves.map((l) => ({ storage: l.storage.retain(), dtype: l.dtype, offset: mapOffset(l.offset, l.strides), strides: mapStrides(l.strides) }));
  return new Tensor(x.gpu, shape, x.dtype, { lazy: { expr: lz.expr, consts: lz.consts, leaves } });
}

/**
 * Strides for viewing a realised tensor as `to` without a copy: always possible when it
 * is contiguous, and when the reshape only inserts or removes size-1 dims (squeeze,
 * unsqueeze of a transposed tensor). Otherwise null: the caller copies.
 */
function reshapeStrides(shape: number[], strides: number[], to: number[]): number[] | null {
  if (isContiguous(shape, strides)) return contiguousStrides(to);
  const src = shape.map((d, i) => [d, strides[i]] as const).filter(([d]) => d !== 1);
  const dst = to.filter((d) => d !== 1);
  if (src.length !== dst.length || src.some(([d], i) => d !== dst[i])) return null;
  let k = 0;
  return to.map((d) => (d === 1 ? 1 : src[k++][1]));
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  x.assertAlive('reshape');
  const to = inferShape('reshape', x.shape, shape);
  const from = x.shape;
  let y: Tensor;
  if (!x.lazy) {
    const st = reshapeStrides(x.shape, x.strides, to);
    if (st) y = new Tensor(x.gpu, to, x.dtype, { storage: x.storage!.retain(), offset: x.offset, strides: st });
    else {
      const c = x.contiguousCopy();
      y = new Tensor(x.gpu, to, x.dtype, { storage: c.storage!.retain(), offset: 0, strides: contiguousStrides(to) });
      c.dispose();
    }
  } else {
    x.realise();
    y = new Tensor(x.gpu, to, x.dtype, { storage: x.storage!.retain(), offset: 0, strides: contiguousStrides(to) });
  }
  return record(y, 'reshape', [x], (g) => [reshape(g, from)]);
}

export function permute(x: Tensor, perm: readonly number[]): Tensor {
  x.assertAlive('permute');
  if (perm.length !== x.rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new ShapeError(`permute: ${fmt(perm)} is not a permutation of the ${x.rank} axes of ${fmt(x.shape)}`);
  }
  const shape = perm.map((p) => x.shape[p]);
  const y = view(x, shape, (s) => perm.map((p) => s[p]), (o) => o);
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return record(y, 'permute', [x], (g) => [permute(g, inv)]);
}

export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const r = x.rank;
  const A = axisOf('transpose', a, r), B = axisOf('transpose', b, r);
  const perm = Array.from({ length: r }, (_, i) => i);
  [perm[A], perm[B]] = [perm[B], perm[A]];
  return permute(x, perm);
}

/** x[..., start:end:step, ...] along `axis` (negative start/end count from the end). */
export function slice(x: Tensor, axis: number, start: number, end?: number, step = 1): Tensor {
  x.assertAlive('slice');
  const a = axisOf('slice', axis, x.rank);
  const n = x.shape[a];
  let s = start < 0 ? start + n : start;
  let e = end === undefined ? n : end < 0 ? end + n : end;
  s = Math.min(Math.max(s, 0), n);
  e = Math.min(Math.max(e, s), n);
  if (!(step >= 1) || !Number.isInteger(step)) throw new ShapeError(`slice: step must be a positive integer, got ${step}`);
  const len = Math.ceil((e - s) / step);
  const shape = [...x.shape];
  shape[a] = len;
  const y = view(x, shape, (st) => st.map((v, d) => (d === a ? v * step : v)), (o, st) => o + s * st[a]);
  const xShape = x.shape;
  return record(y, 'slice', [x], (g) => {
    const z = zeros(g.gpu, xShape);
    const out = empty(g.gpu, xShape);
    writeInto(out, z);
    z.dispose();
    const dst = new Tensor(out.gpu, shape, 'f32', { storage: out.storage!.retain(), offset: s * contiguousStrides(xShape)[a], strides: contiguousStrides(xShape).map((v, d) => (d === a ? v * step : v)) });
    writeInto(dst, g);
    dst.dispose();
    return [out];
  });
}

/** Broadcast to a larger shape (a lazy zero-stride view: no memory is written). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  x.assertAlive('expand');
  const to = [...shape].map((d, i) => (d === -1 ? x.shape[i - (shape.length - x.rank)] : d));
  const y = fuse(x.gpu, to, x.dtype, { k: 'leaf', i: 0 }, [x]);
  const from = x.shape;
  return record(y, 'expand', [x], (g) => [sumTo(g, from)]);
}


export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = axisOf('squeeze', axis, x.rank);
  if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${axis} of ${fmt(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, d) => d !== a));
}

export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.size]);
}

/** A contiguous, realised version (the same tensor if it already is). */
export function contiguous(x: Tensor): Tensor {
  x.assertAlive('contiguous');
  if (x.isContiguous) return x.share();
  const y = x.contiguousCopy();
  return record(y, 'contiguous', [x], (g) => [g.share()]);
}

/** Write `src` (broadcast) into the memory viewed by `dst` (a realised view). Internal: no autograd. */
export function writeInto(dst: Tensor, src: Tensor): void {
  if (!dst.storage) throw new Error('writeInto: destination must be realised');
  dst.storage.beforeWrite();
  // WebGPU forbids binding one buffer as both read-only and writable in a dispatch:
  // when src reads dst's storage (x = x - lr * g), compute it into its own buffer first.
  // Reading dst at exactly the positions being written is fine (the kernel reads each
  // element through the output binding before writing it); any other overlap copies.
  let tmp: Tensor | null = null;
  const off = dst.rank - src.rank;
  const domainStrides = (st: number[]) => dst.shape.map((_, d) => (d < off || src.shape[d - off] === 1 ? 0 : st[d - off]));
  const leavesOf = src.lazy ? src.lazy.leaves : [{ storage: src.storage!, offset: src.offset, strides: src.strides, dtype: src.dtype }];
  const reads = leavesOf.some((l) => l.storage === dst.storage && !(l.offset === dst.offset && l.dtype === dst.dtype && domainStrides(l.strides).every((v, d) => v === dst.strides[d])));
  if (reads) {
    tmp = src.contiguousCopy();
    src = tmp;
  }
  const lz = src.asLazy();
  const off2 = dst.rank - src.rank;
  elementwise(dst.gpu, {
    shape: dst.shape,
    expr: lz.expr,
    leaves: lz.leaves.map((l) => ({
      buffer: l.storage.buffer,
      dtype: l.dtype,
      offset: l.offset,
      strides: dst.shape.map((_, d) => (d < off2 || src.shape[d - off2] === 1 ? 0 : l.strides[d - off2])),
    })),
    consts: lz.consts,
    out: { buffer: dst.storage.buffer, dtype: dst.dtype, offset: dst.offset, strides: dst.strides },
    name: 'write_into',
  });
  tmp?.dispose();
}

/** In-place assignment dst[...] = src (broadcast), outside autograd: optimizer updates, caches. */
export function assign(dst: Tensor, src: Tensor | number): void {
  dst.assertAlive('assign');
  if (typeof src === 'number') {
    const c = fuse(dst.gpu, [], dst.dtype, { k: 'const', i: 0 }, [], [src]);
    writeInto(dst, c);
    c.dispose();
    return;
  }
  src.assertAlive('assign');
  if (src.rank > dst.rank || src.shape.some((d, i) => d !== 1 && d !== dst.shape[dst.rank - src.rank + i])) {
    throw new ShapeError(`assign: cannot write ${fmt(src.shape)} into ${fmt(dst.shape)}`);
  }
  if (dst.lazy) dst.realise();
  writeInto(dst, src);
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('concat: no tensors');
  const r = xs[0].rank;
  const a = axisOf('concat', axis, r);
  for (const t of xs) {
    t.assertAlive('concat');
    if (t.rank !== r || t.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      throw new ShapeError(`concat: shapes ${fmt(xs[0].shape)} and ${fmt(t.shape)} differ outside axis ${a}`);
    }
    if (t.gpu !== xs[0].gpu) throw new Error('concat: tensors live on different GPU devices');
  }
  const shape = [...xs[0].shape];
  shape[a] = xs.reduce((s, t) => s + t.shape[a], 0);
  const out = empty(xs[0].gpu, shape, xs[0].dtype);
  const st = contiguousStrides(shape);
  let pos = 0;
  const sizes: number[] = [];
  for (const t of xs) {
    const dst = new Tensor(out.gpu, t.shape, out.dtype, { storage: out.storage!.retain(), offset: pos * st[a], strides: st });
    writeInto(dst, t);
    dst.dispose();
    sizes.push(t.shape[a]);
    pos += t.shape[a];
  }
  return record(out, 'concat', [...xs], (g) => {
    let p = 0;
    return sizes.map((n) => {
      const s = slice(g, a, p, p + n);
      p += n;
      return s;
    });
  });
}

export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const parts = xs.map((t) => unsqueeze(t, axis < 0 ? axis + t.rank + 1 : axis));
  const y = concat(parts, axis < 0 ? axis + xs[0].rank + 1 : axis);
  for (const p of parts) p.dispose();
  return y;
}

/** Split along an axis into pieces of the given sizes (or `n` equal pieces). Views: no copies. */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const a = axisOf('split', axis, x.rank);
  const n = x.shape[a];
  let list: number[];
  if (typeof sizes === 'number') {
    if (n % sizes !== 0) throw new ShapeError(`split: axis ${a} of ${fmt(x.shape)} (size ${n}) is not divisible into ${sizes} pieces`);
    list = new Array<number>(sizes).fill(n / sizes);
  } else list = [...sizes];
  if (list.reduce((s, v) => s + v, 0) !== n) throw new ShapeError(`split: sizes ${fmt(list)} do not add up to ${n} (axis ${a} of ${fmt(x.shape)})`);
  let p = 0;
  return list.map((len) => {
    const s = slice(x, a, p, p + len);
    p += len;
    return s;
  });
}

