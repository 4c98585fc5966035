// The seeded generator. Random numbers come from Philox-4x32-10 evaluated on the GPU at
// (key, element index): a counter-based generator, so a tensor's values depend only on
// the key, never on how the work was split into threads. Each call draws a fresh key
// from (seed, counter); saving {seed, counter} is enough to resume the stream exactly.
import type { Gpu } from '../../gpu/index.js';
import type { Expr } from '../../kernels/expr.js';
import { fuse, type Tensor } from '../tensor.js';
import { mul } from './pointwise.js';

export interface GeneratorState {
  seed: number;
  counter: number;
}

const state: GeneratorState = { seed: 0x5eed, counter: 0 };

export function manualSeed(seed: number): void {
  state.seed = seed >>> 0;
  state.counter = 0;
}

export function getGeneratorState(): GeneratorState {
  return { ...state };
}

export function setGeneratorState(s: GeneratorState): void {
  state.seed = s.seed >>> 0;
  state.counter = s.counter;
}

function nextKey(): [number, number] {
  return philoxKey(state.seed, state.counter++);
}

/** splitmix32-style mixing of (seed, counter) into the 64-bit Philox key of that draw. */
export function philoxKey(seed: number, c: number): [number, number] {
  const state = { seed: seed >>> 0 };
  let a = (state.seed ^ Math.imul(c + 1, 0x9e3779b9)) >>> 0;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) >>> 0;
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35) >>> 0;
  a = (a ^ (a >>> 16)) >>> 0;
  let b = (Math.imul(c, 0x632be5ab) ^ (state.seed >>> 0) ^ 0x1b873593) >>> 0;
  b = Math.imul(b ^ (b >>> 15), 0x2c1b3c6d) >>> 0;
  b = (b ^ (b >>> 12)) >>> 0;
  return [a, b];
}

// Key words travel as raw u32 const slots (the elementwise kernel writes rand seed
// slots as integers, not floats, so no NaN-canonicalisation can corrupt them).

function randExpr(constSlot: number): Expr {
  return { k: 'rand', seed: constSlot };
}

/** Uniform [lo, hi). Realised at once (random streams do not fuse across broadcasts). */
export function rand(gpu: Gpu, shape: readonly number[], lo = 0, hi = 1): Tensor {
  const [k0, k1] = nextKey();
  // const slots 0,1 hold the key's bits (passed through as u32), 2,3 the affine map
  const e: Expr = { k: 'bin', op: 'add', a: { k: 'bin', op: 'mul', a: randExpr(0), b: { k: 'const', i: 2 } }, b: { k: 'const', i: 3 } };
  return fuse(gpu, shape, 'f32', e, [], [k0, k1, hi - lo, lo]).realise();
}

/** Normal(mean, std) by Box-Muller on two independent Philox streams. */
export function randn(gpu: Gpu, shape: readonly number[], mean = 0, std = 1): Tensor {
  const [a0, a1] = nextKey();
  const [b0, b1] = nextKey();
  const u1: Expr = { k: 'bin', op: 'sub', a: { k: 'const', i: 4 }, b: randExpr(0) }; // 1 - u in (0, 1]
  const u2: Expr = randExpr(2);
  const r: Expr = { k: 'un', op: 'sqrt', a: { k: 'bin', op: 'mul', a: { k: 'const', i: 5 }, b: { k: 'un', op: 'log', a: u1 } } };
  const c: Expr = { k: 'un', op: 'cos', a: { k: 'bin', op: 'mul', a: { k: 'const', i: 6 }, b: u2 } };
  const z: Expr = { k: 'bin', op: 'mul', a: r, b: c };
  const e: Expr = { k: 'bin', op: 'add', a: { k: 'bin', op: 'mul', a: z, b: { k: 'const', i: 7 } }, b: { k: 'const', i: 8 } };
  return fuse(gpu, shape, 'f32', e, [], [a0, a1, b0, b1, 1, -2, 2 * Math.PI, std, mean]).realise();
}

/** Inverted dropout: zero with probability p, scale survivors by 1/(1-p). */
export function dropout(x: Tensor, p: number, training = true): Tensor {
  if (!training || p === 0) return x.share();
  if (p < 0 || p >= 1) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
  const u = rand(x.gpu, x.shape);
  const keepMask = fuse(x.gpu, x.shape, 'f32', { k: 'bin', op: 'ge', a: { k: 'leaf', i: 0 }, b: { k: 'const', i: 0 } }, [u], [p]);
  u.dispose();
  const scale = mul(keepMask, 1 / (1 - p));
  keepMask.dispose();
  const y = mul(x, scale);
  // mul recorded the graph through x; the mask itself carries no gradient
  scale.dispose();
  return y;
}
