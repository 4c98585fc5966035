// Indexing: index-select (embedding lookup) and gather along an axis, with scatter-add
// backward; one-hot; cumulative sum.
import { gather as gatherKernel, scatterAddAtomic, scatterAddRows } from '../../kernels/gather.js';
import { cumsum as cumsumKernel } from '../../kernels/scan.js';
import { Storage, Tensor, fuse } from '../tensor.js';
import { record } from '../autograd.js';
import { axisOf, contiguousStrides, fmt, numel, ShapeError } from '../shape.js';
import { reshape } from './views.js';
import { hostInts, tensor } from './create.js';

function newContiguous(like: Tensor, shape: number[]): Tensor {
  const bytes = Math.max(4, numel(shape) * 4);
  return new Tensor(like.gpu, shape, 'f32', { storage: new Storage(like.gpu, like.gpu.alloc(bytes), bytes), offset: 0, strides: contiguousStrides(shape) });
}

/** t itself when it is realised, contiguous and starts at offset 0; else a packed copy. */
function dense(t: Tensor): Tensor {
  return t.isContiguous && t.offset === 0 ? t.share() : t.contiguousCopy();
}

function indexBuffer(idx: Tensor, op: string): Tensor {
  if (idx.dtype !== 'i32') throw new Error(`${op}: indices must be an i32 tensor, got ${idx.dtype} ${fmt(idx.shape)}`);
  return idx.isContiguous ? idx : idx.contiguousCopy();
}

/** out = x with dim `axis` replaced by idx.length rows: out[..., i, ...] = x[..., idx[i], ...]. */
export function indexSelect(x: Tensor, axis: number, idx: Tensor): Tensor {
  x.assertAlive('indexSelect');
  idx.assertAlive('indexSelect');
  if (idx.rank !== 1) throw new ShapeError(`indexSelect: indices must be 1-D, got ${fmt(idx.shape)}`);
  const a = axisOf('indexSelect', axis, x.rank);
  if (x.lazy) x.realise();
  const ib = indexBuffer(idx, 'indexSelect');
  const outShape = [...x.shape];
  outShape[a] = idx.shape[0];
  const y = newContiguous(x, outShape);
  gatherKernel(x.gpu, {
    mode: 'select', x: x.storage!.buffer, xOffset: x.offset, xShape: x.shape, xStrides: x.strides, axis: a,
    idx: ib.storage!.buffer, idxOffset: ib.offset, out: y.storage!.buffer, outShape,
  });
  const host = hostInts.get(idx);
  if (ib !== idx) ib.dispose();
  const xShape = x.shape;
  return record(y, 'indexSelect', [x], (g, [idx]) => [scatterSelect(g, xShape, a, idx, host)], [idx]);
}

/** Gradient of indexSelect: sum rows of g into the rows they were read from. */
function scatterSelect(g: Tensor, xShape: number[], axis: number, idx: Tensor, host: Int32Array | undefined): Tensor {
  const gc = dense(g);
  const rows = xShape[axis];
  const pre = xShape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = xShape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const k = idx.shape[0];
  const out = newContiguous(g, xShape);
  if (host) {
    // deterministic: per destination row, its source rows in increasing order
    const counts = new Uint32Array(rows + 1);
    for (const v of host) if (v >= 0 && v < rows) counts[v + 1]++;
    for (let r = 0; r < rows; r++) counts[r + 1] += counts[r];
    const fill = counts.slice(0, rows);
    const sources = new Uint32Array(Math.max(1, k));
    host.forEach((v, i) => {
      if (v >= 0 && v < rows) sources[fill[v]++] = i;
    });
    const starts = tensor(g.gpu, counts, [rows + 1], 'u32');
    const srcs = tensor(g.gpu, sources, [sources.length], 'u32');
    scatterAddRows(g.gpu, { src: gc.storage!.buffer, pre, k, inner, dst: out.storage!.buffer, rows, starts: starts.storage!.buffer, sources: srcs.storage!.buffer });
    starts.dispose();
    srcs.dispose();
  } else {
    g.gpu.write(out.storage!.buffer, new Float32Array(numel(xShape)));
    const ib = indexBuffer(idx, 'indexSelect backward');
    scatterAddAtomic(g.gpu, { mode: 'select', src: gc.storage!.buffer, srcShape: gc.shape, idx: ib.storage!.buffer, idxOffset: ib.offset, axis, dst: out.storage!.buffer, dstShape: xShape });
    if (ib !== idx) ib.dispose();
  }
  gc.dispose();
  return out;
}

/** torch.gather: out[c] = x[c with c[axis] = idx[c]]; idx has x's rank, out has idx's shape. */
export function gather(x: Tensor, axis: number, idx: Tensor): Tensor {
  x.assertAlive('gather');
  idx.assertAlive('gather');
  const a = axisOf('gather', axis, x.rank);
  if (idx.rank !== x.rank || idx.shape.some((d, i) => i !== a && d > x.shape[i])) {
    throw new ShapeError(`gather: index shape ${fmt(idx.shape)} does not fit input ${fmt(x.shape)} along axis ${a}`);
  }
  if (x.lazy) x.realise();
  const ib = indexBuffer(idx, 'gather');
  const outShape = [...idx.shape];
  const y = newContiguous(x, outShape);
  gatherKernel(x.gpu, {
    mode: 'gather', x: x.storage!.buffer, xOffset: x.offset, xShape: x.shape, xStrides: x.strides, axis: a,
    idx: ib.storage!.buffer, idxOffset: ib.offset, out: y.storage!.buffer, outShape,
  });
  if (ib !== idx) ib.dispose();
  const xShape = x.shape;
  return record(y, 'gather', [x], (g, [idx]) => {
    const gc = dense(g);
    const out = newContiguous(g, xShape);
    g.gpu.write(out.storage!.buffer, new Float32Array(numel(xShape)));
    const ib2 = indexBuffer(idx, 'gather backward');
    // with one index per line (e.g. picking the target logit) no two threads collide,
    // so the float adds land in a fixed order: still deterministic
    scatterAddAtomic(g.gpu, { mode: 'gather', src: gc.storage!.buffer, srcShape: gc.shape, idx: ib2.storage!.buffer, idxOffset: ib2.offset, axis: a, dst: out.storage!.buffer, dstShape: xShape });
    if (ib2 !== idx) ib2.dispose();
    gc.dispose();
    return [out];
  }, [idx]);
}

/** one_hot(idx, n): float [..., n] with 1 at idx (lazy: fuses into its consumer). */
export function oneHot(idx: Tensor, n: number): Tensor {
  idx.assertAlive('oneHot');
  const r = reshape(idx, [...idx.shape, 1]);
  const y = fuse(idx.gpu, [...idx.shape, n], 'f32', { k: 'bin', op: 'eq', a: { k: 'leaf', i: 0 }, b: { k: 'coord', axis: idx.rank } }, [r]);
  r.dispose();
  return y;
}

/** Inclusive cumulative sum along `axis`. */
export function cumsum(x: Tensor, axis: number, reverse = false): Tensor {
  x.assertAlive('cumsum');
  const a = axisOf('cumsum', axis, x.rank);
  const xc = dense(x);
  const y = newContiguous(x, x.shape);
  const outer = x.shape.slice(0, a).reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  cumsumKernel(x.gpu, { x: xc.storage!.buffer, out: y.storage!.buffer, outer, len: x.shape[a], inner, reverse });
  xc.dispose();
  return record(y, 'cumsum', [x], (g) => [cumsum(g, a, !reverse)]);
}
