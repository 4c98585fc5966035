// Fused log-prob of chosen tokens (the RL trainer's hottest op), and its backward, without
// ever materialising log-softmax over the vocabulary.
//
// Forward, per row of logits z = scale * x (scale = 1 / temperature), ONE sweep over the row:
//   lse = log sum_j exp(z_j)            (online max + rescaled sum of exp, softmax.ts onlineStats)
//   logp = z[t] - lse                   (0 when t is out of range: padding / ignore)
//   entropy = lse - sum_j p_j z_j       (optional, same sweep: sum exp(z - m) z rescaled alongside)
// Backward (one sweep, p recomputed from the saved lse):
//   dz_j = dlogp * (onehot_t(j) - p_j) - dentropy * p_j * (z_j - lse + H)
//   dx_j = scale * dz_j                 (optionally added to dlogits)
// Cross-entropy (kernels/cross-entropy.ts) is the same computation with loss = -logp.
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';
import { rowPlan, rowPrelude, rowHeader, rowGrid, vecHelpers, checkBuffer, checkDims, onlineStats, ROW_BUILTINS, type RowPlan } from './softmax.js';

export interface LogprobParams {
  /** [rows, vocab] f32 */
  logits: GPUBuffer;
  /** [rows] i32 token ids; ids outside [0, vocab) give logp = 0 (and no gradient) */
  targets: GPUBuffer;
  /** [rows] out: log p(target) */
  logp: GPUBuffer;
  /** [rows] out: log-sum-exp of the scaled row, saved for backward */
  lse: GPUBuffer;
  /** [rows] out (optional): entropy of the row's distribution */
  entropy?: GPUBuffer;
  rows: number;
  vocab: number;
  /** logits are multiplied by this (1 / temperature); default 1 */
  scale?: number;
  plan?: RowPlan;
}

export interface LogprobBackwardParams {
  logits: GPUBuffer;
  targets: GPUBuffer;
  /** [rows] from the forward */
  lse: GPUBuffer;
  /** [rows] upstream gradient of logp */
  dlogp: GPUBuffer;
  /** [rows, vocab] out */
  dlogits: GPUBuffer;
  /** [rows] upstream gradient of entropy (optional; needs `entropy`) */
  dentropy?: GPUBuffer;
  /** [rows] entropy from the forward (needed with dentropy) */
  entropy?: GPUBuffer;
  rows: number;
  vocab: number;
  scale?: number;
  /** dlogits += gradient instead of = */
  accumulate?: boolean;
  plan?: RowPlan;
}

/** Internal switches shared with cross-entropy. */
export interface RowLossOptions {
  /** negate: loss = -logp (cross-entropy) */
  negate: boolean;
  /** targets equal to this are ignored (cross-entropy's ignore_index); out-of-range ids are always ignored */
  ignoreIndex: number;
}

const LOGPROB: RowLossOptions = { negate: false, ignoreIndex: -1 };

function uniforms(rows: number, vocab: number, scale: number, ignoreIndex: number): ArrayBuffer {
  const u = new ArrayBuffer(16);
  new Uint32Array(u, 0, 2).set([rows, vocab]);
  new Float32Array(u, 8, 1)[0] = scale;
  new Int32Array(u, 12, 1)[0] = ignoreIndex;
  return u;
}

export function logprob(gpu: Gpu, p: LogprobParams): void {
  rowLossForward(gpu, 'logprob', { ...p, out: p.logp }, LOGPROB);
}

export function logprobBackward(gpu: Gpu, p: LogprobBackwardParams): void {
  rowLossBackward(gpu, 'logprobBackward', { ...p, dout: p.dlogp }, LOGPROB);
}

export interface RowLossForward {
  logits: GPUBuffer; targets: GPUBuffer; out: GPUBuffer; lse: GPUBuffer; entropy?: GPUBuffer;
  rows: number; vocab: number; scale?: number; plan?: RowPlan;
}
export interface RowLossBackward {
  logits: GPUBuffer; targets: GPUBuffer; lse: GPUBuffer; dout: GPUBuffer; dlogits: GPUBuffer;
  dentropy?: GPUBuffer; entropy?: GPUBuffer; rows: number; vocab: number; scale?: number; accumulate?: boolean; plan?: RowPlan;
}

