// Softmax and log-softmax over the last axis, forward and backward.
//
// Row kernels (this file, logprob, cross-entropy, norms) share one work layout, `RowPlan`:
// `tpr` threads cooperate on a row (columns strided between them, combined by a tree in
// workgroup memory), `wg / tpr` rows per workgroup. On lavapipe one workgroup is one CPU
// thread with SIMD across invocations, so barriers are expensive and tpr = 1 (a row per
// invocation, no barrier at all) wins whenever there are enough rows to fill the lanes; on a
// GPU a row is spread over a whole workgroup. Columns are read as vec4 when cols % 4 == 0.
//
// Forward (2 sweeps over a row): max and sum of exp in one online sweep (onlineStats), then
//   softmax: out = exp(x - m) / s;   log-softmax: out = x - m - log s
// Backward:
//   softmax:     dx = y * (dy - sum(dy * y))
//   log-softmax: dx = dy - exp(y) * sum(dy)
import type { Gpu, Kernel } from '../gpu/device.js';

export interface RowPlan {
  /** threads per row (power of two) */
  tpr: number;
  /** workgroup size (multiple of tpr) */
  wg: number;
  /** vector width of column access: 4 when cols % 4 == 0 */
  vw: 1 | 4;
}

/** How to lay rows over threads for this device's kernel family (see the file comment). */
export function rowPlan(gpu: Gpu, rows: number, cols: number): RowPlan {
  const vw = cols % 4 === 0 ? 4 : 1;
  if (gpu.kernelFamily === 'lavapipe') {
    if (rows >= 128) return { tpr: 1, wg: 32, vw };
    if (rows >= 16) return { tpr: 4, wg: 32, vw };
    return { tpr: 16, wg: 32, vw };
  }
  const tpr = cols >= 2048 ? 256 : cols >= 256 ? 64 : 16;
  return { tpr, wg: Math.max(tpr, 64), vw };
}

/**
 * WGSL prelude for a row kernel: the row index `row` (clamped; `rowOk` says whether it is
 * real), the thread's lane within the row `lane`, and reductions across the row's threads
 * (`rsum`, `rmax`; identity when tpr == 1). The entry point must declare
 *   @builtin(workgroup_id) wid, @builtin(num_workgroups) nwg, @builtin(local_invocation_index) lt
 * and call `rowSetup` values as written by `rowHeader()`.
 */
export function rowPrelude(plan: RowPlan): string {
  const { tpr, wg } = plan;
  if (tpr === 1) {
    return `fn rsum(v: f32, lt: u32) -> f32 { return v; }\nfn rmax(v: f32, lt: u32) -> f32 { return v; }`;
  }
  const red = (name: string, op: string) => `
fn ${name}(v: f32, lt: u32) -> f32 {
  red[lt] = v;
  workgroupBarrier();
  let l = lt % ${tpr}u;
  for (var s = ${tpr / 2}u; s > 0u; s >>= 1u) {
    if (l < s) { red[lt] = ${op.replace('A', 'red[lt]').replace('B', 'red[lt + s]')}; }
    workgroupBarrier();
  }
  let r = red[lt - l];
  workgroupBarrier();
  return r;
}`;
  return `var<workgroup> red: array<f32, ${wg}>;` + red('rsum', 'A + B') + red('rmax', 'max(A, B)');
}

/** Statements that define row, rowOk, lane inside main (uniform p must have field `rows`). */
export function rowHeader(plan: RowPlan): string {
  const rpw = plan.wg / plan.tpr;
  return `  let wgi = wid.x + wid.y * nwg.x;
  let rowU = wgi * ${rpw}u + lt / ${plan.tpr}u;
  let rowOk = rowU < p.rows;
  let row = min(rowU, p.rows - 1u);
  let lane = lt % ${plan.tpr}u;`;
}

export const ROW_BUILTINS = '@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lt: u32';

export function rowGrid(gpu: Gpu, plan: RowPlan, rows: number): [number, number] {
  return gpu.grid(Math.ceil(rows / (plan.wg / plan.tpr)));
}

/** Per-vector reductions of the vw-wide type `V` used by row kernels. */
export function vecHelpers(vw: 1 | 4): string {
  return vw === 4
    ? `alias V = vec4f;
fn hsum(v: V) -> f32 { return v.x + v.y + v.z + v.w; }
fn hmax(v: V) -> f32 { return max(max(v.x, v.y), max(v.z, v.w)); }`
    : `alias V = f32;
fn hsum(v: V) -> f32 { return v; }
fn hmax(v: V) -> f32 { return v; }`;
}

