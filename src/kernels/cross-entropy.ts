// Fused cross-entropy over [rows, vocab] logits with integer targets and an ignore index:
//   loss[r] = lse(z_r) - z_r[t_r]   (0 when t_r == ignoreIndex or out of range), z = scale * x
//   dlogits = dloss[r] * scale * (softmax(z_r) - onehot(t_r))   (0 for ignored rows)
// The same single-sweep kernels as the fused log-prob (kernels/logprob.ts) with loss = -logp;
// neither materialises softmax over the vocabulary. Reducing loss to a mean (divide by the
// number of non-ignored rows) is left to the caller, who passes dloss = 1/count per row.
import type { Gpu } from '../gpu/device.js';
import type { RowPlan } from './softmax.js';
import { rowLossForward, rowLossBackward } from './logprob.js';

export interface CrossEntropyParams {
  logits: GPUBuffer;
  /** [rows] i32 */
  targets: GPUBuffer;
  /** [rows] out */
  loss: GPUBuffer;
  /** [rows] out, saved for backward */
  lse: GPUBuffer;
  rows: number;
  vocab: number;
  /** default -100 (PyTorch's) */
  ignoreIndex?: number;
  scale?: number;
  plan?: RowPlan;
}

export interface CrossEntropyBackwardParams {
  logits: GPUBuffer;
  targets: GPUBuffer;
  lse: GPUBuffer;
  /** [rows] upstream gradient of loss */
  dloss: GPUBuffer;
  dlogits: GPUBuffer;
  rows: number;
  vocab: number;
  ignoreIndex?: number;
  scale?: number;
  accumulate?: boolean;
  plan?: RowPlan;
}

export function crossEntropy(gpu: Gpu, p: CrossEntropyParams): void {
  rowLossForward(gpu, 'crossEntropy', { ...p, out: p.loss }, { negate: true, ignoreIndex: p.ignoreIndex ?? -100 });
}

export function crossEntropyBackward(gpu: Gpu, p: CrossEntropyBackwardParams): void {
  rowLossBackward(gpu, 'crossEntropyBackward', { ...p, dout: p.dloss }, { negate: true, ignoreIndex: p.ignoreIndex ?? -100 });
}
