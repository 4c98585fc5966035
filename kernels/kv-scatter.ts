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
  /**
   * Optional second pair (the values beside the keys), same shapes: both are stored by the
   * one dispatch (in a decode step the dispatch count, not the bytes, is what costs).
   */
  x2?: GPUBuffer;
  cache2?: GPUBuffer;
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
  if (!!p.x2 !== !!p.cache2) throw new Error('kvScatter: x2 and cache2 go together');
  const two = !!p.x2;
  const code = `
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> ROWS: array<i32>;
@group(0) @binding(2) var<storage, read_write> CACHE: array<f32>;
${two ? `@group(0) @binding(3) var<storage, read> X2: array<f32>;
@group(0) @binding(4) var<storage, read_write> CACHE2: array<f32>;` : ''}
${uniformDecl(8, two ? 5 : 3)}
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
  let o = (bh * Tmax + u32(row)) * D + d;
  CACHE[o] = X[i];
  ${two ? 'CACHE2[o] = X2[i];' : ''}
}`;
  const k = gpu.kernel({ name: two ? 'kv_scatter2' : 'kv_scatter', code, storageBindings: two ? 5 : 3, uniforms: true });
  const bufs = two ? [p.x, p.rows, p.cache, p.x2!, p.cache2!] : [p.x, p.rows, p.cache];
  gpu.dispatch(k, bufs, gpu.grid(Math.ceil(n / WG)), packSlots([n, p.H, p.T, p.D, p.Tmax], new Set()));
}
