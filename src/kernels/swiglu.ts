// Fused SwiGLU: out = silu(gate) * up, and its backward
//   dgate = dout * up * s * (1 + gate * (1 - s)),  dup = dout * silu(gate),  s = sigmoid(gate).
// gate and up are [rows, cols] views with their own offsets and row strides, so they can be
// two halves of one fused projection ([rows, 2F] with stride 2F) or separate buffers; out is
// contiguous [rows, cols]. dgate/dup are written with the layouts of gate/up.
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';

export interface SwigluParams {
  gate: GPUBuffer;
  up: GPUBuffer;
  out: GPUBuffer;
  rows: number;
  cols: number;
  /** element offsets and row strides (default 0 and cols) */
  gateOffset?: number;
  upOffset?: number;
  gateStride?: number;
  upStride?: number;
}

export interface SwigluBackwardParams extends SwigluParams {
  /** [rows, cols] upstream gradient (contiguous); `out` is unused */
  dout: GPUBuffer;
  /** gradient of gate / up, same layout as gate / up; may be one buffer (then same as the fused input layout) */
  dgate: GPUBuffer;
  dup: GPUBuffer;
}

function uni(p: SwigluParams): Uint32Array {
  return new Uint32Array([p.rows, p.cols, p.gateOffset ?? 0, p.upOffset ?? 0, p.gateStride ?? p.cols, p.upStride ?? p.cols, 0, 0]);
}

function check(op: string, p: SwigluParams, bufs: [string, GPUBuffer, number, number][]): void {
  for (const [k, v] of Object.entries({ rows: p.rows, cols: p.cols })) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${k} must be a non-negative integer, got ${v}`);
  }
  for (const [name, b, off, stride] of bufs) {
    const need = p.rows === 0 ? 0 : (off + (p.rows - 1) * stride + p.cols) * 4;
    if (need > b.size) throw new RangeError(`${op}: buffer '${name}' holds ${b.size} bytes, needs ${need}`);
  }
}

export function swiglu(gpu: Gpu, p: SwigluParams): void {
  const gs = p.gateStride ?? p.cols, us = p.upStride ?? p.cols;
  check('swiglu', p, [['gate', p.gate, p.gateOffset ?? 0, gs], ['up', p.up, p.upOffset ?? 0, us], ['out', p.out, 0, p.cols]]);
  if (p.out === p.gate || p.out === p.up) throw new Error('swiglu: out must not alias gate/up');
  const n = p.rows * p.cols;
  if (n === 0) return;
  const same = p.gate === p.up;
  const k = fwdKernel(gpu, same);
  gpu.dispatch(k, same ? [p.gate, p.out] : [p.gate, p.up, p.out], gpu.grid(Math.ceil(n / 64)), uni(p));
}

export function swigluBackward(gpu: Gpu, p: SwigluBackwardParams): void {
  const gs = p.gateStride ?? p.cols, us = p.upStride ?? p.cols;
  check('swigluBackward', p, [['gate', p.gate, p.gateOffset ?? 0, gs], ['up', p.up, p.upOffset ?? 0, us], ['dout', p.dout, 0, p.cols], ['dgate', p.dgate, p.gateOffset ?? 0, gs], ['dup', p.dup, p.upOffset ?? 0, us]]);
  for (const d of [p.dgate, p.dup]) if (d === p.gate || d === p.up || d === p.dout) throw new Error('swigluBackward: gradients must not alias the inputs');
  const n = p.rows * p.cols;
  if (n === 0) return;
  const sameIn = p.gate === p.up, sameOut = p.dgate === p.dup;
  const k = bwdKernel(gpu, sameIn, sameOut);
  const bufs: GPUBuffer[] = sameIn ? [p.gate] : [p.gate, p.up];
  bufs.push(p.dout);
  bufs.push(...(sameOut ? [p.dgate] : [p.dgate, p.dup]));
  gpu.dispatch(k, bufs, gpu.grid(Math.ceil(n / 64)), uni(p));
}

const HEAD = 'struct P { rows: u32, cols: u32, gOff: u32, uOff: u32, gStride: u32, uStride: u32, _a: u32, _b: u32 }';
const INDEX = `  let g = (wid.x + wid.y * nwg.x) * 64u + li;
  if (g >= p.rows * p.cols) { return; }
  let r = g / p.cols;
  let c = g % p.cols;
  let gi = p.gOff + r * p.gStride + c;
  let ui = p.uOff + r * p.uStride + c;`;
const BUILTINS = '@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32';

function fwdKernel(gpu: Gpu, same: boolean): Kernel {
  return gpu.kernelFor(`swiglu_fwd|${same}`, () => fwdSpec(same));
}

function fwdSpec(same: boolean): KernelSpec {
  const U = same ? 'G' : 'U';
  const code = `${HEAD}
@group(0) @binding(0) var<storage, read> G: array<f32>;
${same ? '' : '@group(0) @binding(1) var<storage, read> U: array<f32>;'}
@group(0) @binding(${same ? 1 : 2}) var<storage, read_write> O: array<f32>;
@group(0) @binding(${same ? 2 : 3}) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(${BUILTINS}) {
${INDEX}
  let x = G[gi];
  O[g] = x / (1.0 + exp(-x)) * ${U}[ui];
}`;
  return { name: `swiglu${same ? '_fused' : ''}`, code, storageBindings: same ? 2 : 3, uniforms: true };
}

function bwdKernel(gpu: Gpu, sameIn: boolean, sameOut: boolean): Kernel {
  return gpu.kernelFor(`swiglu_bwd|${sameIn}|${sameOut}`, () => bwdSpec(sameIn, sameOut));
}

function bwdSpec(sameIn: boolean, sameOut: boolean): KernelSpec {
  const names: [string, boolean][] = sameIn ? [['G', false]] : [['G', false], ['U', false]];
  names.push(['DO', false]);
  names.push(...((sameOut ? [['DG', true]] : [['DG', true], ['DU', true]]) as [string, boolean][]));
  const code = `${HEAD}
${names.map(([n, w], i) => `@group(0) @binding(${i}) var<storage, ${w ? 'read_write' : 'read'}> ${n}: array<f32>;`).join('\n')}
@group(0) @binding(${names.length}) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(${BUILTINS}) {
${INDEX}
  let x = G[gi];
  let u = ${sameIn ? 'G' : 'U'}[ui];
  let s = 1.0 / (1.0 + exp(-x));
  let d = DO[g];
  DG[gi] = d * u * s * (1.0 + x * (1.0 - s));
  ${sameOut ? 'DG' : 'DU'}[ui] = d * x * s;
}`;
  return { name: `swiglu_bwd${sameIn ? '_fin' : ''}${sameOut ? '_fout' : ''}`, code, storageBindings: names.length, uniforms: true };
}
