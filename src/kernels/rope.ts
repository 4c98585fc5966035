// Rotary position embedding, HF "rotate half" convention, forward and backward, in place or not.
//
// For a head vector x of size D, rotary dims R <= D (R even, default D), half = R / 2,
// i < half, position pos and inv_freq_i = base^(-2i / R) (times an optional linear scale):
//   y[i]        = x[i] * cos(pos * f_i) - x[i + half] * sin(pos * f_i)
//   y[i + half] = x[i + half] * cos(pos * f_i) + x[i] * sin(pos * f_i)
//   y[j] = x[j] for R <= j < D (partial rotary)
// Backward rotates by -theta. Angles are computed in f32 like HF's implementation
// (inv_freq in f32, pos * inv_freq in f32, then cos/sin).
//
// Layout: x is [B, H, T, D] ('bhtd', after the head transpose) or [B, T, H, D] ('bthd').
// Positions: `positions` i32 [B, T] if given, else offset + t.
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';

export interface RopeParams {
  x: GPUBuffer;
  /** may equal x (in place) */
  out: GPUBuffer;
  B: number;
  H: number;
  T: number;
  D: number;
  layout?: 'bhtd' | 'bthd';
  /** rotary dims (even, <= D); default D */
  rotaryDim?: number;
  /** default 10000 */
  base?: number;
  /** positions are multiplied by 1/scale (linear RoPE scaling); default 1 */
  scale?: number;
  /** i32 [B, T] absolute positions */
  positions?: GPUBuffer;
  /** position of t = 0 when no positions buffer; default 0 */
  offset?: number;
  /** apply the inverse rotation (the backward of the forward with the same parameters) */
  inverse?: boolean;
}

/** y = rope(x). */
export function rope(gpu: Gpu, p: RopeParams): void {
  const { B, H, T, D } = p;
  for (const [k, v] of Object.entries({ B, H, T, D })) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`rope: ${k} must be a non-negative integer, got ${v}`);
  }
  const R = p.rotaryDim ?? D;
  if (R % 2 !== 0 || R > D || R <= 0) throw new RangeError(`rope: rotaryDim must be even and in (0, D=${D}], got ${R}`);
  const n = B * H * T;
  if (n === 0) return;
  for (const [name, b] of [['x', p.x], ['out', p.out]] as const) {
    if (b.size < n * D * 4) throw new RangeError(`rope: buffer '${name}' holds ${b.size} bytes, needs ${n * D * 4}`);
  }
  if (p.positions && p.positions.size < B * T * 4) throw new RangeError(`rope: positions must hold B*T = ${B * T} i32`);
  const inPlace = p.x === p.out;
  const k = ropeKernel(gpu, p.layout ?? 'bhtd', !!p.positions, inPlace, !!p.inverse);
  const u = new ArrayBuffer(32);
  new Uint32Array(u).set([B, H, T, D, R / 2]);
  new Float32Array(u).set([Math.log(p.base ?? 10000), 1 / (p.scale ?? 1)], 5);
  new Int32Array(u)[7] = p.offset ?? 0;
  const bufs: GPUBuffer[] = inPlace ? [p.out] : [p.x, p.out];
  if (p.positions) bufs.push(p.positions);
  // one invocation per (row, i < half); copies of the unrotated tail are done by the i == 0 thread
  gpu.dispatch(k, bufs, gpu.grid(Math.ceil((n * (R / 2)) / 64)), new Uint8Array(u));
}

/** dx = rope^-1(dy): the backward of `rope` with the same parameters. */
export function ropeBackward(gpu: Gpu, p: Omit<RopeParams, 'x' | 'out' | 'inverse'> & { dy: GPUBuffer; dx: GPUBuffer }): void {
  rope(gpu, { ...p, x: p.dy, out: p.dx, inverse: true });
}

function ropeKernel(gpu: Gpu, layout: 'bhtd' | 'bthd', hasPos: boolean, inPlace: boolean, inverse: boolean): Kernel {
  return gpu.kernelFor(`rope|${layout}|${hasPos}|${inPlace}|${inverse}`, () => ropeSpec(layout, hasPos, inPlace, inverse));
}

function ropeSpec(layout: 'bhtd' | 'bthd', hasPos: boolean, inPlace: boolean, inverse: boolean): KernelSpec {
  const X = inPlace ? 'Y' : 'X';
  const code = `struct P { B: u32, H: u32, T: u32, D: u32, half: u32, logBase: f32, invScale: f32, offset: i32 }
${inPlace ? '' : '@group(0) @binding(0) var<storage, read> X: array<f32>;'}
@group(0) @binding(${inPlace ? 0 : 1}) var<storage, read_write> Y: array<f32>;
${hasPos ? `@group(0) @binding(${inPlace ? 1 : 2}) var<storage, read> POS: array<i32>;` : ''}
@group(0) @binding(${(inPlace ? 1 : 2) + (hasPos ? 1 : 0)}) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let g = (wid.x + wid.y * nwg.x) * 64u + li;
  if (g >= p.B * p.H * p.T * p.half) { return; }
  let i = g % p.half;
  let row = g / p.half;
  // row enumerates [B, H, T] ('bhtd') or [B, T, H] ('bthd')
  ${layout === 'bhtd' ? 'let t = row % p.T; let b = row / (p.H * p.T);' : 'let t = (row / p.H) % p.T; let b = row / (p.H * p.T);'}
  let pos = ${hasPos ? 'f32(POS[b * p.T + t])' : 'f32(i32(t) + p.offset)'} * p.invScale;
  let invFreq = exp(-f32(2u * i) / f32(2u * p.half) * p.logBase);
  let ang = pos * invFreq;
  let c = cos(ang);
  let s = ${inverse ? '-' : ''}sin(ang);
  let base = row * p.D;
  let x1 = ${X}[base + i];
  let x2 = ${X}[base + i + p.half];
  Y[base + i] = x1 * c - x2 * s;
  Y[base + i + p.half] = x2 * c + x1 * s;
  ${inPlace ? '' : `if (i == 0u) { for (var j = 2u * p.half; j < p.D; j += 1u) { Y[base + j] = X[base + j]; } }`}
}`;
  return { name: `rope_${layout}${hasPos ? '_pos' : ''}${inPlace ? '_inplace' : ''}${inverse ? '_inv' : ''}`, code, storageBindings: (inPlace ? 1 : 2) + (hasPos ? 1 : 0), uniforms: true };
}
