// Indexing kernels: index-select / gather along an axis, and their scatter-add backward.
//
//   select: out[pre, i, post] = x[pre, idx[i], post]        (embedding lookup)
//   gather: out[c]            = x[c with c[axis] = idx[c]]  (torch.gather; picking targets)
//
// An out-of-range index yields NaN (not a silent clamp), so a bad token id shows up as
// a NaN loss that the trainer reports, instead of as a plausible wrong number.
//
// Scatter-add (the backward) has three strategies:
//   'rows'   : deterministic. The caller gives, for each destination row, the list of
//              source rows that add into it (built on the host from the index values,
//              which for token ids are known there). Sums run in a fixed order.
//   'atomic' : float adds through a compare-exchange loop on u32 bits. Any index
//              pattern, but the summation order (and the last bits) vary run to run.
import type { Gpu } from '../gpu/index.js';
import { contiguousStrides, packSlots, slot, uniformDecl } from './elementwise.js';

export interface GatherParams {
  mode: 'select' | 'gather';
  x: GPUBuffer;
  xOffset: number;
  xShape: number[];
  xStrides: number[];
  axis: number;
  idx: GPUBuffer; // i32, contiguous; select: [k]; gather: out shape
  idxOffset: number;
  out: GPUBuffer; // f32 contiguous, outShape
  outShape: number[];
}

const WG = 256;

/** Kernel prologue: linear thread t (folded grid), bounds check, coordinates c0..c{r-1} over a shape in uniform slots. */
function threadCoords(r: number, shapeSlot: number): string[] {
  const L = [`  let t = gid.x + gid.y * nwg.x * ${WG}u;`, `  if (t >= ${slot(0)}) { return; }`, `  var rem = t;`];
  for (let d = r - 1; d >= 1; d--) L.push(`  let c${d} = rem % ${slot(shapeSlot + d)}; rem = rem / ${slot(shapeSlot + d)};`);
  L.push(`  let c0 = rem;`);
  return L;
}

export function gather(gpu: Gpu, p: GatherParams): void {
  const n = p.outShape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const r = p.outShape.length;
  const vals = [n, p.xOffset, p.idxOffset, p.xShape[p.axis], ...p.outShape, ...p.xStrides];
  const shapeSlot = 4, strideSlot = 4 + r;
  const L: string[] = [];
  L.push(`@group(0) @binding(0) var<storage, read> X: array<f32>;`);
  L.push(`@group(0) @binding(1) var<storage, read> IDX: array<i32>;`);
  L.push(`@group(0) @binding(2) var<storage, read_write> OUT: array<f32>;`);
  L.push(uniformDecl(vals.length, 3));
  L.push(`@compute @workgroup_size(${WG})`);
  L.push(`fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {`);
  L.push(...threadCoords(r, shapeSlot));
  const idxPos = p.mode === 'select' ? `c${p.axis}` : 't';
  L.push(`  let j = IDX[${slot(2)} + ${idxPos}];`);
  L.push(`  if (j < 0 || u32(j) >= ${slot(3)}) { OUT[t] = bitcast<f32>(0x7fc00000u | (u32(j) & 0u)); return; }`);
  const terms = [slot(1)];
  for (let d = 0; d < r; d++) terms.push(`${d === p.axis ? 'u32(j)' : `c${d}`} * ${slot(strideSlot + d)}`);
  L.push(`  OUT[t] = X[${terms.join(' + ')}];`);
  L.push(`}`);
  const k = gpu.kernel({ name: `gather_${p.mode}`, code: L.join('\n'), storageBindings: 3, uniforms: true });
  gpu.dispatch(k, [p.x, p.idx, p.out], gpu.grid(Math.ceil(n / WG)), packSlots(vals, new Set()));
}

export interface ScatterAddParams {
  mode: 'select' | 'gather';
  /** gradient of the gather output, f32 contiguous [srcShape] */
  src: GPUBuffer;
  srcShape: number[];
  idx: GPUBuffer;
  idxOffset: number;
  axis: number;
  /** destination, f32 contiguous [dstShape], must be zero-initialised by the caller */
  dst: GPUBuffer;
  dstShape: number[];
}

