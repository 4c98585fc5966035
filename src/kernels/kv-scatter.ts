// Store new keys and values into a KV cache at per-token rows, in one dispatch:
//   kCache[b, h, rows[b, t], :] = k[b, h, t, :],  vCache likewise,  for rows[b, t] >= 0
// (negative: skip). The sampler keeps each sequence's cache compact (real tokens only, from
// row 0), so a left-padded prompt writes its tokens at their positions and padding is never
// stored; decode attention then reads rows 0..len-1 of each sequence (kernels/attention.ts
// decode). Keys and values share one dispatch because in a decode step the dispatch count,
// not the bytes, is what costs.
import type { Gpu } from '../gpu/index.js';
import { packSlots, slot, uniformDecl } from './elementwise.js';

export interface KvScatterParams {
  /** new keys and values, [B, H, T, D] contiguous f32 each */
  k: GPUBuffer;
  v: GPUBuffer;
  /** [B, T] i32 destination rows (< 0: skip) */
  rows: GPUBuffer;
  /** [B, H, Tmax, D] contiguous f32 each */
  kCache: GPUBuffer;
  vCache: GPUBuffer;
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
  // the shader text is the same for every call: made once per device
  const k = gpu.kernelFor('kv_scatter', () => ({ name: 'kv_scatter', storageBindings: 5, uniforms: true, code: `
@group(0) @binding(0) var<storage, read> K: array<f32>;
@group(0) @binding(1) var<storage, read> V: array<f32>;
@group(0) @binding(2) var<storage, read> ROWS: array<i32>;
@group(0) @binding(3) var<storage, read_write> KC: array<f32>;
@group(0) @binding(4) var<storage, read_write> VC: array<f32>;
${uniformDecl(8, 5)}
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
  KC[o] = K[i];
  VC[o] = V[i];
}` }));
  gpu.dispatch(k, [p.k, p.v, p.rows, p.kCache, p.vCache], gpu.grid(Math.ceil(n / WG)), packSlots([n, p.H, p.T, p.D, p.Tmax], new Set()));
}
