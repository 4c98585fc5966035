// Pointwise expression IR: the unit of elementwise fusion.
//
// An expression is evaluated at every point of a "domain" (an N-d index space). Its
// leaves are buffers read through (offset, per-domain-dim strides): broadcasting is a
// zero stride, a transpose is permuted strides, a slice is an offset. Because leaves
// carry their own strides, any chain of elementwise ops, views and broadcasts over
// realised buffers is one expression and compiles to one kernel.
//
// Values inside an expression are f32. Integer leaves are converted on load (exact
// up to 2^24, enough for token ids and positions).

export type DType = 'f32' | 'f16' | 'i32' | 'u32';

export const dtypeBytes: Record<DType, number> = { f32: 4, f16: 2, i32: 4, u32: 4 };

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'tanh' | 'sigmoid' | 'relu' | 'gelu' | 'silu'
  | 'abs' | 'sign' | 'recip' | 'square' | 'floor' | 'cos' | 'sin' | 'isfinite' | 'gelu_grad' | 'silu_grad' | 'step' /* x > 0 ? 1 : 0 */ | 'not' /* x == 0 ? 1 : 0 */;
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type Expr =
  | { k: 'leaf'; i: number }
  /** a scalar passed through the uniform block (so changing it does not recompile) */
  | { k: 'const'; i: number }
  | { k: 'un'; op: UnaryOp; a: Expr }
  | { k: 'bin'; op: BinaryOp; a: Expr; b: Expr }
  | { k: 'where'; c: Expr; a: Expr; b: Expr }
  /** the coordinate along domain axis `axis` (arange, masks, one-hot) */
  | { k: 'coord'; axis: number }
  /** a counter-based random uniform in [0,1): Philox of (seed, linear index) */
  | { k: 'rand'; seed: number /* const slot of seed lo */; };

/** A compact text of an expression's structure (its kernel's cache key). */
export function exprKey(e: Expr): string {
  switch (e.k) {
    case 'leaf': return `L${e.i}`;
    case 'const': return `C${e.i}`;
    case 'coord': return `X${e.axis}`;
    case 'rand': return `R${e.seed}`;
    case 'un': return `${e.op}(${exprKey(e.a)})`;
    case 'bin': return `${e.op}(${exprKey(e.a)},${exprKey(e.b)})`;
    case 'where': return `?(${exprKey(e.c)},${exprKey(e.a)},${exprKey(e.b)})`;
  }
}

/** Number of nodes (fusion stops growing an expression past a budget). */
export function exprSize(e: Expr): number {
  switch (e.k) {
    case 'leaf': case 'const': case 'coord': case 'rand': return 1;
    case 'un': return 1 + exprSize(e.a);
    case 'bin': return 1 + exprSize(e.a) + exprSize(e.b);
    case 'where': return 1 + exprSize(e.c) + exprSize(e.a) + exprSize(e.b);
  }
}

/** Rename leaf and const slots (used when an expression is inlined into a bigger one). */
export function remap(e: Expr, leaf: (i: number) => number, cnst: (i: number) => number, coord: (a: number) => Expr = (a) => ({ k: 'coord', axis: a })): Expr {
  switch (e.k) {
    case 'leaf': return { k: 'leaf', i: leaf(e.i) };
    case 'const': return { k: 'const', i: cnst(e.i) };
    case 'coord': return coord(e.axis);
    case 'rand': return { k: 'rand', seed: cnst(e.seed) };
    case 'un': return { k: 'un', op: e.op, a: remap(e.a, leaf, cnst, coord) };
    case 'bin': return { k: 'bin', op: e.op, a: remap(e.a, leaf, cnst, coord), b: remap(e.b, leaf, cnst, coord) };
    case 'where': return { k: 'where', c: remap(e.c, leaf, cnst, coord), a: remap(e.a, leaf, cnst, coord), b: remap(e.b, leaf, cnst, coord) };
  }
}

export function usesRand(e: Expr): boolean {
  switch (e.k) {
    case 'rand': return true;
    case 'leaf': case 'const': case 'coord': return false;
    case 'un': return usesRand(e.a);
    case 'bin': return usesRand(e.a) || usesRand(e.b);
    case 'where': return usesRand(e.c) || usesRand(e.a) || usesRand(e.b);
  }
}

