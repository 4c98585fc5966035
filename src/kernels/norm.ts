// RMSNorm and LayerNorm over the last axis, forward and backward.
//
// Forward (one kernel; a row is read twice: statistics, then the normalised write):
//   RMSNorm:   r = 1/sqrt(mean(x^2) + eps);         y = x * r * w
//   LayerNorm: mu = mean(x), r = 1/sqrt(var + eps); y = (x - mu) * r * w + b
// The variance uses sums shifted by the row's first element, which keeps f32 accurate when
// |mean| >> std. mean/rstd are saved per row for backward.
// Backward, with xh = (x - mu) * r (mu = 0 for RMSNorm) and g = dy * w:
//   RMSNorm:   dx = r * (g - xh * mean(g * xh))
//   LayerNorm: dx = r * (g - mean(g) - xh * mean(g * xh))
//   dw = sum_rows dy * xh, db = sum_rows dy
// dw/db are column sums over rows, done without atomics by a column kernel: rows are cut
// into chunks, one invocation per (4 columns, chunk) sums its chunk (the rows it streams over
// are uniform across the workgroup), and a second pass adds the chunk partials (skipped when
// there is one chunk). Deterministic.
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';
import { rowPlan, rowPrelude, rowHeader, rowGrid, vecHelpers, checkBuffer, checkDims, ROW_BUILTINS, type RowPlan } from './softmax.js';

export interface NormParams {
  x: GPUBuffer;
  /** [cols] scale (gamma) */
  weight: GPUBuffer;
  /** [cols] shift (beta), LayerNorm only, optional */
  bias?: GPUBuffer;
  out: GPUBuffer;
  /** [rows] out: 1/sqrt(var + eps) (or of mean square for RMSNorm); needed by backward */
  rstd: GPUBuffer;
  /** [rows] out, LayerNorm only: the row mean */
  mean?: GPUBuffer;
  rows: number;
  cols: number;
  eps?: number;
  plan?: RowPlan;
}

export interface NormBackwardParams {
  x: GPUBuffer;
  weight: GPUBuffer;
  rstd: GPUBuffer;
  /** LayerNorm only */
  mean?: GPUBuffer;
  dy: GPUBuffer;
  dx: GPUBuffer;
  /** [cols] out: gradient of weight */
  dweight?: GPUBuffer;
  /** [cols] out: gradient of bias (LayerNorm) */
  dbias?: GPUBuffer;
  /** add into dweight/dbias instead of overwriting (gradient accumulation) */
  accumulate?: boolean;
  rows: number;
  cols: number;
  plan?: RowPlan;
}

type Kind = 'rms' | 'layer';

/** Shared start of every norm kernel: bindings, uniforms, row prologue, row base and width. */
function normHead(plan: RowPlan, names: [string, string, boolean][]): string {
  return `${vecHelpers(plan.vw)}
struct P { rows: u32, cols: u32, eps: f32, _a: u32 }
${names.map(([n, t, w], i) => `@group(0) @binding(${i}) var<storage, ${w ? 'read_write' : 'read'}> ${n}: array<${t}>;`).join('\n')}
@group(0) @binding(${names.length}) var<uniform> p: P;
${rowPrelude(plan)}
@compute @workgroup_size(${plan.wg})
fn main(${ROW_BUILTINS}) {
${rowHeader(plan)}
  let n = p.cols / ${plan.vw}u;
  let base = row * n;
  let nf = f32(p.cols);`;
}

function u(rows: number, cols: number, eps: number, extra = 0): Uint8Array {
  const b = new ArrayBuffer(16);
  new Uint32Array(b, 0, 2).set([rows, cols]);
  new Float32Array(b, 8, 1)[0] = eps;
  new Uint32Array(b, 12, 1)[0] = extra;
  return new Uint8Array(b);
}

export function rmsNorm(gpu: Gpu, p: NormParams): void {
  normForward(gpu, 'rms', p);
}
export function layerNorm(gpu: Gpu, p: NormParams): void {
  if (!p.mean) throw new Error('layerNorm: the mean buffer ([rows]) is required (backward needs it)');
  normForward(gpu, 'layer', p);
}
export function rmsNormBackward(gpu: Gpu, p: NormBackwardParams): void {
  normBackward(gpu, 'rms', p);
}
export function layerNormBackward(gpu: Gpu, p: NormBackwardParams): void {
  if (!p.mean) throw new Error('layerNormBackward: the mean buffer is required');
  normBackward(gpu, 'layer', p);
}

