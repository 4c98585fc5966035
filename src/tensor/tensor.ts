// Tensor: a view (shape, strides, offset) of GPU storage, or a lazy pointwise
// expression over such views that has not been computed yet.
//
// Laziness is how elementwise fusion works: an elementwise op on lazy inputs inlines
// their expressions instead of dispatching, so gelu(x*w+b) is one kernel. A lazy tensor
// is realised (one generated kernel writes a fresh buffer) when something needs memory:
// a non-pointwise kernel, a reshape, a readback, or an expression that grew too big.
//
// Memory: GPU buffers are not garbage-collected. Storage is reference-counted; each
// Tensor handle holds one reference (a lazy tensor holds one on each leaf's storage),
// and `dispose()` drops it. `tidy(fn)` disposes every tensor created inside fn that
// fn does not return. See autograd.ts for how the graph keeps saved tensors alive.
import { currentGpu, type Gpu } from '../gpu/index.js';
import { elementwise } from '../kernels/elementwise.js';
import { dtypeBytes, exprSize, remap, type DType, type Expr } from '../kernels/expr.js';
import { contiguousStrides, fmt, isContiguous, numel, type Shape } from './shape.js';
import type { Node } from './autograd.js';

export type { DType } from '../kernels/expr.js';

/** Fusion budget: an expression stops growing past this many nodes or leaves. */
export const FUSION = { enabled: true, maxNodes: 64, maxLeaves: 8 };

let liveStorages = 0;
let liveStorageBytes = 0;
let liveTensors = 0;

/** A reference-counted GPU buffer. */
export class Storage {
  refs = 1;
  /** lazy tensors that read this storage: realised before anyone writes it in place */
  readonly readers = new Set<Tensor>();
  constructor(
    readonly gpu: Gpu,
    readonly buffer: GPUBuffer,
    readonly bytes: number,
  ) {
    liveStorages++;
    liveStorageBytes += bytes;
  }
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) {
      liveStorages--;
      liveStorageBytes -= this.bytes;
      this.gpu.free(this.buffer);
    }
  }
  /** Call before writing this buffer in place: pending lazy reads must see the old data. */
  beforeWrite(): void {
    for (const t of [...this.readers]) t.realise();
  }
}

export interface Leaf {
  storage: Storage;
  dtype: DType;
  offset: number;
  /** strides over the owning lazy tensor's shape */
  strides: number[];
}

export interface Lazy {
  expr: Expr;
  leaves: Leaf[];
  consts: number[];
}

// ------------------------------------------------------------------ scopes

type Scope = Set<Tensor>;
const scopes: Scope[] = [];

function track(t: Tensor): void {
  liveTensors++;
  if (scopes.length) scopes[scopes.length - 1].add(t);
}

/** Stop `tidy` from disposing this tensor (e.g. a parameter created inside a scope). */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collect(x: unknown, out: Set<Tensor>, depth = 0): void {
  if (depth > 4 || x === null || x === undefined) return;
  if (x instanceof Tensor) out.add(x);
  else if (Array.isArray(x)) for (const v of x) collect(v, out, depth + 1);
  else if (typeof x === 'object' && (x as object).constructor === Object) for (const v of Object.values(x as object)) collect(v, out, depth + 1);
}

/**
 * Run fn and dispose every tensor created inside it that it does not return (tensors
 * in the returned value, arrays or plain objects are kept and move to the enclosing
 * scope). Works with async functions too, as long as scopes are not interleaved.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = new Set();
  scopes.push(scope);
  const finish = (result: T): T => {
    const i = scopes.lastIndexOf(scope);
    if (i >= 0) scopes.splice(i, 1);
    const kept = new Set<Tensor>();
    collect(result, kept);
    for (const t of scope) if (!kept.has(t)) t.dispose();
    if (scopes.length) for (const t of kept) if (!t.isDisposed) scopes[scopes.length - 1].add(t);
    return result;
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    finish(undefined as T);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => finish(r as T) as unknown as Awaited<T>,
      (e) => {
        finish(undefined as T);
        throw e;
      },
    ) as T;
  }
  return finish(result);
}

export interface MemoryStats {
  liveTensors: number;
  liveStorages: number;
  storageBytes: number;
  poolAllocatedBytes: number;
  poolFreeBytes: number;
}

export function memoryStats(): MemoryStats {
  let pool = { allocatedBytes: 0, freeBytes: 0 };
  try {
    pool = currentGpu().memory().storage;
  } catch {
    /* no device yet */
  }
  return { liveTensors, liveStorages, storageBytes: liveStorageBytes, poolAllocatedBytes: pool.allocatedBytes, poolFreeBytes: pool.freeBytes };
}

// ------------------------------------------------------------------ tensor

let nextId = 1;

