// Inclusive cumulative sum along one axis. One invocation per line walks it
// sequentially: lines are independent, and on lavapipe (a workgroup = one CPU thread,
// SIMD across invocations) this is the fast layout; on GPUs it is fine for the line
// counts a transformer/RL trainer needs (masks, positions, returns).
import type { Gpu } from '../gpu/index.js';
import { packSlots, slot, uniformDecl } from './elementwise.js';

export interface ScanParams {
  x: GPUBuffer; // contiguous f32 [outer, len, inner]
  out: GPUBuffer; // contiguous f32, same shape
  outer: number;
  len: number;
  inner: number;
  reverse?: boolean;
}

const WG = 64;

export function cumsum(gpu: Gpu, p: ScanParams): void {
  const lines = p.outer * p.inner;
  if (lines === 0 || p.len === 0) return;
  const vals = [lines, p.len, p.inner, 0];
  const code = `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> OUT: array<f32>;
${uniformDecl(4, 2)}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * ${WG}u;
  if (t >= ${slot(0)}) { return; }
  let len = ${slot(1)}; let inner = ${slot(2)};
  let base = (t / inner) * len * inner + (t % inner);
  var acc = 0.0;
  for (var s = 0u; s < len; s++) {
    let j = ${p.reverse ? 'len - 1u - s' : 's'};
    acc += X[base + j * inner];
    OUT[base + j * inner] = acc;
  }
}`;
  const k = gpu.kernel({ name: p.reverse ? 'cumsum_reverse' : 'cumsum', code, storageBindings: 2, uniforms: true });
  gpu.dispatch(k, [p.x, p.out], gpu.grid(Math.ceil(lines / WG)), packSlots(vals, new Set()));
}