/**
 * WGSL statements computing, in ONE sweep over a row, the row max and the sum of exponentials
 * (online softmax: a running max per vector lane, the sum rescaled when the max grows; blocks of
 * `block` vectors share one rescale, so it costs ~1 + 1/block exp per element). Defines after the loop:
 *   M (row max of z), S = sum exp(z - M), and with `withZ` TZ = sum exp(z - M) * z,
 * where z = arr[base + j] * scale. Needs base, n, lane, lt in scope and rowPrelude's rsum/rmax.
 * On lavapipe every load is expensive (one per lane, with its own checks), so saving a sweep
 * matters more than the extra exps.
 */
export function onlineStats(arr: string, plan: RowPlan, scale: string, withZ: boolean, block = 4): string {
  const { tpr } = plan;
  const z = (i: number) => `${arr}[base + j${i ? ` + ${i * tpr}u` : ''}]${scale === '1.0' ? '' : ` * ${scale}`}`;
  const B = Array.from({ length: block }, (_, i) => i);
  // pairwise max / sum trees keep the dependency chains short
  const tree = (xs: string[], op: (a: string, b: string) => string): string => (xs.length === 1 ? xs[0] : tree(Array.from({ length: Math.ceil(xs.length / 2) }, (_, i) => (xs[2 * i + 1] ? op(xs[2 * i], xs[2 * i + 1]) : xs[2 * i])), op));
  return `  var m = V(-3.0e38);
  var s = V(0.0);
  ${withZ ? 'var t = V(0.0);' : ''}
  var j = lane;
  for (; j + ${(block - 1) * tpr}u < n; j += ${block * tpr}u) {
${B.map((i) => `    let x${i} = ${z(i)};`).join('\n')}
    let bm = max(m, ${tree(B.map((i) => `x${i}`), (a, b) => `max(${a}, ${b})`)});
    let c = exp(m - bm);
${B.map((i) => `    let e${i} = exp(x${i} - bm);`).join('\n')}
    s = s * c + ${tree(B.map((i) => `e${i}`), (a, b) => `(${a} + ${b})`)};
    ${withZ ? `t = t * c + ${tree(B.map((i) => `e${i} * x${i}`), (a, b) => `(${a} + ${b})`)};` : ''}
    m = bm;
  }
  for (; j < n; j += ${tpr}u) {
    let x0 = ${z(0)};
    let bm = max(m, x0);
    let c = exp(m - bm);
    let e0 = exp(x0 - bm);
    s = s * c + e0;
    ${withZ ? 't = t * c + e0 * x0;' : ''}
    m = bm;
  }
  let M = rmax(hmax(m), lt);
  let w = exp(m - M);
  let S = rsum(hsum(s * w), lt);
  ${withZ ? 'let TZ = rsum(hsum(t * w), lt);' : ''}`;
}

export function checkBuffer(op: string, name: string, buf: GPUBuffer, elems: number): void {
  if (elems * 4 > buf.size) throw new RangeError(`${op}: buffer '${name}' holds ${buf.size} bytes, needs ${elems * 4}`);
}