/** Atomic scatter-add: dst[c with c[axis] = idx] += src[c]. Any index pattern. */
export function scatterAddAtomic(gpu: Gpu, p: ScatterAddParams): void {
  const n = p.srcShape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const r = p.srcShape.length;
  const dstStrides = contiguousStrides(p.dstShape);
  const vals = [n, p.idxOffset, p.dstShape[p.axis], 0, ...p.srcShape, ...dstStrides];
  const shapeSlot = 4, strideSlot = 4 + r;
  const L: string[] = [];
  L.push(`@group(0) @binding(0) var<storage, read> SRC: array<f32>;`);
  L.push(`@group(0) @binding(1) var<storage, read> IDX: array<i32>;`);
  L.push(`@group(0) @binding(2) var<storage, read_write> DST: array<atomic<u32>>;`);
  L.push(uniformDecl(vals.length, 3));
  L.push(`@compute @workgroup_size(${WG})`);
  L.push(`fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {`);
  L.push(...threadCoords(r, shapeSlot));
  const idxPos = p.mode === 'select' ? `c${p.axis}` : 't';
  L.push(`  let j = IDX[${slot(1)} + ${idxPos}];`);
  L.push(`  if (j < 0 || u32(j) >= ${slot(2)}) { return; }`);
  const terms: string[] = [];
  for (let d = 0; d < r; d++) terms.push(`${d === p.axis ? 'u32(j)' : `c${d}`} * ${slot(strideSlot + d)}`);
  L.push(`  let o = ${terms.join(' + ')};`);
  L.push(`  let v = SRC[t];`);
  L.push(`  var old = atomicLoad(&DST[o]);`);
  L.push(`  loop {`);
  L.push(`    let r = atomicCompareExchangeWeak(&DST[o], old, bitcast<u32>(bitcast<f32>(old) + v));`);
  L.push(`    if (r.exchanged) { break; }`);
  L.push(`    old = r.old_value;`);
  L.push(`  }`);
  L.push(`}`);
  const k = gpu.kernel({ name: `scatter_add_atomic_${p.mode}`, code: L.join('\n'), storageBindings: 3, uniforms: true });
  gpu.dispatch(k, [p.src, p.idx, p.dst], gpu.grid(Math.ceil(n / WG)), packSlots(vals, new Set()));
}

export interface ScatterRowsParams {
  /** gradient rows: [pre, k, inner] contiguous (k = number of indices) */
  src: GPUBuffer;
  pre: number;
  k: number;
  inner: number;
  /** destination [pre, rows, inner] contiguous; fully written (no zero-init needed) */
  dst: GPUBuffer;
  rows: number;
  /** CSR over destination rows: start[rows + 1] and the source row ids in order */
  starts: GPUBuffer;
  sources: GPUBuffer;
}

/** Deterministic index-select backward: dst[p, r, :] = sum over s in sources(r) of src[p, s, :]. */
export function scatterAddRows(gpu: Gpu, p: ScatterRowsParams): void {
  const n = p.pre * p.rows * p.inner;
  if (n === 0) return;
  const vals = [n, p.rows, p.inner, p.k];
  const code = `
@group(0) @binding(0) var<storage, read> SRC: array<f32>;
@group(0) @binding(1) var<storage, read> STARTS: array<u32>;
@group(0) @binding(2) var<storage, read> SOURCES: array<u32>;
@group(0) @binding(3) var<storage, read_write> DST: array<f32>;
${uniformDecl(4, 4)}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * ${WG}u;
  if (t >= ${slot(0)}) { return; }
  let inner = ${slot(2)}; let rows = ${slot(1)}; let k = ${slot(3)};
  let i = t % inner;
  let r = (t / inner) % rows;
  let pp = t / (inner * rows);
  var acc = 0.0;
  for (var q = STARTS[r]; q < STARTS[r + 1u]; q++) {
    acc += SRC[(pp * k + SOURCES[q]) * inner + i];
  }
  DST[t] = acc;
}`;
  const kern = gpu.kernel({ name: 'scatter_add_rows', code, storageBindings: 4, uniforms: true });
  gpu.dispatch(kern, [p.src, p.starts, p.sources, p.dst], gpu.grid(Math.ceil(n / WG)), packSlots(vals, new Set()));
}