export class Tensor {
  readonly id = nextId++;
  readonly shape: number[];
  readonly dtype: DType;
  readonly gpu: Gpu;
  /** realised data (null while lazy) */
  storage: Storage | null;
  offset: number;
  strides: number[];
  lazy: Lazy | null;
  requiresGrad = false;
  grad: Tensor | null = null;
  /** the autograd node that produced this tensor (null for leaves and under noGrad) */
  node: Node | null = null;
  /** gradient hooks on a leaf tensor (intermediates keep theirs on the node) */
  hooks: ((g: Tensor) => void)[] = [];
  name = '';
  private disposed = false;

  constructor(gpu: Gpu, shape: Shape, dtype: DType, data: { storage: Storage; offset: number; strides: number[] } | { lazy: Lazy }) {
    this.gpu = gpu;
    this.shape = [...shape];
    this.dtype = dtype;
    if ('storage' in data) {
      this.storage = data.storage;
      this.offset = data.offset;
      this.strides = data.strides;
      this.lazy = null;
    } else {
      this.storage = null;
      this.offset = 0;
      this.strides = contiguousStrides(shape);
      this.lazy = data.lazy;
      for (const l of data.lazy.leaves) l.storage.readers.add(this);
    }
    track(this);
  }

  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return numel(this.shape);
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  get isLazy(): boolean {
    return this.lazy !== null;
  }
  get isContiguous(): boolean {
    return !this.lazy && isContiguous(this.shape, this.strides);
  }

