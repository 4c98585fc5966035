// Differentiable wrappers over the hand-written fused kernels (src/kernels/*.ts): each op
// runs one forward kernel and one backward kernel instead of a chain of generic ops.
// Their composite equivalents (layers built from primitive ops) stay as references in
// the gradient checks.
import { attentionKernels } from '../../kernels/flash-attention.js';
import { logprob as logprobKernel, logprobBackward } from '../../kernels/logprob.js';
import { rmsNorm as rmsNormKernel, rmsNormBackward } from '../../kernels/norm.js';
import { rope as ropeKernel, ropeBackward } from '../../kernels/rope.js';
import { swiglu as swigluKernel, swigluBackward } from '../../kernels/swiglu.js';
import { Tensor } from '../tensor.js';
import { record } from '../autograd.js';
import { fmt, ShapeError } from '../shape.js';
import { empty, tensor } from './create.js';

/** A fresh packed f32 buffer of `shape` on like's device. */
const alloc = (like: Tensor, shape: number[]): Tensor => empty(like.gpu, shape);
/** t packed from offset 0 (a new handle; dispose it). */
const dense = (t: Tensor): Tensor => t.packed();

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * w. */
export function rmsNormFused(x: Tensor, w: Tensor, eps: number): Tensor {
  const cols = x.shape[x.rank - 1];
  if (w.rank !== 1 || w.shape[0] !== cols) throw new ShapeError(`rmsNorm: weight ${fmt(w.shape)} does not match the last axis of ${fmt(x.shape)}`);
  const rows = x.size / cols;
  const xd = dense(x), wd = dense(w);
  const y = alloc(x, x.shape);
  const rstd = alloc(x, [rows]);
  rmsNormKernel(x.gpu, { x: xd.storage!.buffer, weight: wd.storage!.buffer, out: y.storage!.buffer, rstd: rstd.storage!.buffer, rows, cols, eps });
  const out = record(y, 'rmsNorm', [x, w], (g, [xs, ws, rs]) => {
    const gd = dense(g);
    const dx = alloc(g, xs.shape);
    const dw = alloc(g, [cols]);
    rmsNormBackward(g.gpu, { x: xs.storage!.buffer, weight: ws.storage!.buffer, rstd: rs.storage!.buffer, dy: gd.storage!.buffer, dx: dx.storage!.buffer, dweight: dw.storage!.buffer, rows, cols });
    gd.dispose();
    return [dx, dw];
  }, [xd, wd, rstd]);
  xd.dispose();
  wd.dispose();
  rstd.dispose();
  return out;
}

/**
 * Causal scaled-dot-product attention, q [B, Hq, Tq, D], k/v [B, Hkv, Tk, D], flash
 * style: the Tq x Tk matrix is never stored (O(T) memory per head). Query i sees keys
 * j <= i + (Tk - Tq). Grouped-query heads: query head h uses kv head h / (Hq / Hkv).
 */
export function attentionFused(q: Tensor, k: Tensor, v: Tensor, scale = 1 / Math.sqrt(q.shape[3])): Tensor {
  const [B, Hq, Tq, D] = q.shape;
  const [B2, Hkv, Tk, D2] = k.shape;
  if (q.rank !== 4 || k.rank !== 4 || B2 !== B || D2 !== D || Hq % Hkv !== 0 || v.shape.join() !== k.shape.join()) {
    throw new ShapeError(`attention: q ${fmt(q.shape)}, k ${fmt(k.shape)}, v ${fmt(v.shape)} do not fit (want [B, Hq, Tq, D] and [B, Hkv, Tk, D] with Hkv dividing Hq)`);
  }
  const qd = dense(q), kd = dense(k), vd = dense(v);
  const o = alloc(q, q.shape);
  const lse = alloc(q, [B, Hq, Tq]);
  // the kernel family (src/gpu/family.ts) picks the kernels; both save the same lse
  const { forward: attentionKernel, backward: attentionBackward } = attentionKernels(q.gpu);
  attentionKernel(q.gpu, { q: qd.storage!.buffer, k: kd.storage!.buffer, v: vd.storage!.buffer, out: o.storage!.buffer, lse: lse.storage!.buffer, B, Hq, Hkv, Tq, Tk, D, scale });
  const out = record(o, 'attention', [q, k, v], (g, [qs, ks, vs, os, ls]) => {
    const gd = dense(g);
    const dq = alloc(g, qs.shape), dk = alloc(g, ks.shape), dv = alloc(g, vs.shape);
    attentionBackward(g.gpu, {
      q: qs.storage!.buffer, k: ks.storage!.buffer, v: vs.storage!.buffer, out: os.storage!.buffer, lse: ls.storage!.buffer,
      dout: gd.storage!.buffer, dq: dq.storage!.buffer, dk: dk.storage!.buffer, dv: dv.storage!.buffer, B, Hq, Hkv, Tq, Tk, D, scale,
    });
    gd.dispose();
    return [dq, dk, dv];
  }, [qd, kd, vd, o, lse]);
  for (const t of [qd, kd, vd, lse]) t.dispose();
  return out;
}