function normForward(gpu: Gpu, kind: Kind, p: NormParams): void {
  const op = kind === 'rms' ? 'rmsNorm' : 'layerNorm';
  checkDims(op, { rows: p.rows, cols: p.cols });
  if (p.rows === 0) return;
  if (p.cols === 0) throw new RangeError(`${op}: cols must be positive`);
  checkBuffer(op, 'x', p.x, p.rows * p.cols);
  checkBuffer(op, 'out', p.out, p.rows * p.cols);
  checkBuffer(op, 'weight', p.weight, p.cols);
  if (p.bias) checkBuffer(op, 'bias', p.bias, p.cols);
  checkBuffer(op, 'rstd', p.rstd, p.rows);
  if (p.mean) checkBuffer(op, 'mean', p.mean, p.rows);
  const plan = p.plan ?? rowPlan(gpu, p.rows, p.cols);
  const hasBias = kind === 'layer' && !!p.bias;
  const inPlace = p.x === p.out;
  const k = forwardKernel(gpu, kind, plan, hasBias, inPlace);
  const bufs: GPUBuffer[] = inPlace ? [p.out, p.weight] : [p.x, p.out, p.weight];
  if (hasBias) bufs.push(p.bias!);
  bufs.push(p.rstd);
  if (kind === 'layer') bufs.push(p.mean!);
  gpu.dispatch(k, bufs, rowGrid(gpu, plan, p.rows), u(p.rows, p.cols, p.eps ?? (kind === 'rms' ? 1e-6 : 1e-5)));
}

function forwardKernel(gpu: Gpu, kind: Kind, plan: RowPlan, hasBias: boolean, inPlace: boolean): Kernel {
  return gpu.kernelFor(`norm_fwd|${kind}|${plan.tpr}|${plan.wg}|${plan.vw}|${hasBias}|${inPlace}`, () => forwardSpec(kind, plan, hasBias, inPlace));
}

function forwardSpec(kind: Kind, plan: RowPlan, hasBias: boolean, inPlace: boolean): KernelSpec {
  const { tpr, vw } = plan;
  const names: [string, string, boolean][] = [];
  if (!inPlace) names.push(['X', 'V', false]);
  names.push(['Y', 'V', true], ['W', 'V', false]);
  if (hasBias) names.push(['BI', 'V', false]);
  names.push(['RSTD', 'f32', true]);
  if (kind === 'layer') names.push(['MEAN', 'f32', true]);
  const X = inPlace ? 'Y' : 'X';
  const code = `${normHead(plan, names)}
${
  kind === 'rms'
    ? `  var ss = V(0.0);
  for (var j = lane; j < n; j += ${tpr}u) { let x = ${X}[base + j]; ss += x * x; }
  let r = inverseSqrt(rsum(hsum(ss), lt) / nf + p.eps);
  let mu = 0.0;`
    : `  // shift by the row's first element so sum/sum-of-squares do not cancel catastrophically
  let x0 = ${X}[base]${vw === 4 ? '.x' : ''};
  var s1 = V(0.0);
  var s2 = V(0.0);
  for (var j = lane; j < n; j += ${tpr}u) { let x = ${X}[base + j] - x0; s1 += x; s2 += x * x; }
  let m1 = rsum(hsum(s1), lt) / nf;
  let var_ = max(rsum(hsum(s2), lt) / nf - m1 * m1, 0.0);
  let r = inverseSqrt(var_ + p.eps);
  let mu = x0 + m1;`
}
  if (rowOk) {
    for (var j = lane; j < n; j += ${tpr}u) {
      Y[base + j] = (${X}[base + j] - mu) * r * W[j]${hasBias ? ' + BI[j]' : ''};
    }
    if (lane == 0u) {
      RSTD[row] = r;
      ${kind === 'layer' ? 'MEAN[row] = mu;' : ''}
    }
  }
}`;
  return { name: `${kind}norm_${plan.tpr}_${plan.wg}_${vw}${hasBias ? '_bias' : ''}${inPlace ? '_inplace' : ''}`, code, storageBindings: names.length, uniforms: true };
}

