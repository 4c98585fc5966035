// Store new keys/values into a KV cache at per-token rows:
//   cache[b, h, rows[b, t], :] = x[b, h, t, :]   for rows[b, t] >= 0 (negative: skip)
// The sampler keeps each sequence's cache compact (real tokens only, from row 0), so a
// left-padded prompt writes its tokens at their positions and padding is never stored;
// decode attention then reads rows 0..len-1 of each sequence (kernels/attention.ts decode).
import type { Gpu } from '../src/gpu/index.js';
import { packSlots, slot, uniformDecl } from './elementwise.js';

export interface KvScatterParams {
  /** [B, H, T, D] contiguous f32 */
  x: GPUBuffer;
  /** [B, T] i32 destination rows (< 0: skip) */
  rows: GPUBuffer;
  /** [B, H, Tmax, D] contiguous f32 */
  cache: GPUBuffer;
  B: number;
  H: number;
  T: number;
  D: number;
  Tmax: number;
}

const WG = 64;

export function kvScatter(gpu: Gpu, p: KvScatterParams): void {
  const n = p.B * p.H * p.T * p.D;
  if (n === 0) return;
  const code = `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> ROWS: array<i32>;
@group(0) @binding(2) var<storage, read_write> CACHE: array<f32>;
${uniformDecl(8, 3)}
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WG}u;
  if (i >= ${slot(0)}) { return; }
  let H = ${slot(1)}; let Tn = ${slot(2)}; let D = ${slot(3)}; let Tmax = ${slot(4)};
  let d = i % D;
  let t = (i / D) % Tn;
  let bh = i / (D * Tn);
  let b = bh / H;
  let row = ROWS[b * Tn + t];
  if (row < 0 || u32(row) >= Tmax) { return; }
  CACHE[(bh * Tmax + u32(row)) * D + d] = X[i];
}`;
  const k = gpu.kernel({ name: 'kv_scatter', code, storageBindings: 3, uniforms: true });
  gpu.dispatch(k, [p.x, p.rows, p.cache], gpu.grid(Math.ceil(n / WG)), packSlots([n, p.H, p.T, p.D, p.Tmax], new Set()));
}