const unaryWgsl: Record<UnaryOp, (a: string) => string> = {
  neg: (a) => `(-${a})`,
  exp: (a) => `exp(${a})`,
  log: (a) => `log(${a})`,
  sqrt: (a) => `sqrt(${a})`,
  rsqrt: (a) => `inverseSqrt(${a})`,
  // tanh(x) overflows to NaN in some drivers for |x| > ~44: clamp (tanh is +-1 there).
  tanh: (a) => `tanh(clamp(${a}, -20.0, 20.0))`,
  sigmoid: (a) => `(1.0 / (1.0 + exp(-${a})))`,
  relu: (a) => `max(${a}, 0.0)`,
  gelu: (a) => `gelu_tanh(${a})`,
  silu: (a) => `(${a} / (1.0 + exp(-${a})))`,
  abs: (a) => `abs(${a})`,
  sign: (a) => `sign(${a})`,
  recip: (a) => `(1.0 / ${a})`,
  square: (a) => `(${a} * ${a})`,
  floor: (a) => `floor(${a})`,
  cos: (a) => `cos(${a})`,
  gelu_grad: (a) => `gelu_tanh_grad(${a})`,
  silu_grad: (a) => `silu_grad(${a})`,
  sin: (a) => `sin(${a})`,
  // NaN and +-Inf -> 0, finite -> 1 (bit test: exponent all ones)
  isfinite: (a) => `select(0.0, 1.0, (bitcast<u32>(${a}) & 0x7f800000u) != 0x7f800000u)`,
  step: (a) => `select(0.0, 1.0, ${a} > 0.0)`,
  not: (a) => `select(0.0, 1.0, ${a} == 0.0)`,
};

const binaryWgsl: Record<BinaryOp, (a: string, b: string) => string> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  max: (a, b) => `max(${a}, ${b})`,
  min: (a, b) => `min(${a}, ${b})`,
  pow: (a, b) => `pow_real(${a}, ${b})`,
  eq: (a, b) => `select(0.0, 1.0, ${a} == ${b})`,
  ne: (a, b) => `select(0.0, 1.0, ${a} != ${b})`,
  lt: (a, b) => `select(0.0, 1.0, ${a} < ${b})`,
  le: (a, b) => `select(0.0, 1.0, ${a} <= ${b})`,
  gt: (a, b) => `select(0.0, 1.0, ${a} > ${b})`,
  ge: (a, b) => `select(0.0, 1.0, ${a} >= ${b})`,
};

/** WGSL helper functions an expression may call. */
export const EXPR_PRELUDE = /* wgsl */ `
fn gelu_tanh(x: f32) -> f32 {
  let u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  return 0.5 * x * (1.0 + tanh(clamp(u, -20.0, 20.0)));
}
fn gelu_tanh_grad(x: f32) -> f32 {
  let u = 0.7978845608028654 * (x + 0.044715 * x * x * x);
  let t = tanh(clamp(u, -20.0, 20.0));
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 0.134145 * x * x);
}
fn silu_grad(x: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 + x * (1.0 - s));
}
// pow for real exponents with the sign rules of torch.pow on integer exponents.
fn pow_real(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (y == 1.0) { return x; }
  if (y == 2.0) { return x * x; }
  let m = pow(abs(x), y);
  if (x < 0.0 && floor(y) == y) {
    return select(m, -m, (i32(y) & 1) == 1);
  }
  // NaN (built from a runtime value: WGSL rejects NaN in constant expressions)
  if (x < 0.0) { return bitcast<f32>(0x7fc00000u | (bitcast<u32>(x) & 0u)); }
  return m;
}
// Philox-4x32-10 on (counter, key): a counter-based generator, so any element's random
// number depends only on (seed, index) and the stream is reproducible for a seed.
fn philox(ctr_in: vec4<u32>, key_in: vec2<u32>) -> vec4<u32> {
  var c = ctr_in;
  var k = key_in;
  for (var r = 0u; r < 10u; r++) {
    let lo0 = 0xD2511F53u * c.x;
    let hi0 = mul_hi(0xD2511F53u, c.x);
    let lo1 = 0xCD9E8D57u * c.z;
    let hi1 = mul_hi(0xCD9E8D57u, c.z);
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
  }
  return c;
}
fn mul_hi(a: u32, b: u32) -> u32 {
  let a_lo = a & 0xffffu; let a_hi = a >> 16u;
  let b_lo = b & 0xffffu; let b_hi = b >> 16u;
  let lo_lo = a_lo * b_lo;
  let hi_lo = a_hi * b_lo;
  let lo_hi = a_lo * b_hi;
  let hi_hi = a_hi * b_hi;
  let cross = (lo_lo >> 16u) + (hi_lo & 0xffffu) + (lo_hi & 0xffffu);
  return hi_hi + (hi_lo >> 16u) + (lo_hi >> 16u) + (cross >> 16u);
}
fn rand_uniform(seed_lo: u32, seed_hi: u32, idx: u32) -> f32 {
  let r = philox(vec4<u32>(idx, 0u, 0u, 0u), vec2<u32>(seed_lo, seed_hi));
  // 24 random bits -> [0, 1)
  return f32(r.x >> 8u) * (1.0 / 16777216.0);
}
`;