function normBackward(gpu: Gpu, kind: Kind, p: NormBackwardParams): void {
  const op = kind === 'rms' ? 'rmsNormBackward' : 'layerNormBackward';
  checkDims(op, { rows: p.rows, cols: p.cols });
  if (p.rows === 0 || p.cols === 0) return;
  for (const [n, b] of [['x', p.x], ['dy', p.dy], ['dx', p.dx]] as const) checkBuffer(op, n, b, p.rows * p.cols);
  checkBuffer(op, 'weight', p.weight, p.cols);
  checkBuffer(op, 'rstd', p.rstd, p.rows);
  if (p.mean) checkBuffer(op, 'mean', p.mean, p.rows);
  if (p.dweight) checkBuffer(op, 'dweight', p.dweight, p.cols);
  if (p.dbias) checkBuffer(op, 'dbias', p.dbias, p.cols);
  if (p.dx === p.x) throw new Error(`${op}: dx must not alias x`);
  if (p.dbias && kind === 'rms') throw new Error('rmsNormBackward: RMSNorm has no bias');
  const plan = p.plan ?? rowPlan(gpu, p.rows, p.cols);
  const uni = u(p.rows, p.cols, 0);
  // parameter gradients first: they read dy, which dx may overwrite in place
  if (p.dweight || p.dbias) paramGrads(gpu, kind, p, plan.vw);
  const inPlace = p.dx === p.dy;
  const bufs: GPUBuffer[] = [p.x, p.weight, p.rstd];
  if (kind === 'layer') bufs.push(p.mean!);
  if (!inPlace) bufs.push(p.dy);
  bufs.push(p.dx);
  gpu.dispatch(backwardKernel(gpu, kind, plan, inPlace), bufs, rowGrid(gpu, plan, p.rows), uni);
}

function backwardKernel(gpu: Gpu, kind: Kind, plan: RowPlan, inPlace: boolean): Kernel {
  return gpu.kernelFor(`norm_bwd|${kind}|${plan.tpr}|${plan.wg}|${plan.vw}|${inPlace}`, () => backwardSpec(kind, plan, inPlace));
}

function backwardSpec(kind: Kind, plan: RowPlan, inPlace: boolean): KernelSpec {
  const { tpr, vw } = plan;
  const names: [string, string, boolean][] = [['X', 'V', false], ['W', 'V', false], ['RSTD', 'f32', false]];
  if (kind === 'layer') names.push(['MEAN', 'f32', false]);
  if (!inPlace) names.push(['DY', 'V', false]);
  names.push(['DX', 'V', true]);
  const DY = inPlace ? 'DX' : 'DY';
  const code = `${normHead(plan, names)}
  let r = RSTD[row];
  let mu = ${kind === 'layer' ? 'MEAN[row]' : '0.0'};
  var sgx = V(0.0);
  ${kind === 'layer' ? 'var sg = V(0.0);' : ''}
  for (var j = lane; j < n; j += ${tpr}u) {
    let g = ${DY}[base + j] * W[j];
    sgx += g * (X[base + j] - mu) * r;
    ${kind === 'layer' ? 'sg += g;' : ''}
  }
  let mgx = rsum(hsum(sgx), lt) / nf;
  let mg = ${kind === 'layer' ? 'rsum(hsum(sg), lt) / nf' : '0.0'};
  if (rowOk) {
    for (var j = lane; j < n; j += ${tpr}u) {
      let xh = (X[base + j] - mu) * r;
      DX[base + j] = r * (${DY}[base + j] * W[j] - mg - xh * mgx);
    }
  }
}`;
  return { name: `${kind}norm_bwd_${plan.tpr}_${plan.wg}_${vw}${inPlace ? '_inplace' : ''}`, code, storageBindings: names.length, uniforms: true };
}

const COL_WG = 32;

