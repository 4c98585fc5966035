// The optimizer's in-place ops, outside autograd:
//
//   globalNorm(xs)  = sqrt(sum over tensors of sum x^2), left on the GPU as a scalar
//   adamwStep:        for every (param, grad, m, v), with c = min(1, maxNorm / (norm + 1e-6))
//                     when a norm is given (else 1) and g = c * grad,
//     m = b1 m + (1 - b1) g        v = b2 v + (1 - b2) g^2
//     p = p - lr * (m / (1 - b1^step) / (sqrt(v / (1 - b2^step)) + eps) + wd * p)
//
// The kernels are src/kernels/gradnorm.ts (two passes, fixed order: deterministic) and
// src/kernels/adamw.ts (up to three tensors per dispatch).
import { adamwMulti, type AdamwTensor } from '../../kernels/adamw.js';
import { globalNorm as globalNormKernel } from '../../kernels/gradnorm.js';
import type { Tensor } from '../tensor.js';
import { fmt, ShapeError } from '../shape.js';
import { empty } from './create.js';

/** The L2 norm of all elements of all `xs` (f32), as a scalar f32 tensor. */
export function globalNorm(xs: readonly Tensor[]): Tensor {
  if (!xs.length) throw new Error('globalNorm: no tensors');
  for (const x of xs) if (x.dtype !== 'f32') throw new ShapeError(`globalNorm: tensors must be f32, got ${x.dtype} ${fmt(x.shape)}`);
  // contiguous tensors are read in place (from their offset); views are packed first
  const held = xs.map((x) => (x.realise().isContiguous ? x.share() : x.contiguousCopy()));
  const out = empty(xs[0].gpu, []);
  globalNormKernel(out.gpu, held.map((h) => ({ buffer: h.storage!.buffer, n: h.size, offset: h.offset })), out.storage!.buffer);
  for (const h of held) h.dispose();
  return out;
}

export interface AdamWSlot {
  /** packed f32 tensors of one shape; param, m and v are updated in place */
  param: Tensor;
  grad: Tensor;
  m: Tensor;
  v: Tensor;
  weightDecay: number;
}

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count (bias correction) */
  step: number;
  /** clip gradients by this scalar norm (globalNorm's result) to maxNorm */
  clip?: { norm: Tensor; maxNorm: number };
}

/** One AdamW update of every slot (see the file comment), on the GPU. */
export function adamwStep(slots: readonly AdamWSlot[], h: AdamWHyper): void {
  if (!slots.length) return;
  const items: AdamwTensor[] = [];
  const held: Tensor[] = [];
  for (const [i, s] of slots.entries()) {
    for (const k of ['param', 'm', 'v'] as const) {
      const t = s[k];
      if (!t.isContiguous || t.offset !== 0 || t.dtype !== 'f32') throw new ShapeError(`adamwStep: slot ${i}: ${k} must be a packed f32 tensor, got ${t.dtype} ${fmt(t.shape)}`);
    }
    if (s.grad.shape.join() !== s.param.shape.join() || s.m.shape.join() !== s.param.shape.join() || s.v.shape.join() !== s.param.shape.join()) {
      throw new ShapeError(`adamwStep: slot ${i}: param ${fmt(s.param.shape)}, grad ${fmt(s.grad.shape)}, m ${fmt(s.m.shape)}, v ${fmt(s.v.shape)} differ`);
    }
    const g = s.grad.packed();
    held.push(g);
    for (const t of [s.param, s.m, s.v]) t.storage!.beforeWrite();
    items.push({ param: s.param.storage!.buffer, grad: g.storage!.buffer, m: s.m.storage!.buffer, v: s.v.storage!.buffer, n: s.param.size, weightDecay: s.weightDecay });
  }
  let normHeld: Tensor | null = null;
  if (h.clip) {
    if (h.clip.norm.size !== 1) throw new ShapeError(`adamwStep: the clip norm must be a scalar, got ${fmt(h.clip.norm.shape)}`);
    normHeld = h.clip.norm.packed();
  }
  adamwMulti(slots[0].param.gpu, items, {
    lr: h.lr, beta1: h.beta1, beta2: h.beta2, eps: h.eps, step: h.step,
    ...(normHeld ? { gradNorm: normHeld.storage!.buffer, maxNorm: h.clip!.maxNorm } : {}),
  });
  for (const t of held) t.dispose();
  normHeld?.dispose();
}