export function rowLossForward(gpu: Gpu, op: string, p: RowLossForward, o: RowLossOptions): void {
  const { rows, vocab } = p;
  checkDims(op, { rows, vocab });
  if (rows === 0) return;
  if (vocab === 0) throw new RangeError(`${op}: vocab must be positive`);
  checkBuffer(op, 'logits', p.logits, rows * vocab);
  for (const [n, b] of [['targets', p.targets], ['out', p.out], ['lse', p.lse], ['entropy', p.entropy]] as const) if (b) checkBuffer(op, n, b, rows);
  const plan = p.plan ?? rowPlan(gpu, rows, vocab);
  const ent = !!p.entropy;
  const k = forwardKernel(gpu, plan, ent, o);
  const bufs = [p.logits, p.targets, p.out, p.lse];
  if (p.entropy) bufs.push(p.entropy);
  gpu.dispatch(k, bufs, rowGrid(gpu, plan, rows), new Uint8Array(uniforms(rows, vocab, p.scale ?? 1, o.ignoreIndex)));
}

export function rowLossBackward(gpu: Gpu, op: string, p: RowLossBackward, o: RowLossOptions): void {
  const { rows, vocab } = p;
  checkDims(op, { rows, vocab });
  if (rows === 0 || vocab === 0) return;
  if (!!p.dentropy !== !!p.entropy) throw new Error(`${op}: dentropy and entropy go together`);
  checkBuffer(op, 'logits', p.logits, rows * vocab);
  checkBuffer(op, 'dlogits', p.dlogits, rows * vocab);
  if (p.dlogits === p.logits) throw new Error(`${op}: dlogits must not alias logits`);
  for (const [n, b] of [['targets', p.targets], ['lse', p.lse], ['dout', p.dout], ['dentropy', p.dentropy], ['entropy', p.entropy]] as const) if (b) checkBuffer(op, n, b, rows);
  const plan = p.plan ?? rowPlan(gpu, rows, vocab);
  const ent = !!p.dentropy;
  const k = backwardKernel(gpu, plan, ent, !!p.accumulate, o);
  const bufs = [p.logits, p.targets, p.lse, p.dout, p.dlogits];
  if (p.dentropy && p.entropy) bufs.push(p.dentropy, p.entropy);
  gpu.dispatch(k, bufs, rowGrid(gpu, plan, rows), new Uint8Array(uniforms(rows, vocab, p.scale ?? 1, o.ignoreIndex)));
}

const HEAD = `struct P { rows: u32, cols: u32, scale: f32, ignore: i32 }`;

function validTarget(): string {
  return `fn validTarget(t: i32) -> bool { return t >= 0 && u32(t) < p.cols && t != p.ignore; }`;
}

function forwardKernel(gpu: Gpu, plan: RowPlan, ent: boolean, o: RowLossOptions): Kernel {
  return gpu.kernelFor(`rowloss_fwd|${plan.tpr}|${plan.wg}|${plan.vw}|${ent}|${o.negate}|${o.ignoreIndex}`, () => forwardSpec(plan, ent, o));
}