export function checkDims(op: string, dims: Record<string, number>): void {
  for (const [k, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${k} must be a non-negative integer, got ${v}`);
  }
}

export interface SoftmaxParams {
  x: GPUBuffer;
  out: GPUBuffer;
  rows: number;
  cols: number;
  /** log-softmax instead of softmax */
  log?: boolean;
  plan?: RowPlan;
}

export interface SoftmaxBackwardParams {
  /** the forward output (softmax probabilities, or log-probabilities when log) */
  y: GPUBuffer;
  dy: GPUBuffer;
  dx: GPUBuffer;
  rows: number;
  cols: number;
  log?: boolean;
  plan?: RowPlan;
}

function uniforms(rows: number, cols: number): Uint32Array {
  return new Uint32Array([rows, cols, 0, 0]);
}

/** out = softmax(x) (or log-softmax) over the last axis of [rows, cols]. out may equal x. */
export function softmax(gpu: Gpu, p: SoftmaxParams): void {
  checkDims('softmax', { rows: p.rows, cols: p.cols });
  if (p.rows === 0 || p.cols === 0) return;
  checkBuffer('softmax', 'x', p.x, p.rows * p.cols);
  checkBuffer('softmax', 'out', p.out, p.rows * p.cols);
  const plan = p.plan ?? rowPlan(gpu, p.rows, p.cols);
  const inPlace = p.x === p.out;
  const k = softmaxKernel(gpu, plan, !!p.log, inPlace);
  gpu.dispatch(k, inPlace ? [p.out] : [p.x, p.out], rowGrid(gpu, plan, p.rows), uniforms(p.rows, p.cols));
}

/** dx = d softmax (or log-softmax) given the forward output y and upstream dy. dx may equal dy. */
export function softmaxBackward(gpu: Gpu, p: SoftmaxBackwardParams): void {
  checkDims('softmaxBackward', { rows: p.rows, cols: p.cols });
  if (p.rows === 0 || p.cols === 0) return;
  for (const [n, b] of [['y', p.y], ['dy', p.dy], ['dx', p.dx]] as const) checkBuffer('softmaxBackward', n, b, p.rows * p.cols);
  if (p.y === p.dx) throw new Error('softmaxBackward: dx must not alias y');
  const plan = p.plan ?? rowPlan(gpu, p.rows, p.cols);
  const inPlace = p.dy === p.dx;
  const k = softmaxBackwardKernel(gpu, plan, !!p.log, inPlace);
  gpu.dispatch(k, inPlace ? [p.y, p.dx] : [p.y, p.dy, p.dx], rowGrid(gpu, plan, p.rows), uniforms(p.rows, p.cols));
}

function planName(p: RowPlan): string {
  return `t${p.tpr}_w${p.wg}_v${p.vw}`;
}

function softmaxKernel(gpu: Gpu, plan: RowPlan, log: boolean, inPlace: boolean): Kernel {
  const { tpr, vw } = plan;
  const X = inPlace ? 'O' : 'X';
  const code = `${vecHelpers(vw)}
struct P { rows: u32, cols: u32, _a: u32, _b: u32 }
${inPlace ? '' : '@group(0) @binding(0) var<storage, read> X: array<V>;'}
@group(0) @binding(${inPlace ? 0 : 1}) var<storage, read_write> O: array<V>;
@group(0) @binding(${inPlace ? 1 : 2}) var<uniform> p: P;
${rowPrelude(plan)}
@compute @workgroup_size(${plan.wg})
fn main(${ROW_BUILTINS}) {
${rowHeader(plan)}
  let n = p.cols / ${vw}u;
  let base = row * n;
${onlineStats(X, plan, '1.0', false)}
${
  log
    ? `  let shift = M + log(S);
  if (rowOk) { for (var j = lane; j < n; j += ${tpr}u) { O[base + j] = ${X}[base + j] - shift; } }`
    : `  let inv = 1.0 / S;
  if (rowOk) { for (var j = lane; j < n; j += ${tpr}u) { O[base + j] = exp(${X}[base + j] - M) * inv; } }`
}
}`;
  return gpu.kernel({ name: `${log ? 'logsoftmax' : 'softmax'}_${planName(plan)}${inPlace ? '_inplace' : ''}`, code, storageBindings: inPlace ? 1 : 2, uniforms: true });
}

function softmaxBackwardKernel(gpu: Gpu, plan: RowPlan, log: boolean, inPlace: boolean): Kernel {
  const { tpr, vw } = plan;
  const DY = inPlace ? 'DX' : 'DY';
  const code = `${vecHelpers(vw)}
struct P { rows: u32, cols: u32, _a: u32, _b: u32 }
@group(0) @binding(0) var<storage, read> Y: array<V>;
${inPlace ? '' : '@group(0) @binding(1) var<storage, read> DY: array<V>;'}
@group(0) @binding(${inPlace ? 1 : 2}) var<storage, read_write> DX: array<V>;
@group(0) @binding(${inPlace ? 2 : 3}) var<uniform> p: P;
${rowPrelude(plan)}
@compute @workgroup_size(${plan.wg})
fn main(${ROW_BUILTINS}) {
${rowHeader(plan)}
  let n = p.cols / ${vw}u;
  let base = row * n;
  var s = V(0.0);
${
  log
    ? `  for (var j = lane; j < n; j += ${tpr}u) { s += ${DY}[base + j]; }
  let g = rsum(hsum(s), lt);
  if (rowOk) { for (var j = lane; j < n; j += ${tpr}u) { DX[base + j] = ${DY}[base + j] - exp(Y[base + j]) * g; } }`
    : `  for (var j = lane; j < n; j += ${tpr}u) { s += ${DY}[base + j] * Y[base + j]; }
  let g = rsum(hsum(s), lt);
  if (rowOk) { for (var j = lane; j < n; j += ${tpr}u) { DX[base + j] = Y[base + j] * (${DY}[base + j] - g); } }`
}
}`;
  return gpu.kernel({ name: `${log ? 'logsoftmax' : 'softmax'}_bwd_${planName(plan)}${inPlace ? '_inplace' : ''}`, code, storageBindings: inPlace ? 2 : 3, uniforms: true });
}
