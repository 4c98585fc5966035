// Naive GPU kernels: the baselines the fast kernels are compared with (the "our naive
// reference kernel" column). One output element (or row) per invocation, scalar, no tiling.
import type { Gpu } from '../src/gpu/device.js';

export function naiveMatmul(gpu: Gpu, a: GPUBuffer, b: GPUBuffer, out: GPUBuffer, M: number, N: number, K: number): void {
  const k = gpu.kernel({
    name: 'naive_matmul',
    storageBindings: 3,
    uniforms: true,
    code: `struct P { M: u32, N: u32, K: u32, _a: u32 }
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;
@group(0) @binding(3) var<uniform> p: P;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= p.N || g.y >= p.M) { return; }
  var s = 0.0;
  for (var k = 0u; k < p.K; k += 1u) { s += A[g.y * p.K + k] * B[k * p.N + g.x]; }
  O[g.y * p.N + g.x] = s;
}`,
  });
  gpu.dispatch(k, [a, b, out], [Math.ceil(N / 8), Math.ceil(M / 8)], new Uint32Array([M, N, K, 0]));
}

/** Row softmax / log-softmax, one row per invocation, scalar, three sweeps. */
export function naiveSoftmax(gpu: Gpu, x: GPUBuffer, out: GPUBuffer, rows: number, cols: number, log = false): void {
  const k = gpu.kernel({
    name: `naive_softmax${log ? '_log' : ''}`,
    storageBindings: 2,
    uniforms: true,
    code: `struct P { rows: u32, cols: u32, _a: u32, _b: u32 }
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let r = g.x;
  if (r >= p.rows) { return; }
  var m = -3.402823e38;
  for (var j = 0u; j < p.cols; j += 1u) { m = max(m, X[r * p.cols + j]); }
  var s = 0.0;
  for (var j = 0u; j < p.cols; j += 1u) { s += exp(X[r * p.cols + j] - m); }
  for (var j = 0u; j < p.cols; j += 1u) { ${log ? 'O[r * p.cols + j] = X[r * p.cols + j] - m - log(s);' : 'O[r * p.cols + j] = exp(X[r * p.cols + j] - m) / s;'} }
}`,
  });
  gpu.dispatch(k, [x, out], [Math.ceil(rows / 64)], new Uint32Array([rows, cols, 0, 0]));
}

/** out[r] = x[r, t[r]]: the gather half of "log-softmax + gather". */
export function gatherRows(gpu: Gpu, x: GPUBuffer, t: GPUBuffer, out: GPUBuffer, rows: number, cols: number): void {
  const k = gpu.kernel({
    name: 'bench_gather_rows',
    storageBindings: 3,
    uniforms: true,
    code: `struct P { rows: u32, cols: u32, _a: u32, _b: u32 }
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<i32>;
@group(0) @binding(2) var<storage, read_write> O: array<f32>;
@group(0) @binding(3) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= p.rows) { return; }
  O[g.x] = X[g.x * p.cols + u32(T[g.x])];
}`,
  });
  gpu.dispatch(k, [x, t, out], [Math.ceil(rows / 64)], new Uint32Array([rows, cols, 0, 0]));
}
