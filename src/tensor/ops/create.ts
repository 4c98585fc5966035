// Creating tensors: from host arrays, constants, ranges, and the seeded generator.
import type { Gpu } from '../../gpu/index.js';
import type { Expr } from '../../kernels/expr.js';
import { dtypeBytes } from '../../kernels/expr.js';
import { Storage, Tensor, fuse, f32ToF16, type DType } from '../tensor.js';
import { contiguousStrides, fmt, numel, ShapeError } from '../shape.js';

/** Host copies of small integer tensors made from host data (index tensors): lets index
 *  backward build its deterministic row lists without a readback. */
export const hostInts = new WeakMap<Tensor, Int32Array>();

export interface CreateOptions {
  requiresGrad?: boolean;
  name?: string;
}

function checkShape(op: string, shape: readonly number[]): void {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`${op}: invalid shape ${fmt(shape)}`);
}

/** Upload host data. `data.length` must equal the number of elements of `shape`. */
export function tensor(gpu: Gpu, data: ArrayLike<number>, shape: readonly number[], dtype: DType = 'f32', opts: CreateOptions = {}): Tensor {
  checkShape('tensor', shape);
  const n = numel(shape);
  if (data.length !== n) throw new ShapeError(`tensor: ${data.length} values do not fill shape ${fmt(shape)} (${n} elements)`);
  let host: ArrayBufferView;
  switch (dtype) {
    case 'f32': host = data instanceof Float32Array ? data : Float32Array.from(data); break;
    case 'f16': host = f32ToF16(data instanceof Float32Array ? data : Float32Array.from(data)); break;
    case 'i32': host = data instanceof Int32Array ? data : Int32Array.from(data); break;
    case 'u32': host = data instanceof Uint32Array ? data : Uint32Array.from(data); break;
  }
  const bytes = Math.max(4, n * dtypeBytes[dtype]);
  const storage = new Storage(gpu, gpu.alloc(bytes), bytes);
  if (n) gpu.write(storage.buffer, host);
  const t = new Tensor(gpu, shape, dtype, { storage, offset: 0, strides: contiguousStrides(shape) });
  if (dtype === 'i32' && n <= 1 << 20) hostInts.set(t, host as Int32Array);
  t.requiresGrad = !!opts.requiresGrad;
  if (opts.name) t.name = opts.name;
  return t;
}

/** A constant-filled tensor (lazy: it costs nothing until used, and fuses into its consumer). */
export function full(gpu: Gpu, shape: readonly number[], value: number, dtype: DType = 'f32'): Tensor {
  checkShape('full', shape);
  return fuse(gpu, shape, dtype, { k: 'const', i: 0 }, [], [value]);
}

export const zeros = (gpu: Gpu, shape: readonly number[], dtype: DType = 'f32'): Tensor => full(gpu, shape, 0, dtype);
export const ones = (gpu: Gpu, shape: readonly number[], dtype: DType = 'f32'): Tensor => full(gpu, shape, 1, dtype);

/**
 * A lazy tensor from a raw pointwise expression over `inputs` (leaf i), scalar consts and
 * domain coordinates: for masks and index patterns that should cost no kernel of their own.
 */
export function fuseExpr(gpu: Gpu, shape: readonly number[], expr: Expr, inputs: Tensor[] = [], consts: number[] = [], dtype: DType = 'f32'): Tensor {
  return fuse(gpu, shape, dtype, expr, inputs, consts);
}

/** [start, start + step, ...) with n = ceil((end - start) / step) elements. */
export function arange(gpu: Gpu, start: number, end?: number, step = 1, dtype: DType = 'f32'): Tensor {
  if (end === undefined) [start, end] = [0, start];
  const n = Math.max(0, Math.ceil((end - start) / step));
  const e: Expr = { k: 'bin', op: 'add', a: { k: 'bin', op: 'mul', a: { k: 'coord', axis: 0 }, b: { k: 'const', i: 1 } }, b: { k: 'const', i: 0 } };
  return fuse(gpu, [n], dtype, e, [], [start, step]).realise();
}

/** A materialised tensor with its own buffer, filled with `value` (for in-place targets). */
export function empty(gpu: Gpu, shape: readonly number[], dtype: DType = 'f32'): Tensor {
  checkShape('empty', shape);
  const bytes = Math.max(4, numel(shape) * dtypeBytes[dtype]);
  return new Tensor(gpu, shape, dtype, { storage: new Storage(gpu, gpu.alloc(bytes), bytes), offset: 0, strides: contiguousStrides(shape) });
}
