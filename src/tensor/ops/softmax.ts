// Softmax, log-softmax and cross-entropy over the last axis.
//
// Forward is composed from fused primitives (max; exp(x - m) summed in one reduction
// kernel with its prologue; a final fused pointwise kernel). Backward is stated in
// closed form rather than differentiated through the composition:
//   softmax:     dx = y * (dy - sum(dy * y))
//   log-softmax: dx = dy - exp(y) * sum(dy)
import { Tensor } from '../tensor.js';
import { noGrad, record } from '../autograd.js';
import { axisOf, fmt, ShapeError } from '../shape.js';
import { add, cast, exp, log, mul, ne, neg, sub, where, div } from './pointwise.js';
import { max, sum } from './reduce.js';
import { gather } from './indexing.js';
import { reshape } from './views.js';

function lastAxis(op: string, x: Tensor, axis: number): void {
  if (axisOf(op, axis, x.rank) !== x.rank - 1) throw new ShapeError(`${op}: only the last axis is supported (got axis ${axis} of ${fmt(x.shape)}); transpose first`);
}

/** Row max m and log(sum(exp(x - m))) (keepdim): shifting by m keeps exp in range. */
function shiftedLogSum(x: Tensor): { m: Tensor; ls: Tensor } {
  const m = max(x, -1, true);
  const z = sub(x, m);
  const e = exp(z);
  const s = sum(e, -1, true);
  const ls = log(s);
  for (const t of [z, e, s]) t.dispose();
  return { m, ls };
}

export function softmax(x: Tensor, axis = -1): Tensor {
  x.assertAlive('softmax');
  lastAxis('softmax', x, axis);
  const y = noGrad(() => {
    // exp((x - m) - ls), not exp(x - (m + ls)): m + ls would round away ls when |m| is large
    const { m, ls } = shiftedLogSum(x);
    const r = exp(sub(sub(x, m), ls)).realise();
    m.dispose();
    ls.dispose();
    return r;
  });
  return record(y, 'softmax', [x], (g, [y]) => {
    const gy = mul(g, y);
    const s = sum(gy, -1, true);
    const d = sub(g, s);
    const r = mul(y, d);
    for (const t of [gy, s, d]) t.dispose();
    return [r];
  }, [y]);
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  x.assertAlive('logSoftmax');
  lastAxis('logSoftmax', x, axis);
  const y = noGrad(() => {
    const { m, ls } = shiftedLogSum(x);
    const r = sub(sub(x, m), ls).realise();
    m.dispose();
    ls.dispose();
    return r;
  });
  return record(y, 'logSoftmax', [x], (g, [y]) => {
    const s = sum(g, -1, true);
    const p = exp(y);
    const ps = mul(p, s);
    const r = sub(g, ps);
    for (const t of [s, p, ps]) t.dispose();
    return [r];
  }, [y]);
}

/** log(sum(exp(x))) over the last axis, keepdim. Gradient: g * softmax(x). */
export function logSumExp(x: Tensor): Tensor {
  x.assertAlive('logSumExp');
  const y = noGrad(() => {
    const { m, ls } = shiftedLogSum(x);
    const r = add(m, ls).realise();
    m.dispose();
    ls.dispose();
    return r;
  });
  return record(y, 'logSumExp', [x], (g, [x, y]) => {
    const d = sub(x, y);
    const p = exp(d);
    const r = mul(g, p);
    d.dispose();
    p.dispose();
    return [r];
  }, [x, y]);
}

export interface CrossEntropyOptions {
  /** targets equal to this are ignored (default -100, as torch) */
  ignoreIndex?: number;
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * Cross-entropy of logits [..., V] against integer targets [...] (i32). The mean is
 * over non-ignored targets (1 if all are ignored, giving 0).
 */
export function crossEntropy(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  const ignore = opts.ignoreIndex ?? -100;
  const reduction = opts.reduction ?? 'mean';
  if (targets.dtype !== 'i32') throw new Error(`crossEntropy: targets must be i32, got ${targets.dtype}`);
  if (logits.rank !== targets.rank + 1 || targets.shape.some((d, i) => d !== logits.shape[i])) {
    throw new ShapeError(`crossEntropy: logits ${fmt(logits.shape)} and targets ${fmt(targets.shape)} do not match (want logits [..., V] and targets [...])`);
  }
  const ls = logSoftmax(logits);
  const valid = ne(targets, ignore);
  const safe = cast(where(valid, targets, 0), 'i32');
  const idx = reshape(safe, [...targets.shape, 1]);
  const picked = gather(ls, -1, idx);
  const pr = reshape(picked, targets.shape);
  const nll = neg(mul(pr, valid));
  for (const t of [ls, safe, idx, picked, pr]) t.dispose();
  if (reduction === 'none') {
    valid.dispose();
    return nll;
  }
  const total = sum(nll);
  nll.dispose();
  if (reduction === 'sum') {
    valid.dispose();
    return total;
  }
  const count = sum(valid);
  const denom = noGrad(() => where(ne(count, 0), count, 1));
  const out = div(total, denom);
  for (const t of [valid, count, denom, total]) t.dispose();
  return out;
}
