// Transformer building blocks as functions of tensors (parameters are passed in), in
// the Qwen2 / LLaMA conventions Hugging Face uses, so checkpoints map one to one.
import * as T from '../tensor/index.js';
import type { Tensor } from '../tensor/index.js';

/** y = x W^T (+ b) (+ residual), W stored [out, in] as in PyTorch/HF; bias and residual ride the matmul's epilogue. */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null, residual?: Tensor | null): Tensor {
  return T.linear(x, w, b, residual);
}

/** RMSNorm: x / sqrt(mean(x^2) + eps) * w (one fused kernel each way). */
export function rmsNorm(x: Tensor, w: Tensor, eps: number): Tensor {
  return T.rmsNormFused(x, w, eps);
}

/** SwiGLU MLP: down(silu(gate(x)) * up(x)) (+ residual, in the down projection's epilogue), the gating in one fused kernel. */
export function swiglu(x: Tensor, wGate: Tensor, wUp: Tensor, wDown: Tensor, residual?: Tensor | null): Tensor {
  return T.tidy(() => linear(T.swigluFused(linear(x, wGate), linear(x, wUp)), wDown, null, residual));
}

/** [Tn, Tk] float mask comparing key position j with query position start + t ('le': causal, 'eq': itself). Lazy. */
export function positionMask(gpu: T.Tensor['gpu'], Tn: number, Tk: number, start: number, op: 'le' | 'eq'): Tensor {
  return T.fuseExpr(gpu, [Tn, Tk], { k: 'bin', op, a: { k: 'coord', axis: 1 }, b: { k: 'bin', op: 'add', a: { k: 'coord', axis: 0 }, b: { k: 'const', i: 0 } } }, [], [start]);
}

/**
 * Causal grouped-query attention. q [B, Hq, T, D]; k, v [B, Hkv, Tk, D] (Tk >= T: the
 * cache holds earlier positions; query t sits at absolute position start + t).
 * keyValid [B, Tk] marks real (non-padding) keys. Query heads are grouped by their kv
 * head, so GQA needs no copy of k/v: q is viewed as [B, Hkv, rep*T, D].
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, start: number, keyValid: Tensor | null): Tensor {
  return T.tidy(() => {
    const [B, Hq, Tn, D] = q.shape;
    const Hkv = k.shape[1], Tk = k.shape[2];
    const rep = Hq / Hkv;
    const qg = T.reshape(q, [B, Hkv, rep * Tn, D]);
    const s = T.mul(T.matmul(qg, T.transpose(k)), 1 / Math.sqrt(D));
    const s5 = T.reshape(s, [B, Hkv, rep, Tn, Tk]);
    // allowed(t, j) = j <= start + t, as lazy coordinate expressions: no memory and no
    // kernel of their own (they fuse into the masked scores)
    const causal = positionMask(q.gpu, Tn, Tk, start, 'le');
    let allowed = causal;
    // A query may always see its own key, even when that key is padding: a padding query
    // then has one allowed key instead of none. With none, every score is ~-1e9 and the
    // softmax (exp(x - (m + log s)), m = -1e9) rounds to exp(0) = 1 for every key, so
    // the output is the SUM of all values; across layers that grows without bound and a
    // NaN/Inf in a padding key would reach real rows through 0 * NaN in p @ v.
    if (keyValid) allowed = T.mul(causal, T.maximum(T.reshape(keyValid, [B, 1, 1, 1, Tk]), positionMask(q.gpu, Tn, Tk, start, 'eq')));
    const bias = T.mul(T.sub(allowed, 1), 1e9);
    const p = T.softmax(T.add(s5, bias));
    const o = T.matmul(T.reshape(p, [B, Hkv, rep * Tn, Tk]), v);
    return T.reshape(o, [B, Hq, Tn, D]);
  });
}