/**
 * log softmax(logits * scale)[target] per row, without materialising the log-softmax:
 * logits [..., V], targets i32 [...] -> [...]. Targets outside [0, V) (e.g. -100)
 * give 0 and no gradient.
 */
export function tokenLogProbFused(logits: Tensor, targets: Tensor, scale = 1): Tensor {
  const V = logits.shape[logits.rank - 1];
  if (targets.dtype !== 'i32' || targets.shape.join() !== logits.shape.slice(0, -1).join()) {
    throw new ShapeError(`tokenLogProb: targets ${fmt(targets.shape)} (${targets.dtype}) must be i32 of shape ${fmt(logits.shape.slice(0, -1))}`);
  }
  const rows = logits.size / V;
  const ld = dense(logits), td = dense(targets);
  const logp = alloc(logits, targets.shape);
  const lse = alloc(logits, [rows]);
  logprobKernel(logits.gpu, { logits: ld.storage!.buffer, targets: td.storage!.buffer, logp: logp.storage!.buffer, lse: lse.storage!.buffer, rows, vocab: V, scale });
  const out = record(logp, 'tokenLogProb', [logits], (g, [ls, ts, lses]) => {
    const gd = dense(g);
    const dl = alloc(g, ls.shape);
    logprobBackward(g.gpu, { logits: ls.storage!.buffer, targets: ts.storage!.buffer, lse: lses.storage!.buffer, dlogp: gd.storage!.buffer, dlogits: dl.storage!.buffer, rows, vocab: V, scale });
    gd.dispose();
    return [dl];
  }, [ld, td, lse]);
  for (const t of [ld, td, lse]) t.dispose();
  return out;
}

/** HF rotate-half rotary embedding of x [B, H, T, D] at positions [B, T] (host ints). */
export function ropeFused(x: Tensor, positions: Int32Array, base: number): Tensor {
  const [B, H, Tn, D] = x.shape;
  if (positions.length !== B * Tn) throw new ShapeError(`rope: ${positions.length} positions for [B, T] = [${B}, ${Tn}]`);
  const xd = dense(x);
  const pos = tensor(x.gpu, positions, [B, Tn], 'i32');
  const y = alloc(x, x.shape);
  ropeKernel(x.gpu, { x: xd.storage!.buffer, out: y.storage!.buffer, B, H, T: Tn, D, base, positions: pos.storage!.buffer });
  xd.dispose();
  const out = record(y, 'rope', [x], (g, [ps]) => {
    const gd = dense(g);
    const dx = alloc(g, [B, H, Tn, D]);
    ropeBackward(g.gpu, { dy: gd.storage!.buffer, dx: dx.storage!.buffer, B, H, T: Tn, D, base, positions: ps.storage!.buffer });
    gd.dispose();
    return [dx];
  }, [pos]);
  pos.dispose();
  return out;
}

/** silu(gate) * up, elementwise over [rows, cols] (both the same shape). */
export function swigluFused(gate: Tensor, up: Tensor): Tensor {
  if (gate.shape.join() !== up.shape.join()) throw new ShapeError(`swiglu: gate ${fmt(gate.shape)} and up ${fmt(up.shape)} differ`);
  const cols = gate.shape[gate.rank - 1];
  const rows = gate.size / cols;
  const gd = dense(gate), ud = dense(up);
  const y = alloc(gate, gate.shape);
  swigluKernel(gate.gpu, { gate: gd.storage!.buffer, up: ud.storage!.buffer, out: y.storage!.buffer, rows, cols });
  const out = record(y, 'swiglu', [gate, up], (g, [gs, us]) => {
    const dd = dense(g);
    const dg = alloc(g, gs.shape), du = alloc(g, us.shape);
    swigluBackward(g.gpu, { gate: gs.storage!.buffer, up: us.storage!.buffer, out: dd.storage!.buffer, dout: dd.storage!.buffer, dgate: dg.storage!.buffer, dup: du.storage!.buffer, rows, cols });
    dd.dispose();
    return [dg, du];
  }, [gd, ud]);
  gd.dispose();
  ud.dispose();
  return out;
}
