// AdamW (decoupled weight decay, Loshchilov & Hutter) with global gradient-norm
// clipping, all on the GPU: the clip coefficient is a 1-element tensor that feeds the
// update expression, so a step reads back one number (the norm, for logging and the
// non-finite check) and nothing else.
//
//   g' = g * min(1, maxNorm / (||g|| + 1e-6))
//   m = b1 m + (1 - b1) g'        v = b2 v + (1 - b2) g'^2
//   p = p - lr * (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + wd * p)
//
// Each of m, v, p is updated in place by one fused kernel.
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';

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

export interface AdamWState {
  step: number;
  m: Map<string, Tensor>;
  v: Map<string, Tensor>;
}

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

  /** Global L2 norm of all gradients, as a 1-element GPU tensor. */
  gradNorm(): Tensor {
    return T.noGrad(() =>
      T.tidy(() => {
        let total: Tensor | null = null;
        for (const p of this.params.values()) {
          if (!p.grad) continue;
          const s = T.sum(T.square(p.grad));
          total = total ? T.add(total, s) : s;
        }
        const gpu = [...this.params.values()][0].gpu;
        return T.sqrt(total ?? T.zeros(gpu, [])).realise();
      }),
    );
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
    const t = this.step;
    const b1 = this.beta1, b2 = this.beta2;
    const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
    T.noGrad(() => {
      T.tidy(() => {
        // clip coefficient stays on the GPU: min(1, maxNorm / (norm + 1e-6))
        const coef = maxGradNorm > 0 ? T.minimum(T.div(maxGradNorm, T.add(norm, 1e-6)), 1).realise() : null;
        for (const [name, p] of this.params) {
          if (!p.grad) continue;
          const g = coef ? T.mul(p.grad, coef) : p.grad;
          const m = this.m.get(name)!, v = this.v.get(name)!;
          T.assign(m, T.add(T.mul(m, b1), T.mul(g, 1 - b1)));
          T.assign(v, T.add(T.mul(v, b2), T.mul(T.square(g), 1 - b2)));
          const upd = T.div(T.mul(m, 1 / bc1), T.add(T.sqrt(T.mul(v, 1 / bc2)), this.eps));
          const wd = this.noDecay(name) ? 0 : this.weightDecay;
          const next = wd ? T.sub(p, T.mul(T.add(upd, T.mul(p, wd)), lr)) : T.sub(p, T.mul(upd, lr));
          T.assign(p, next);
        }
      });
    });
    norm.dispose();
    return { gradNorm, applied: true, nonFinite: [] };
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
