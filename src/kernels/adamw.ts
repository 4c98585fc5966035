// Fused AdamW update (decoupled weight decay, bias correction from the step number), over one
// flat buffer or many buffers in few dispatches, with optional gradient clipping by a global
// norm that stays on the GPU (kernels/gradnorm.ts):
//   c = min(1, maxNorm / (norm + 1e-6)) when gradNorm is given, else 1;  g = c * gradScale * grad
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   param -= lr * (m / (1 - b1^step) / (sqrt(v / (1 - b2^step)) + eps) + weightDecay * param)
// (PyTorch AdamW order: the decay uses the pre-update param; eps is added after the sqrt.)
import type { Gpu, Kernel } from '../gpu/device.js';

export interface AdamwHyper {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** 1-based step count (bias correction) */
  step: number;
  /** multiplies gradients first (e.g. 1 / accumulation steps); default 1 */
  gradScale?: number;
  /** 1-element buffer holding the global gradient norm: clip to maxNorm */
  gradNorm?: GPUBuffer;
  maxNorm?: number;
}

export interface AdamwTensor {
  param: GPUBuffer;
  grad: GPUBuffer;
  m: GPUBuffer;
  v: GPUBuffer;
  /** elements */
  n: number;
  /** element offset into all four buffers; default 0 */
  offset?: number;
  /** per-tensor weight decay override (e.g. 0 for norms and biases) */
  weightDecay?: number;
}

const WG = 64;
const MAX_PER_DISPATCH = 3;

/** One flat range (the common case: all parameters in one arena buffer). */
export function adamw(gpu: Gpu, t: AdamwTensor, h: AdamwHyper): void {
  adamwMulti(gpu, [t], h);
}

/** Many tensors: up to 3 per dispatch (4 bindings each within 16 storage bindings), 1 if the adapter allows fewer. */
export function adamwMulti(gpu: Gpu, tensors: AdamwTensor[], h: AdamwHyper): void {
  if (!(h.step >= 1)) throw new RangeError(`adamw: step must be >= 1 (bias correction), got ${h.step}`);
  if (h.gradNorm && !(h.maxNorm! > 0)) throw new RangeError('adamw: gradNorm needs a positive maxNorm');
  for (const [i, t] of tensors.entries()) {
    if (!Number.isInteger(t.n) || t.n < 0) throw new RangeError(`adamw: tensor ${i}: n must be a non-negative integer`);
    const need = ((t.offset ?? 0) + t.n) * 4;
    for (const k of ['param', 'grad', 'm', 'v'] as const) {
      if (t[k].size < need) throw new RangeError(`adamw: tensor ${i}: buffer '${k}' holds ${t[k].size} bytes, needs ${need}`);
    }
    if (new Set([t.param, t.grad, t.m, t.v]).size !== 4) throw new Error(`adamw: tensor ${i}: param, grad, m and v must be distinct buffers`);
  }
  const b1 = h.beta1 ?? 0.9, b2 = h.beta2 ?? 0.999;
  const live = tensors.filter((t) => t.n > 0);
  const clip = !!h.gradNorm;
  const per = Math.max(1, Math.min(MAX_PER_DISPATCH, Math.floor((gpu.limits.maxStorageBuffersPerShaderStage - (clip ? 1 : 0)) / 4)));
  for (let i = 0; i < live.length; i += per) {
    const g = live.slice(i, i + per);
    const u = new ArrayBuffer(32 + 16 * MAX_PER_DISPATCH);
    const f = new Float32Array(u), w = new Uint32Array(u);
    f.set([h.lr, b1, b2, h.eps ?? 1e-8, 1 - b1 ** h.step, 1 - b2 ** h.step, h.gradScale ?? 1, h.maxNorm ?? 0]);
    let wg = 0;
    g.forEach((t, j) => {
      w.set([wg, t.n, t.offset ?? 0], 8 + 4 * j);
      f[8 + 4 * j + 3] = t.weightDecay ?? h.weightDecay ?? 0;
      wg += Math.ceil(t.n / WG);
    });
    const bufs = g.flatMap((t) => [t.param, t.grad, t.m, t.v]);
    if (h.gradNorm) bufs.push(h.gradNorm);
    gpu.dispatch(kernel(gpu, g.length, clip), bufs, gpu.grid(wg), new Uint8Array(u));
  }
}

function kernel(gpu: Gpu, nt: number, clip: boolean): Kernel {
  const decl = Array.from({ length: nt }, (_, i) =>
    ['P', 'G', 'M', 'V'].map((n, k) => `@group(0) @binding(${4 * i + k}) var<storage, ${n === 'G' ? 'read' : 'read_write'}> ${n}${i}: array<f32>;`).join('\n'),
  ).join('\n');
  const body = Array.from({ length: nt }, (_, i) => `${i ? ' else ' : '  '}if (k == ${i}u) {
    let g = G${i}[e] * gs;
    let m = p.b1 * M${i}[e] + (1.0 - p.b1) * g;
    let v = p.b2 * V${i}[e] + (1.0 - p.b2) * g * g;
    M${i}[e] = m;
    V${i}[e] = v;
    let x = P${i}[e];
    P${i}[e] = x - p.lr * ((m / p.bc1) / (sqrt(v / p.bc2) + p.eps) + wd * x);
  }`).join('');
  const code = `struct T { wgStart: u32, n: u32, off: u32, wd: f32 }
struct U { lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32, gradScale: f32, maxNorm: f32, t: array<T, ${MAX_PER_DISPATCH}> }
${decl}
${clip ? `@group(0) @binding(${4 * nt}) var<storage, read> NORM: array<f32>;` : ''}
@group(0) @binding(${4 * nt + (clip ? 1 : 0)}) var<uniform> p: U;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let w = wid.x + wid.y * nwg.x;
  var k = 0u;
  for (var i = 1u; i < ${nt}u; i += 1u) { if (w >= p.t[i].wgStart) { k = i; } }
  let local = (w - p.t[k].wgStart) * ${WG}u + li;
  if (local >= p.t[k].n) { return; }
  let e = p.t[k].off + local;
  let wd = p.t[k].wd;
  ${clip ? 'let gs = p.gradScale * min(1.0, p.maxNorm / (NORM[0] + 1e-6));' : 'let gs = p.gradScale;'}
${body}
}`;
  return gpu.kernel({ name: `adamw_${nt}${clip ? '_clip' : ''}`, code, storageBindings: 4 * nt + (clip ? 1 : 0), uniforms: true });
}