/**
 * WGSL for an expression. `leaf(i)` gives the load of leaf i, `cnst(i)` the read of
 * const slot i (an f32 in the uniform block), `coord(a)` the domain coordinate, `lin`
 * the linear domain index (for rand).
 */
export function exprWgsl(e: Expr, leaf: (i: number) => string, cnst: (i: number) => string, coord: (a: number) => string, lin: string): string {
  const rec = (x: Expr): string => exprWgsl(x, leaf, cnst, coord, lin);
  switch (e.k) {
    case 'leaf': return leaf(e.i);
    case 'const': return cnst(e.i);
    case 'coord': return `f32(${coord(e.axis)})`;
    case 'rand': return `rand_uniform(bitcast<u32>(${cnst(e.seed)}), bitcast<u32>(${cnst(e.seed + 1)}), ${lin})`;
    case 'un': return unaryWgsl[e.op](rec(e.a));
    case 'bin': return binaryWgsl[e.op](rec(e.a), rec(e.b));
    case 'where': return `select(${rec(e.b)}, ${rec(e.a)}, ${rec(e.c)} != 0.0)`;
  }
}

/** A float64 CPU evaluation of the same expression (the reference every fused kernel is tested against). */
export function evalUnary(op: UnaryOp, x: number): number {
  switch (op) {
    case 'neg': return -x;
    case 'exp': return Math.exp(x);
    case 'log': return Math.log(x);
    case 'sqrt': return Math.sqrt(x);
    case 'rsqrt': return 1 / Math.sqrt(x);
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'relu': return Math.max(x, 0);
    case 'gelu': return 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)));
    case 'silu': return x / (1 + Math.exp(-x));
    case 'abs': return Math.abs(x);
    case 'sign': return Math.sign(x);
    case 'recip': return 1 / x;
    case 'square': return x * x;
    case 'floor': return Math.floor(x);
    case 'cos': return Math.cos(x);
    case 'gelu_grad': {
      const c = 0.7978845608028654, t = Math.tanh(c * (x + 0.044715 * x ** 3));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
    }
    case 'silu_grad': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 + x * (1 - s));
    }
    case 'sin': return Math.sin(x);
    case 'isfinite': return Number.isFinite(x) ? 1 : 0;
    case 'step': return x > 0 ? 1 : 0;
    case 'not': return x === 0 ? 1 : 0;
  }
}

export function evalBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'max': return Math.max(a, b);
    case 'min': return Math.min(a, b);
    case 'pow': return a ** b;
    case 'eq': return a === b ? 1 : 0;
    case 'ne': return a !== b ? 1 : 0;
    case 'lt': return a < b ? 1 : 0;
    case 'le': return a <= b ? 1 : 0;
    case 'gt': return a > b ? 1 : 0;
    case 'ge': return a >= b ? 1 : 0;
  }
}

/** Philox-4x32-10 in JS (bit-exact with the WGSL), for tests and CPU references. */
export function philoxUniform(seedLo: number, seedHi: number, idx: number): number {
  let c0 = idx >>> 0, c1 = 0, c2 = 0, c3 = 0;
  let k0 = seedLo >>> 0, k1 = seedHi >>> 0;
  for (let r = 0; r < 10; r++) {
    const p0 = BigInt(0xd2511f53) * BigInt(c0);
    const p1 = BigInt(0xcd9e8d57) * BigInt(c2);
    const lo0 = Number(p0 & 0xffffffffn), hi0 = Number(p0 >> 32n);
    const lo1 = Number(p1 & 0xffffffffn), hi1 = Number(p1 >> 32n);
    const n0 = (hi1 ^ c1 ^ k0) >>> 0, n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + 0x9e3779b9) >>> 0;
    k1 = (k1 + 0xbb67ae85) >>> 0;
  }
  return (c0 >>> 8) / 16777216;
}