function forwardSpec(plan: RowPlan, ent: boolean, o: RowLossOptions): KernelSpec {
  const { tpr, vw } = plan;
  const code = `${vecHelpers(vw)}
${HEAD}
@group(0) @binding(0) var<storage, read> X: array<V>;
@group(0) @binding(1) var<storage, read> T: array<i32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<f32>;
@group(0) @binding(3) var<storage, read_write> LSE: array<f32>;
${ent ? '@group(0) @binding(4) var<storage, read_write> ENT: array<f32>;' : ''}
@group(0) @binding(${ent ? 5 : 4}) var<uniform> p: P;
${rowPrelude(plan)}
${validTarget()}
@compute @workgroup_size(${plan.wg})
fn main(${ROW_BUILTINS}) {
${rowHeader(plan)}
  let n = p.cols / ${vw}u;
  let base = row * n;
${onlineStats('X', plan, 'p.scale', ent)}
  if (rowOk && lane == 0u) {
    let lse = M + log(S);
    LSE[row] = lse;
    let t = T[row];
    var lp = 0.0;
    if (validTarget(t)) {
      let ti = row * p.cols + u32(t);
      lp = X[ti / ${vw}u]${vw === 4 ? '[ti % 4u]' : ''} * p.scale - lse;
    }
    OUT[row] = ${o.negate ? '-lp' : 'lp'};
    // H = lse - E[z]
    ${ent ? 'ENT[row] = lse - TZ / S;' : ''}
  }
}`;
  return { name: `${o.negate ? 'xent' : 'logprob'}_${plan.tpr}_${plan.wg}_${vw}${ent ? '_ent' : ''}`, code, storageBindings: ent ? 5 : 4, uniforms: true };
}

function backwardKernel(gpu: Gpu, plan: RowPlan, ent: boolean, acc: boolean, o: RowLossOptions): Kernel {
  return gpu.kernelFor(`rowloss_bwd|${plan.tpr}|${plan.wg}|${plan.vw}|${ent}|${acc}|${o.negate}|${o.ignoreIndex}`, () => backwardSpec(plan, ent, acc, o));
}

function backwardSpec(plan: RowPlan, ent: boolean, acc: boolean, o: RowLossOptions): KernelSpec {
  const { tpr, vw } = plan;
  // d(out)/dz_j: logprob: onehot - p; cross-entropy: p - onehot
  const code = `${vecHelpers(vw)}
${HEAD}
@group(0) @binding(0) var<storage, read> X: array<V>;
@group(0) @binding(1) var<storage, read> T: array<i32>;
@group(0) @binding(2) var<storage, read> LSE: array<f32>;
@group(0) @binding(3) var<storage, read> DOUT: array<f32>;
@group(0) @binding(4) var<storage, read_write> DX: array<V>;
${ent ? '@group(0) @binding(5) var<storage, read> DENT: array<f32>;\n@group(0) @binding(6) var<storage, read> ENT: array<f32>;' : ''}
@group(0) @binding(${ent ? 7 : 5}) var<uniform> p: P;
${validTarget()}
@compute @workgroup_size(${plan.wg})
fn main(${ROW_BUILTINS}) {
${rowHeader(plan)}
  if (!rowOk) { return; }
  let n = p.cols / ${vw}u;
  let base = row * n;
  let lse = LSE[row];
  let t = T[row];
  // gradient through logp (zero when the target is ignored)
  var g = 0.0;
  if (validTarget(t)) { g = ${o.negate ? '-' : ''}DOUT[row]; }
  let tcol = select(0xffffffffu, u32(t), validTarget(t));
  ${ent ? 'let gh = DENT[row]; let H = ENT[row];' : ''}
  for (var j = lane; j < n; j += ${tpr}u) {
    let z = X[base + j] * p.scale;
    let pr = exp(z - lse);
    ${vw === 4 ? 'let col = vec4u(j * 4u) + vec4u(0u, 1u, 2u, 3u);\n    let onehot = select(V(0.0), V(1.0), col == vec4u(tcol));' : 'let onehot = select(0.0, 1.0, j == tcol);'}
    var d = g * (onehot - pr);
    ${ent ? 'd -= gh * pr * (z - lse + H);' : ''}
    d *= p.scale;
    ${acc ? 'DX[base + j] += d;' : 'DX[base + j] = d;'}
  }
}`;
  // rowPrelude is not needed: no reductions in backward (no barriers, so early return is fine)
  return { name: `${o.negate ? 'xent' : 'logprob'}_bwd_${plan.tpr}_${plan.wg}_${vw}${ent ? '_ent' : ''}${acc ? '_acc' : ''}`, code, storageBindings: ent ? 7 : 5, uniforms: true };
}
