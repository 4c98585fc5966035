// A tiny end-to-end check of the device: compile a shader, upload, dispatch with
// uniforms and workgroup memory, read back, compare with the CPU.
import type { Gpu } from './device.js';

const SHADER = /* wgsl */ `
// Self-check: y[i] = a * x[i] + b, plus a per-workgroup partial sum in workgroup memory,
// so the check exercises storage buffers, uniforms, workgroup memory and barriers.
struct Params { n: u32, a: f32, b: f32, _pad: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;
var<workgroup> acc: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  var v = 0.0;
  if (gid.x < p.n) {
    v = p.a * x[gid.x] + p.b;
    y[gid.x] = v;
  }
  acc[lid] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { acc[lid] += acc[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { partial[wid.x] = acc[0]; }
}
`;

export interface SelfCheckResult {
  ok: boolean;
  maxError: number;
  n: number;
  ms: number;
}

export async function selfCheck(gpu: Gpu, n = 100_003): Promise<SelfCheckResult> {
  const t0 = performance.now();
  const k = await gpu.compile({ name: 'selfcheck', code: SHADER, storageBindings: 3, uniforms: true });
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37);
  const a = 1.5, b = -0.25;
  const wgs = Math.ceil(n / 64);
  const xb = gpu.alloc(n * 4), yb = gpu.alloc(n * 4), pb = gpu.alloc(wgs * 4);
  gpu.write(xb, x);
  const params = new ArrayBuffer(16);
  new Uint32Array(params, 0, 1)[0] = n;
  new Float32Array(params, 4, 2).set([a, b]);
  gpu.dispatch(k, [xb, yb, pb], [wgs], new Uint8Array(params));
  const y = new Float32Array(await gpu.read(yb, 0, n * 4));
  const part = new Float32Array(await gpu.read(pb, 0, wgs * 4));
  let maxError = 0;
  let sum = 0, gsum = 0;
  for (let i = 0; i < n; i++) {
    const want = a * x[i] + b;
    maxError = Math.max(maxError, Math.abs(y[i] - want));
    sum += want;
  }
  for (const v of part) gsum += v;
  maxError = Math.max(maxError, Math.abs(gsum - sum) / Math.max(1, Math.abs(sum)));
  gpu.free(xb); gpu.free(yb); gpu.free(pb);
  return { ok: maxError < 1e-4, maxError, n, ms: performance.now() - t0 };
}
