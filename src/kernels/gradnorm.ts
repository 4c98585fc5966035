// Global L2 norm over many buffers, left on the GPU as a 1-element buffer (so clipping, e.g.
// kernels/adamw.ts with `gradNorm`, needs no readback).
//
// Pass 1: each workgroup sums squares of a CHUNK of one buffer into its own slot of a partials
// buffer; one dispatch covers up to `maxPerDispatch` buffers (selected per workgroup from a
// small table in the uniforms). Pass 2: one workgroup adds the partials (fixed order:
// deterministic) and writes sqrt. Dispatches: ceil(buffers / maxPerDispatch) + 1.
import type { Gpu, Kernel } from '../gpu/device.js';

export interface NormInput {
  buffer: GPUBuffer;
  /** elements */
  n: number;
  /** element offset, default 0 */
  offset?: number;
}

const WG = 64;
const PER_THREAD = 64;
const CHUNK = WG * PER_THREAD;
const MAX_PER_DISPATCH = 8;

/** out[0] = sqrt(sum over inputs of sum x^2). */
export function globalNorm(gpu: Gpu, inputs: NormInput[], out: GPUBuffer): void {
  if (out.size < 4) throw new RangeError('globalNorm: out must hold one f32');
  for (const [i, x] of inputs.entries()) {
    if (!Number.isInteger(x.n) || x.n < 0) throw new RangeError(`globalNorm: input ${i}: n must be a non-negative integer`);
    if (((x.offset ?? 0) + x.n) * 4 > x.buffer.size) throw new RangeError(`globalNorm: input ${i} holds ${x.buffer.size} bytes, needs ${((x.offset ?? 0) + x.n) * 4}`);
    if (x.buffer === out) throw new Error(`globalNorm: input ${i} aliases out`);
  }
  const live = inputs.filter((x) => x.n > 0);
  const per = Math.min(MAX_PER_DISPATCH, gpu.limits.maxStorageBuffersPerShaderStage - 1);
  const groups: NormInput[][] = [];
  for (let i = 0; i < live.length; i += per) groups.push(live.slice(i, i + per));
  const wgs = groups.map((g) => g.reduce((s, x) => s + Math.ceil(x.n / CHUNK), 0));
  const total = wgs.reduce((a, b) => a + b, 0);
  const partials = gpu.alloc(Math.max(4, total * 4));
  let base = 0;
  for (const [gi, g] of groups.entries()) {
    // uniforms: partial base, count, then per input (wgStart, n, offset, pad)
    const u = new Uint32Array(4 + 4 * MAX_PER_DISPATCH);
    u[0] = base;
    u[1] = g.length;
    let w = 0;
    g.forEach((x, i) => {
      u.set([w, x.n, x.offset ?? 0, 0], 4 + 4 * i);
      w += Math.ceil(x.n / CHUNK);
    });
    gpu.dispatch(partialKernel(gpu, g.length), [...g.map((x) => x.buffer), partials], gpu.grid(wgs[gi]), u);
    base += wgs[gi];
  }
  gpu.dispatch(finalKernel(gpu), [partials, out], [1], new Uint32Array([total, 0, 0, 0]));
  gpu.free(partials);
}

function partialKernel(gpu: Gpu, nb: number): Kernel {
  const sel = Array.from({ length: nb }, (_, i) => `${i ? ' else ' : '    '}if (k == ${i}u) { v = X${i}[off + min(e, n - 1u)]; }`).join('');
  const code = `struct In { wgStart: u32, n: u32, off: u32, _p: u32 }
struct P { base: u32, count: u32, _a: u32, _b: u32, inputs: array<In, ${MAX_PER_DISPATCH}> }
${Array.from({ length: nb }, (_, i) => `@group(0) @binding(${i}) var<storage, read> X${i}: array<f32>;`).join('\n')}
@group(0) @binding(${nb}) var<storage, read_write> PART: array<f32>;
@group(0) @binding(${nb + 1}) var<uniform> p: P;
var<workgroup> red: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let w = wid.x + wid.y * nwg.x;
  // which input this workgroup belongs to (uniform across the workgroup)
  var k = 0u;
  for (var i = 1u; i < p.count; i += 1u) { if (w >= p.inputs[i].wgStart) { k = i; } }
  let n = p.inputs[k].n;
  let off = p.inputs[k].off;
  let c0 = (w - p.inputs[k].wgStart) * ${CHUNK}u;
  var s = 0.0;
  for (var t = 0u; t < ${PER_THREAD}u; t += 1u) {
    let e = c0 + t * ${WG}u + li;
    var v = 0.0;
${sel}
    s += select(0.0, v * v, e < n);
  }
  red[li] = s;
  workgroupBarrier();
  for (var st = ${WG / 2}u; st > 0u; st >>= 1u) {
    if (li < st) { red[li] += red[li + st]; }
    workgroupBarrier();
  }
  if (li == 0u) { PART[p.base + w] = red[0]; }
}`;
  return gpu.kernel({ name: `gradnorm_partial_${nb}`, code, storageBindings: nb + 1, uniforms: true });
}

function finalKernel(gpu: Gpu): Kernel {
  const code = `struct P { n: u32, _a: u32, _b: u32, _c: u32 }
@group(0) @binding(0) var<storage, read> PART: array<f32>;
@group(0) @binding(1) var<storage, read_write> OUT: array<f32>;
@group(0) @binding(2) var<uniform> p: P;
var<workgroup> red: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = li; i < p.n; i += ${WG}u) { s += PART[i]; }
  red[li] = s;
  workgroupBarrier();
  for (var st = ${WG / 2}u; st > 0u; st >>= 1u) {
    if (li < st) { red[li] += red[li + st]; }
    workgroupBarrier();
  }
  if (li == 0u) { OUT[0] = sqrt(red[0]); }
}`;
  return gpu.kernel({ name: 'gradnorm_final', code, storageBindings: 2, uniforms: true });
}
