// AdamW (decoupled weight decay, Loshchilov & Hutter) with global gradient-norm
// clipping, all on the GPU: the clip coefficient is a 1-element tensor that feeds the
// update expression, so a step reads back one number (the norm, for logging and the
// non-finite check) and nothing else.
//
//   g' = g * min(1, maxNorm / (||g|| + 1e-6))
//   m = b1 m + (1 - b1) g'        v = b2 v + (1 - b2) g'^2
//   p = p - lr * (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + wd * p)
//
// The update is kernels/adamw.ts (m, v and p of up to three tensors per dispatch); the
// norm is kernels/gradnorm.ts. Parameters must be packed tensors (they always are: they
// are created realised and only ever updated in place).
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';
import { adamwMulti, type AdamwTensor } from '../../kernels/adamw.js';
import { globalNorm } from '../../kernels/gradnorm.js';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** parameters whose name matches get no weight decay (norms, biases) */
  noDecay?: (name: string) => boolean;
}

export interface StepResult {
  gradNorm: number;
  /** false when the gradient was not finite: nothing was changed */
  applied: boolean;
  /** names of parameters whose gradient holds NaN/Inf (only when !applied) */
  nonFinite: string[];
}

/** One host tensor of a saved state (structurally a checkpoint TensorInput / LoadedTensor). */
export interface HostTensor {
  shape: readonly number[];
  data: ArrayLike<number>;
}

/**
 * What AdamW needs to continue exactly where it stopped: the number of updates applied
 * (bias correction) and both moments of every parameter, under PyTorch's names
 * `<param>.exp_avg` (m) and `<param>.exp_avg_sq` (v).
 */
export interface AdamWState {
  step: number;
  tensors: Map<string, HostTensor>;
}

const MOMENTS = [['exp_avg', 'm'], ['exp_avg_sq', 'v']] as const;

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  step = 0;
  readonly m = new Map<string, Tensor>();
  readonly v = new Map<string, Tensor>();
  private readonly noDecay: (name: string) => boolean;

  constructor(
    readonly params: Map<string, Tensor>,
    opts: AdamWOptions = {},
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.95;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.noDecay = opts.noDecay ?? ((n) => /norm|bias/.test(n));
    T.noGrad(() => {
      for (const [name, p] of params) {
        this.m.set(name, T.keep(T.zeros(p.gpu, p.shape).realise()));
        this.v.set(name, T.keep(T.zeros(p.gpu, p.shape).realise()));
      }
    });
  }

  zeroGrad(): void {
    for (const p of this.params.values()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Global L2 norm of all gradients, as a 1-element GPU tensor (kernels/gradnorm.ts: a few dispatches). */
  gradNorm(): Tensor {
    const gpu = [...this.params.values()][0].gpu;
    const out = T.empty(gpu, []);
    const grads = this.denseGrads();
    globalNorm(gpu, grads.map((g) => ({ buffer: g.storage!.buffer, n: g.size, offset: g.offset })), out.storage!.buffer);
    for (const g of grads) g.dispose();
    return out;
  }

  /** Gradients as packed buffers (realised; copies only for views). Dispose the handles. */
  private denseGrads(): Tensor[] {
    const out: Tensor[] = [];
    for (const p of this.params.values()) {
      if (!p.grad) continue;
      p.grad.realise();
      out.push(p.grad.isContiguous ? p.grad.share() : p.grad.contiguousCopy());
    }
    return out;
  }

  /**
   * One update with learning rate `lr`, gradients clipped to `maxGradNorm` (<= 0: no
   * clipping). A non-finite gradient norm skips the update and names the culprits.
   */
  async stepAsync(lr: number, maxGradNorm = 1.0): Promise<StepResult> {
    const norm = this.gradNorm();
    const gradNorm = await norm.item();
    if (!Number.isFinite(gradNorm)) {
      norm.dispose();
      const nonFinite: string[] = [];
      for (const [name, p] of this.params) {
        if (!p.grad) continue;
        const s = T.noGrad(() => T.sum(T.square(p.grad!)));
        const v = await s.item();
        s.dispose();
        if (!Number.isFinite(v)) nonFinite.push(name);
      }
      return { gradNorm, applied: false, nonFinite };
    }
    this.step++;
    // one fused kernel updates m, v and the parameter of up to three tensors per dispatch,
    // clipping by the norm buffer on the GPU
    const items: AdamwTensor[] = [];
    const held: Tensor[] = [];
    for (const [name, p] of this.params) {
      if (!p.grad) continue;
      const g = p.grad.realise();
      const gd = g.isContiguous && g.offset === 0 ? g.share() : g.contiguousCopy();
      held.push(gd);
      if (!p.isContiguous || p.offset !== 0) throw new Error(`AdamW: parameter '${name}' must be a packed tensor`);
      p.storage!.beforeWrite();
      items.push({ param: p.storage!.buffer, grad: gd.storage!.buffer, m: this.m.get(name)!.storage!.buffer, v: this.v.get(name)!.storage!.buffer, n: p.size, weightDecay: this.noDecay(name) ? 0 : this.weightDecay });
    }
    adamwMulti(norm.gpu, items, {
      lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, step: this.step,
      ...(maxGradNorm > 0 ? { gradNorm: norm.storage!.buffer, maxNorm: maxGradNorm } : {}),
    });
    for (const h of held) h.dispose();
    norm.dispose();
    return { gradNorm, applied: true, nonFinite: [] };
  }

  /** A host copy of the state (reads every moment back). */
  async state(): Promise<AdamWState> {
    const tensors = new Map<string, HostTensor>();
    for (const name of this.params.keys()) {
      for (const [suffix, k] of MOMENTS) {
        const t = this[k].get(name)!;
        tensors.set(`${name}.${suffix}`, { shape: [...t.shape], data: await t.toFloat32Array() });
      }
    }
    return { step: this.step, tensors };
  }

  /** Continue from a saved state (every parameter's moments must be there, same shapes). */
  loadState(s: { step: number; tensors: ReadonlyMap<string, HostTensor> }): void {
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`AdamW.loadState: step must be a non-negative integer, got ${s.step}`);
    const checked: [Tensor, HostTensor][] = [];
    for (const [name, p] of this.params) {
      for (const [suffix, k] of MOMENTS) {
        const key = `${name}.${suffix}`;
        const h = s.tensors.get(key);
        if (!h) throw new Error(`AdamW.loadState: no '${key}' in the saved state`);
        if (h.shape.join() !== p.shape.join() || h.data.length !== p.size) {
          throw new Error(`AdamW.loadState: '${key}' has shape [${h.shape.join(', ')}] (${h.data.length} values), parameter '${name}' is [${p.shape.join(', ')}]`);
        }
        checked.push([this[k].get(name)!, h]);
      }
    }
    // all checked before anything is written: a bad state leaves the optimizer as it was
    T.noGrad(() => {
      for (const [dst, h] of checked) {
        const src = T.tensor(dst.gpu, h.data, dst.shape);
        T.assign(dst, src);
        src.dispose();
      }
    });
    this.step = s.step;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