/** dw (and db) = column sums over rows of dy * xh (and dy). */
function paramGrads(gpu: Gpu, kind: Kind, p: NormBackwardParams, vw: 1 | 4): void {
  const { rows, cols } = p;
  const rowsPerChunk = Math.max(64, Math.ceil(rows / 32));
  const chunks = Math.ceil(rows / rowsPerChunk);
  const ncol = cols / vw;
  const wantW = !!p.dweight, wantB = !!p.dbias;
  const direct = chunks === 1;
  const partW = wantW ? (direct ? p.dweight! : gpu.alloc(chunks * cols * 4)) : null;
  const partB = wantB ? (direct ? p.dbias! : gpu.alloc(chunks * cols * 4)) : null;
  const acc = direct && !!p.accumulate;
  const bufs: GPUBuffer[] = [p.x, p.dy, p.rstd];
  if (kind === 'layer') bufs.push(p.mean!);
  if (partW) bufs.push(partW);
  if (partB) bufs.push(partB);
  gpu.dispatch(colKernel(gpu, kind, vw, wantW, wantB, acc), bufs, [Math.ceil(ncol / COL_WG), chunks], u(rows, cols, 0, rowsPerChunk));
  if (!direct) {
    for (const [part, out] of [[partW, p.dweight], [partB, p.dbias]] as const) {
      if (!part || !out) continue;
      gpu.dispatch(chunkSumKernel(gpu, vw, !!p.accumulate), [part, out], [Math.ceil(ncol / COL_WG)], u(chunks, cols, 0));
      gpu.free(part);
    }
  }
}

function colKernel(gpu: Gpu, kind: Kind, vw: 1 | 4, wantW: boolean, wantB: boolean, acc: boolean): Kernel {
  return gpu.kernelFor(`norm_col|${kind}|${vw}|${wantW}|${wantB}|${acc}`, () => colSpec(kind, vw, wantW, wantB, acc));
}

function colSpec(kind: Kind, vw: 1 | 4, wantW: boolean, wantB: boolean, acc: boolean): KernelSpec {
  const names: [string, string, boolean][] = [['X', 'V', false], ['DY', 'V', false], ['RSTD', 'f32', false]];
  if (kind === 'layer') names.push(['MEAN', 'f32', false]);
  if (wantW) names.push(['PW', 'V', true]);
  if (wantB) names.push(['PB', 'V', true]);
  const code = `${vecHelpers(vw)}
struct P { rows: u32, cols: u32, eps: f32, rowsPerChunk: u32 }
${names.map(([n, t, w], i) => `@group(0) @binding(${i}) var<storage, ${w ? 'read_write' : 'read'}> ${n}: array<${t}>;`).join('\n')}
@group(0) @binding(${names.length}) var<uniform> p: P;
@compute @workgroup_size(${COL_WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let n = p.cols / ${vw}u;
  let c = wid.x * ${COL_WG}u + li;
  let cc = min(c, n - 1u);
  let r0 = wid.y * p.rowsPerChunk;
  let r1 = min(r0 + p.rowsPerChunk, p.rows);
  var sw = V(0.0);
  var sb = V(0.0);
  for (var r = r0; r < r1; r += 1u) {
    let dy = DY[r * n + cc];
    sw += dy * (X[r * n + cc] - ${kind === 'layer' ? 'MEAN[r]' : '0.0'}) * RSTD[r];
    sb += dy;
  }
  if (c < n) {
    ${wantW ? `PW[wid.y * n + c] ${acc ? '+=' : '='} sw;` : ''}
    ${wantB ? `PB[wid.y * n + c] ${acc ? '+=' : '='} sb;` : ''}
  }
}`;
  return { name: `${kind}norm_dparams_${vw}${wantW ? '_w' : ''}${wantB ? '_b' : ''}${acc ? '_acc' : ''}`, code, storageBindings: names.length, uniforms: true };
}

function chunkSumKernel(gpu: Gpu, vw: 1 | 4, acc: boolean): Kernel {
  return gpu.kernelFor(`norm_chunksum|${vw}|${acc}`, () => chunkSumSpec(vw, acc));
}

function chunkSumSpec(vw: 1 | 4, acc: boolean): KernelSpec {
  const code = `${vecHelpers(vw)}
struct P { chunks: u32, cols: u32, eps: f32, _a: u32 }
@group(0) @binding(0) var<storage, read> PART: array<V>;
@group(0) @binding(1) var<storage, read_write> OUT: array<V>;
@group(0) @binding(2) var<uniform> p: P;
@compute @workgroup_size(${COL_WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let n = p.cols / ${vw}u;
  let c = wid.x * ${COL_WG}u + li;
  if (c >= n) { return; }
  var s = V(0.0);
  for (var k = 0u; k < p.chunks; k += 1u) { s += PART[k * n + c]; }
  OUT[c] ${acc ? '+=' : '='} s;
}`;
  return { name: `norm_chunksum_${vw}${acc ? '_acc' : ''}`, code, storageBindings: 2, uniforms: true };
}
