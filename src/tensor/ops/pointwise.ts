// Elementwise ops with NumPy broadcasting. Each is a small expression handed to
// fuse(), so chains of them become one kernel; each states its gradient rule beside it.
import type { Expr, UnaryOp, BinaryOp } from '../../kernels/expr.js';
import { fuse, type Tensor, type DType } from '../tensor.js';
import { record } from '../autograd.js';
import { broadcastShapes, fmt } from '../shape.js';
import { sumTo } from './reduce.js';
import { full } from './create.js';

export type TensorLike = Tensor | number;

const leaf = (i: number): Expr => ({ k: 'leaf', i });
const un = (op: UnaryOp, a: Expr): Expr => ({ k: 'un', op, a });
const bin = (op: BinaryOp, a: Expr, b: Expr): Expr => ({ k: 'bin', op, a, b });
const cst = (i: number): Expr => ({ k: 'const', i });

function checkFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'f32' && x.dtype !== 'f16') throw new Error(`${op}: expects a float tensor, got ${x.dtype} ${fmt(x.shape)}`);
}

function sameDevice(op: string, a: Tensor, b: Tensor): void {
  if (a.gpu !== b.gpu) throw new Error(`${op}: tensors live on different GPU devices (${fmt(a.shape)} and ${fmt(b.shape)})`);
}

// ------------------------------------------------------------------ unary

type UnaryGrad = (g: Tensor, x: Tensor, y: Tensor) => Tensor;

function unary(op: UnaryOp, x: Tensor, grad?: UnaryGrad, saveOut = false): Tensor {
  x.assertAlive(op);
  checkFloat(op, x);
  const y = fuse(x.gpu, x.shape, x.dtype, un(op, leaf(0)), [x]);
  if (!grad) return y;
  // save only what the rule reads (x or y), so the graph pins no more memory than needed
  return record(y, op, [x], (g, [s]) => [grad(g, saveOut ? (undefined as unknown as Tensor) : s, saveOut ? s : (undefined as unknown as Tensor))], [saveOut ? y : x]);
}