  toString(): string {
    return `Tensor(${fmt(this.shape)}, ${this.dtype}${this.lazy ? ', lazy' : ''}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  assertAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}: tensor ${this.name || '#' + this.id} ${fmt(this.shape)} was disposed`);
  }

  /** Compute a lazy tensor into its own buffer (no-op when already realised). Returns this. */
  realise(): this {
    this.assertAlive('realise');
    const lz = this.lazy;
    if (!lz) return this;
    const n = this.size;
    const bytes = Math.max(4, n * dtypeBytes[this.dtype]);
    const storage = new Storage(this.gpu, this.gpu.alloc(bytes), bytes);
    elementwise(this.gpu, {
      shape: this.shape,
      expr: lz.expr,
      leaves: lz.leaves.map((l) => ({ buffer: l.storage.buffer, dtype: l.dtype, offset: l.offset, strides: l.strides })),
      consts: lz.consts,
      out: { buffer: storage.buffer, dtype: this.dtype, offset: 0, strides: contiguousStrides(this.shape) },
      name: 'fused',
    });
    this.dropLazy();
    this.storage = storage;
    this.offset = 0;
    this.strides = contiguousStrides(this.shape);
    return this;
  }

  private dropLazy(): void {
    if (!this.lazy) return;
    for (const l of this.lazy.leaves) {
      l.storage.readers.delete(this);
      l.storage.release();
    }
    this.lazy = null;
  }

  /** This tensor as a fusable expression over leaves (a realised tensor is one leaf). */
  asLazy(): Lazy {
    this.assertAlive('asLazy');
    if (this.lazy) return this.lazy;
    return { expr: { k: 'leaf', i: 0 }, leaves: [{ storage: this.storage!, dtype: this.dtype, offset: this.offset, strides: this.strides }], consts: [] };
  }

  /** A new handle to the same data (storage refs taken); no autograd history. */
  share(): Tensor {
    this.assertAlive('share');
    if (this.lazy) {
      const lz = this.lazy;
      for (const l of lz.leaves) l.storage.retain();
      return new Tensor(this.gpu, this.shape, this.dtype, { lazy: { expr: lz.expr, consts: lz.consts, leaves: lz.leaves.map((l) => ({ ...l })) } });
    }
    return new Tensor(this.gpu, this.shape, this.dtype, { storage: this.storage!.retain(), offset: this.offset, strides: [...this.strides] });
  }

  /** Release this handle's GPU memory (and its place in the autograd graph). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveTensors--;
    for (const s of scopes) s.delete(this);
    if (this.lazy) this.dropLazy();
    if (this.storage) {
      this.storage.release();
      this.storage = null;
    }
    if (this.node) {
      this.node.unref();
      this.node = null;
    }
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  /** Read the data back to the host. */
  async toArray(): Promise<Float32Array | Int32Array | Uint32Array> {
    this.assertAlive('toArray');
    const t = this.isContiguous ? this : this.contiguousCopy();
    const bpe = this.dtype === 'f16' ? 2 : 4;
    const raw = await this.gpu.read(t.storage!.buffer, t.offset * bpe, this.size * bpe);
    if (t !== this) t.dispose();
    switch (this.dtype) {
      case 'f32': return new Float32Array(raw);
      case 'i32': return new Int32Array(raw);
      case 'u32': return new Uint32Array(raw);
      case 'f16': return f16ToF32(new Uint16Array(raw));
    }
  }

  async toFloat32Array(): Promise<Float32Array> {
    const a = await this.toArray();
    return a instanceof Float32Array ? a : Float32Array.from(a);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements ${fmt(this.shape)}, expected 1`);
    return (await this.toArray())[0];
  }

  /** A realised, contiguous copy (internal; no autograd). */
  contiguousCopy(): Tensor {
    const lz = this.asLazy();
    for (const l of lz.leaves) l.storage.retain();
    const t = new Tensor(this.gpu, this.shape, this.dtype, { lazy: { expr: lz.expr, consts: lz.consts, leaves: lz.leaves.map((l) => ({ ...l })) } });
    return t.realise();
  }
}

// ------------------------------------------------------------------ building lazy results

/**
 * Build a lazy tensor of `shape` from an expression over `inputs` (each referenced in
 * `expr` as leaf i), with scalar constants. Lazy inputs are inlined (fusion); realised
 * ones become leaves read with broadcast strides.
 */
export function fuse(gpu: Gpu, shape: Shape, dtype: DType, expr: Expr, inputs: Tensor[], consts: number[] = []): Tensor {
  const leaves: Leaf[] = [];
  const allConsts: number[] = [...consts];
  const parts: Expr[] = [];
  for (const t of inputs) {
    t.assertAlive('fuse');
    let lz = t.asLazy();
    const wouldBe = leaves.length + lz.leaves.length;
    if (t.lazy && (!FUSION.enabled || wouldBe > FUSION.maxLeaves || exprSize(lz.expr) > FUSION.maxNodes)) {
      t.realise();
      lz = t.asLazy();
    }
    const leafMap = lz.leaves.map((l) => {
      const strides = broadcastTo(t.shape, l.strides, shape);
      const j = leaves.findIndex((x) => x.storage === l.storage && x.offset === l.offset && x.dtype === l.dtype && sameArr(x.strides, strides));
      if (j >= 0) return j;
      leaves.push({ storage: l.storage.retain(), dtype: l.dtype, offset: l.offset, strides });
      return leaves.length - 1;
    });
    const constBase = allConsts.length;
    allConsts.push(...lz.consts);
    const rankOff = shape.length - t.shape.length;
    parts.push(
      remap(
        lz.expr,
        (i) => leafMap[i],
        (i) => constBase + i,
        (a) => {
          if (t.shape[a] === 1 && shape[a + rankOff] !== 1) {
            allConsts.push(0);
            return { k: 'const', i: allConsts.length - 1 };
          }
          return { k: 'coord', axis: a + rankOff };
        },
      ),
    );
  }
  const full = remap(expr, (i) => -1 - i, (i) => i, (a) => ({ k: 'coord', axis: a }));
  const e = substitute(full, parts);
  if (leaves.length > FUSION.maxLeaves + 4) {
    // too many distinct buffers even after realising inputs: compute in one go anyway
    // (storage-buffer limits are 8..16 per stage); realise right away.
  }
  const out = new Tensor(gpu, shape, dtype, { lazy: { expr: e, leaves, consts: allConsts } });
  if (!FUSION.enabled) out.realise();
  return out;
}

/** Replace placeholder leaves (-1 - k) by the k-th input's expression. */
function substitute(e: Expr, parts: Expr[]): Expr {
  switch (e.k) {
    case 'leaf': return e.i < 0 ? parts[-1 - e.i] : e;
    case 'const': case 'coord': case 'rand': return e;
    case 'un': return { k: 'un', op: e.op, a: substitute(e.a, parts) };
    case 'bin': return { k: 'bin', op: e.op, a: substitute(e.a, parts), b: substitute(e.b, parts) };
    case 'where': return { k: 'where', c: substitute(e.c, parts), a: substitute(e.a, parts), b: substitute(e.b, parts) };
  }
}

function broadcastTo(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const off = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let d = 0; d < shape.length; d++) out[d + off] = shape[d] === 1 ? 0 : strides[d];
  return out;
}

function sameArr(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ------------------------------------------------------------------ half floats

export function f16ToF32(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const x = h[i];
    const s = x & 0x8000 ? -1 : 1;
    const e = (x >> 10) & 0x1f;
    const m = x & 0x3ff;
    out[i] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

export function f32ToF16(f: Float32Array): Uint16Array {
  const out = new Uint16Array(f.length);
  const fb = new Float32Array(1);
  const ub = new Uint32Array(fb.buffer);
  for (let i = 0; i < f.length; i++) {
    fb[0] = f[i];
    const x = ub[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    let e = exp - 127 + 15;
    if (e >= 31) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      out[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
    out[i] = sign | h;
  }
  return out;
}