export const neg = (x: Tensor): Tensor => unary('neg', x, (g) => neg(g));
export const exp = (x: Tensor): Tensor => unary('exp', x, (g, _x, y) => mul(g, y), true);
export const log = (x: Tensor): Tensor => unary('log', x, (g, x) => div(g, x));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (g, _x, y) => div(mul(g, 0.5), y), true);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x, (g, _x, y) => mul(g, mul(pow(y, 3), -0.5)), true);
export const tanh = (x: Tensor): Tensor => unary('tanh', x, (g, _x, y) => mul(g, sub(1, square(y))), true);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x, (g, _x, y) => mul(g, mul(y, sub(1, y))), true);
export const relu = (x: Tensor): Tensor => unary('relu', x, (g, x) => mul(g, step(x)));
/** GELU, tanh approximation (as GPT-2 / HF "gelu_new"). */
export const gelu = (x: Tensor): Tensor => unary('gelu', x, (g, x) => mul(g, unary('gelu_grad', x)));
export const silu = (x: Tensor): Tensor => unary('silu', x, (g, x) => mul(g, unary('silu_grad', x)));
export const abs = (x: Tensor): Tensor => unary('abs', x, (g, x) => mul(g, unary('sign', x)));
export const square = (x: Tensor): Tensor => unary('square', x, (g, x) => mul(g, mul(x, 2)));
export const reciprocal = (x: Tensor): Tensor => unary('recip', x, (g, _x, y) => neg(mul(g, square(y))), true);
export const sin = (x: Tensor): Tensor => unary('sin', x, (g, x) => mul(g, unary('cos', x)));
export const cos = (x: Tensor): Tensor => unary('cos', x, (g, x) => neg(mul(g, unary('sin', x))));
/** 1 where x > 0 else 0 (no gradient). */
export const step = (x: Tensor): Tensor => unary('step', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** 1 where x is finite, 0 for NaN/Inf. */
export const isFinite = (x: Tensor): Tensor => unary('isfinite', x);
export const logicalNot = (x: Tensor): Tensor => unary('not', x);

/** x ** p for a scalar exponent. */
export function pow(x: Tensor, p: number): Tensor {
  x.assertAlive('pow');
  checkFloat('pow', x);
  const y = fuse(x.gpu, x.shape, x.dtype, bin('pow', leaf(0), cst(0)), [x], [p]);
  return record(y, 'pow', [x], (g, [x]) => [mul(g, mul(pow(x, p - 1), p))], [x]);
}

/** Clamp to [lo, hi] (either may be undefined). The gradient passes where x is inside. */
export function clamp(x: Tensor, lo?: number, hi?: number): Tensor {
  x.assertAlive('clamp');
  let e: Expr = leaf(0);
  const consts: number[] = [];
  if (lo !== undefined) {
    consts.push(lo);
    e = bin('max', e, cst(consts.length - 1));
  }
  if (hi !== undefined) {
    consts.push(hi);
    e = bin('min', e, cst(consts.length - 1));
  }
  const y = fuse(x.gpu, x.shape, x.dtype, e, [x], consts);
  return record(y, 'clamp', [x], (g, [x]) => {
    let m: Tensor = full(x.gpu, x.shape, 1);
    if (lo !== undefined) m = mul(m, ge(x, lo));
    if (hi !== undefined) m = mul(m, le(x, hi));
    return [mul(g, m)];
  }, [x]);
}

/** Cast to another dtype (float <-> int truncates toward zero). No gradient through int casts. */
export function cast(x: Tensor, dtype: DType): Tensor {
  x.assertAlive('cast');
  if (dtype === x.dtype) return x.share();
  const y = fuse(x.gpu, x.shape, dtype, leaf(0), [x]);
  if (dtype === 'f32' || dtype === 'f16') return record(y, 'cast', [x], (g) => [cast(g, x.dtype === 'f16' ? 'f16' : 'f32')]);
  return y;
}

// ------------------------------------------------------------------ binary

function lift(op: string, a: TensorLike, b: TensorLike): [Tensor | null, Tensor | null] {
  if (typeof a === 'number' && typeof b === 'number') throw new Error(`${op}: at least one operand must be a tensor`);
  const ta = typeof a === 'number' ? null : a;
  const tb = typeof b === 'number' ? null : b;
  ta?.assertAlive(op);
  tb?.assertAlive(op);
  if (ta && tb) sameDevice(op, ta, tb);
  return [ta, tb];
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike, grad?: (g: Tensor, a: Tensor | number, b: Tensor | number) => [Tensor | null, Tensor | null], outDtype?: DType): Tensor {
  const [ta, tb] = lift(op, a, b);
  const ref = (ta ?? tb)!;
  const shape = ta && tb ? broadcastShapes(op, ta.shape, tb.shape) : ref.shape;
  const inputs: Tensor[] = [];
  const consts: number[] = [];
  const operand = (v: TensorLike): Expr => {
    if (typeof v === 'number') {
      consts.push(v);
      return cst(consts.length - 1);
    }
    inputs.push(v);
    return leaf(inputs.length - 1);
  };
  const ea = operand(a);
  const eb = operand(b);
  const dtype = outDtype ?? (ta && tb ? (ta.dtype === 'f16' && tb.dtype === 'f16' ? 'f16' : 'f32') : ref.dtype === 'f16' ? 'f16' : 'f32');
  const y = fuse(ref.gpu, shape, dtype, bin(op, ea, eb), inputs, consts);
  if (!grad) return y;
  const saved = inputs;
  return record(y, op, inputs, (g, s) => {
    let i = 0;
    const sa = typeof a === 'number' ? a : s[i++];
    const sb = typeof b === 'number' ? b : s[i++];
    const [ga, gb] = grad(g, sa, sb);
    const out: (Tensor | null)[] = [];
    if (typeof a !== 'number') out.push(ga ? reduceTo(ga, a.shape) : null);
    if (typeof b !== 'number') out.push(gb ? reduceTo(gb, b.shape) : null);
    return out;
  }, saved);
}

/** Sum a broadcast gradient back to the input's shape. */
function reduceTo(g: Tensor, shape: number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const r = sumTo(g, shape);
  g.dispose();
  return r;
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b, (g) => [g.share(), g.share()]);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b, (g) => [g.share(), neg(g)]);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b, (g, a, b) => [mul(g, b), mul(g, a)]);
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binary('div', a, b, (g, a, b) => [div(g, b), typeof b === 'number' ? null : neg(div(mul(g, a), mul(b, b)))]);
/** Elementwise max; on ties the gradient is split evenly (a valid subgradient). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('max', a, b, (g, a, b) => {
    const w = add(gt(a, b), mul(eq(a, b), 0.5));
    return [mul(g, w), mul(g, sub(1, w))];
  });
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('min', a, b, (g, a, b) => {
    const w = add(lt(a, b), mul(eq(a, b), 0.5));
    return [mul(g, w), mul(g, sub(1, w))];
  });

// comparisons: float masks (1.0 / 0.0), no gradient
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b, undefined, 'f32');
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b, undefined, 'f32');
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b, undefined, 'f32');
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b, undefined, 'f32');
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b, undefined, 'f32');
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b, undefined, 'f32');

/** cond ? a : b, elementwise with broadcasting (cond is a mask: nonzero = true). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  cond.assertAlive('where');
  const inputs: Tensor[] = [cond];
  const consts: number[] = [];
  const operand = (v: TensorLike): Expr => {
    if (typeof v === 'number') {
      consts.push(v);
      return cst(consts.length - 1);
    }
    v.assertAlive('where');
    sameDevice('where', cond, v);
    inputs.push(v);
    return leaf(inputs.length - 1);
  };
  const ea = operand(a), eb = operand(b);
  let shape = [...cond.shape];
  for (const t of inputs.slice(1)) shape = broadcastShapes('where', shape, t.shape);
  const y = fuse(cond.gpu, shape, 'f32', { k: 'where', c: leaf(0), a: ea, b: eb }, inputs, consts);
  const diff = inputs.slice(1);
  return record(y, 'where', diff, (g, [c]) => {
    const out: (Tensor | null)[] = [];
    if (typeof a !== 'number') out.push(reduceTo(where(c, g, 0), a.shape));
    if (typeof b !== 'number') out.push(reduceTo(where(c, 0, g), b.shape));
    return out;
  }, [cond]);
}

/** x with positions where mask is nonzero replaced by `value`. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  return where(mask, value, x);
}
