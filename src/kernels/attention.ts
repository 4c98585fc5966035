// Fused (flash-style) scaled-dot-product attention: forward, backward, and a decode variant.
//
// Layout: q [B, Hq, Tq, D], k/v [B, Hkv, Tk, D], out [B, Hq, Tq, D], all contiguous f32;
// grouped-query heads (Hq a multiple of Hkv: query head h reads kv head h / (Hq / Hkv)).
// Causal masking with an offset: query i sees keys j <= i + offset (offset defaults to Tk - Tq,
// i.e. the queries are the last Tq positions). The T x T score matrix never exists: the
// forward keeps a running max m, normaliser l and output accumulator per query (online
// softmax over blocks of KB keys) and saves lse = m + log l per query; the backward
// recomputes P = exp(scale q.k - lse). Memory is O(T) per head (lse and Delta).
//
// Work layout (chosen for lavapipe, where a workgroup is one CPU thread with SIMD across
// invocations and a load whose address is the same for all invocations is one broadcast):
// one invocation per query row (forward, dQ) or per key row (dK/dV), a workgroup holding
// consecutive rows of one head, so the rows it streams over (keys, or queries) are uniform
// across the workgroup. The loop runs to the workgroup's causal bound and each invocation
// masks its own; there are no barriers and no workgroup memory.
//
// Backward (FlashAttention-2 equations), three dispatches:
//   Delta_i = dO_i . O_i
//   dQ_i = scale * sum_j P_ij (dO_i . V_j - Delta_i) K_j                 (per query)
//   dK_j = scale * sum_{h in group} sum_i P_ij (dO_i . V_j - Delta_i) Q_i (per key)
//   dV_j = sum_{h in group} sum_i P_ij dO_i
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';

export interface AttentionParams {
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  out: GPUBuffer;
  /** [B, Hq, Tq] out: per-row log-sum-exp of the scaled scores (needed by backward) */
  lse: GPUBuffer;
  B: number;
  Hq: number;
  Hkv: number;
  Tq: number;
  /** keys/values per sequence; default Tq */
  Tk?: number;
  D: number;
  /** default 1 / sqrt(D) */
  scale?: number;
  /** default true */
  causal?: boolean;
  /** query i sees keys j <= i + causalOffset; default Tk - Tq */
  causalOffset?: number;
  /** forward work layout (benchmarks / tuning); default defaultAttentionTile(D) */
  tile?: AttentionTile;
}

/** The forward's parameters (its `out` and `lse` are now inputs) plus the gradients. */
export interface AttentionBackwardParams extends Omit<AttentionParams, 'tile'> {
  dout: GPUBuffer;
  dq: GPUBuffer;
  dk: GPUBuffer;
  dv: GPUBuffer;
}

export interface AttentionDecodeParams {
  /** [B, Hq, D]: one query per sequence */
  q: GPUBuffer;
  /** [B, Hkv, Tmax, D] */
  kCache: GPUBuffer;
  vCache: GPUBuffer;
  /** [B] i32: number of valid cache rows per sequence (the query sees rows 0..len-1) */
  lengths: GPUBuffer;
  /** [B, Hq, D] */
  out: GPUBuffer;
  B: number;
  Hq: number;
  Hkv: number;
  Tmax: number;
  D: number;
  scale?: number;
  /** keys per split (flash-decoding); default chosen from Tmax */
  splitSize?: number;
}

const WG = 32;

export interface Dims {
  B: number; Hq: number; Hkv: number; Tq: number; Tk: number; D: number; scale: number; causal: boolean; off: number;
}

export function attentionDims(op: string, p: AttentionParams | AttentionBackwardParams): Dims {
  const Tk = p.Tk ?? p.Tq;
  const d: Dims = {
    B: p.B, Hq: p.Hq, Hkv: p.Hkv, Tq: p.Tq, Tk, D: p.D,
    scale: p.scale ?? 1 / Math.sqrt(p.D), causal: p.causal ?? true, off: p.causalOffset ?? Tk - p.Tq,
  };
  for (const k of ['B', 'Hq', 'Hkv', 'Tq', 'Tk', 'D'] as const) {
    if (!Number.isInteger(d[k]) || d[k] < 0) throw new RangeError(`${op}: ${k} must be a non-negative integer, got ${d[k]}`);
  }
  if (d.Hkv === 0 || d.Hq % d.Hkv !== 0) throw new RangeError(`${op}: Hq (${d.Hq}) must be a positive multiple of Hkv (${d.Hkv})`);
  if (d.D === 0) throw new RangeError(`${op}: D must be positive`);
  if (!Number.isInteger(d.off)) throw new RangeError(`${op}: causalOffset must be an integer`);
  return d;
}

export function need(op: string, name: string, b: GPUBuffer, elems: number): void {
  if (elems * 4 > b.size) throw new RangeError(`${op}: buffer '${name}' holds ${b.size} bytes, needs ${elems * 4}`);
}

/** The forward's buffers (q, k, v, out, lse) are large enough for dims d: both forward kernels check them. */
export function needForward(p: Pick<AttentionParams, 'q' | 'k' | 'v' | 'out' | 'lse'>, d: Dims): void {
  need('attention', 'q', p.q, d.B * d.Hq * d.Tq * d.D);
  need('attention', 'k', p.k, d.B * d.Hkv * d.Tk * d.D);
  need('attention', 'v', p.v, d.B * d.Hkv * d.Tk * d.D);
  need('attention', 'out', p.out, d.B * d.Hq * d.Tq * d.D);
  need('attention', 'lse', p.lse, d.B * d.Hq * d.Tq);
}

/** Every buffer of the backward pass holds its tensor (each family's entry point checks the same). */
export function needBackward(p: Pick<AttentionBackwardParams, 'q' | 'k' | 'v' | 'out' | 'dout' | 'lse' | 'dq' | 'dk' | 'dv'>, d: Dims): void {
  const nq = d.B * d.Hq * d.Tq * d.D, nkv = d.B * d.Hkv * d.Tk * d.D;
  for (const [n, b, e] of [['q', p.q, nq], ['out', p.out, nq], ['dout', p.dout, nq], ['dq', p.dq, nq], ['k', p.k, nkv], ['v', p.v, nkv], ['dk', p.dk, nkv], ['dv', p.dv, nkv], ['lse', p.lse, d.B * d.Hq * d.Tq]] as const) {
    need('attentionBackward', n, b, e);
  }
}

export function attentionUniforms(d: Dims): ArrayBuffer {
  const u = new ArrayBuffer(48);
  const w = new Uint32Array(u);
  w.set([d.B, d.Hq, d.Hkv, d.Tq, d.Tk, d.D, d.causal ? 1 : 0]);
  new Int32Array(u)[7] = d.off;
  new Float32Array(u)[8] = d.scale;
  return u;
}

export const HEAD = `struct P { B: u32, Hq: u32, Hkv: u32, Tq: u32, Tk: u32, D: u32, causal: u32, off: i32, scale: f32, _a: u32, _b: u32, _c: u32 }`;

/** Number of keys query i may see (exclusive end), as WGSL over i32 arithmetic. */
export const KEY_END = `fn keyEnd(i: u32) -> u32 {
  if (p.causal == 0u) { return p.Tk; }
  return u32(clamp(i32(i) + p.off + 1, 0, i32(p.Tk)));
}
fn queryStart(j: u32) -> u32 {
  if (p.causal == 0u) { return 0u; }
  return u32(clamp(i32(j) - p.off, 0, i32(p.Tq)));
}`;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Vector helpers for a head dimension D: NV vectors of width W (4 when D % 4 == 0). */
export function vecs(D: number): { W: number; NV: number; T: string; dot: (a: string, b: string) => string } {
  const W = D % 4 === 0 ? 4 : 1;
  return { W, NV: D / W, T: W === 4 ? 'vec4f' : 'f32', dot: (a, b) => (W === 4 ? `dot(${a}, ${b})` : `(${a} * ${b})`) };
}

export function attention(gpu: Gpu, p: AttentionParams): void {
  const d = attentionDims('attention', p);
  if (d.B * d.Hq * d.Tq === 0) return;
  needForward(p, d);
  const tile = p.tile ?? defaultAttentionTile(d.D);
  const k = forwardKernel(gpu, d.D, tile);
  gpu.dispatch(k, [p.q, p.k, p.v, p.out, p.lse], [Math.ceil(d.Tq / (tile.wg * tile.tq)), d.B * d.Hq], new Uint8Array(attentionUniforms(d)));
}

/**
 * Each invocation owns TQ consecutive queries, so every K/V vector it loads (the expensive
 * part on lavapipe: one load per lane) feeds TQ dot products / accumulations; keys are taken
 * KBF at a time with one online-softmax rescale per block.
 */
export interface AttentionTile {
  /** queries per invocation */
  tq: number;
  /** keys per online-softmax step */
  kb: number;
  /** invocations per workgroup */
  wg: number;
}
/**
 * Measured on lavapipe (T=512, D=64, CPU time): tq 8/kb 2/wg 8 used ~0.5x the CPU of the unfused
 * composition, tq 4/kb 2/wg 32 ~0.65x, tq 2 ~1x. More queries per invocation amortise the K/V
 * loads but multiply the straight-line code (compile time grows fast with tq * D), so large
 * heads use tq 4.
 */
export function defaultAttentionTile(D: number): AttentionTile {
  return D <= 64 ? { tq: 8, kb: 2, wg: 8 } : { tq: 4, kb: 2, wg: 16 };
}

function forwardKernel(gpu: Gpu, D: number, tile: AttentionTile): Kernel {
  return gpu.kernelFor(`attention_fwd|${D}|${tile.tq}|${tile.kb}|${tile.wg}`, () => forwardSpec(D, tile));
}

function forwardSpec(D: number, tile: AttentionTile): KernelSpec {
  const { tq: TQ, kb: KBF, wg: WG } = tile;
  const { NV, T, dot } = vecs(D);
  const Q_ = range(TQ), K_ = range(KBF), V_ = range(NV);
  const L: string[] = [];
  for (const kb of K_) {
    L.push(`    let kb${kb} = kvBase + min(j0 + ${kb}u, p.Tk - 1u) * ${NV}u;`);
    for (const v of V_) L.push(`    let k${kb}_${v} = K[kb${kb} + ${v}u];`);
  }
  for (const t of Q_) {
    for (const kb of K_) {
      L.push(`    let s${t}_${kb} = ${V_.map((v) => dot(`q${t}_${v}`, `k${kb}_${v}`)).join(' + ')};`);
      L.push(`    let ok${t}_${kb} = j0 + ${kb}u < end${t};`);
    }
    L.push(`    var bm${t} = m${t};`);
    for (const kb of K_) L.push(`    if (ok${t}_${kb}) { bm${t} = max(bm${t}, s${t}_${kb}); }`);
    L.push(`    let c${t} = exp(m${t} - bm${t});`);
    for (const kb of K_) L.push(`    let p${t}_${kb} = select(0.0, exp(s${t}_${kb} - bm${t}), ok${t}_${kb});`);
    L.push(`    l${t} = l${t} * c${t} + ${K_.map((kb) => `p${t}_${kb}`).join(' + ')};`);
    L.push(`    m${t} = bm${t};`);
  }
  for (const kb of K_) for (const v of V_) L.push(`    let v${kb}_${v} = V[kb${kb} + ${v}u];`);
  for (const t of Q_) for (const v of V_) L.push(`    o${t}_${v} = o${t}_${v} * c${t} + ${K_.map((kb) => `p${t}_${kb} * v${kb}_${v}`).join(' + ')};`);
  const init = Q_.map((t) =>
    [
      `  let qb${t} = (bh * p.Tq + min(ib + ${t}u, p.Tq - 1u)) * ${NV}u;`,
      `  let end${t} = keyEnd(min(ib + ${t}u, p.Tq - 1u));`,
      `  var m${t} = -1e30;`,
      `  var l${t} = 0.0;`,
      ...V_.map((v) => `  let q${t}_${v} = Q[qb${t} + ${v}u] * p.scale;\n  var o${t}_${v} = ${T}(0.0);`),
    ].join('\n'),
  );
  const fin = Q_.map((t) =>
    [
      `  if (ib + ${t}u < p.Tq) {`,
      `    let inv = select(0.0, 1.0 / l${t}, l${t} > 0.0);`,
      ...V_.map((v) => `    O[qb${t} + ${v}u] = o${t}_${v} * inv;`),
      `    LSE[bh * p.Tq + ib + ${t}u] = select(-1e30, m${t} + log(l${t}), l${t} > 0.0);`,
      '  }',
    ].join('\n'),
  );
  const code = `${HEAD}
@group(0) @binding(0) var<storage, read> Q: array<${T}>;
@group(0) @binding(1) var<storage, read> K: array<${T}>;
@group(0) @binding(2) var<storage, read> V: array<${T}>;
@group(0) @binding(3) var<storage, read_write> O: array<${T}>;
@group(0) @binding(4) var<storage, read_write> LSE: array<f32>;
@group(0) @binding(5) var<uniform> p: P;
${KEY_END}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let bh = wid.y;
  let b = bh / p.Hq;
  let hk = (bh % p.Hq) / (p.Hq / p.Hkv);
  let i0 = wid.x * ${WG * TQ}u;
  let ib = i0 + li * ${TQ}u;
  let kvBase = (b * p.Hkv + hk) * p.Tk * ${NV}u;
${init.join('\n')}
  // the workgroup's bound (uniform): its last query's end
  let wgEnd = keyEnd(min(i0 + ${WG * TQ - 1}u, p.Tq - 1u));
  for (var j0 = 0u; j0 < wgEnd; j0 += ${KBF}u) {
${L.join('\n')}
  }
${fin.join('\n')}
}`;
  return { name: `attention_fwd_d${D}_q${TQ}_k${KBF}_w${WG}`, code, storageBindings: 5, uniforms: true };
}

export function attentionBackward(gpu: Gpu, p: AttentionBackwardParams): void {
  const d = attentionDims('attentionBackward', p);
  needBackward(p, d);
  if (d.B * d.Hq === 0) return;
  const u = new Uint8Array(attentionUniforms(d));
  const delta = gpu.alloc(Math.max(4, d.B * d.Hq * d.Tq * 4));
  if (d.Tq > 0) {
    gpu.dispatch(deltaKernel(gpu, d.D), [p.out, p.dout, delta], [Math.ceil(d.Tq / WG), d.B * d.Hq], u);
    gpu.dispatch(dqKernel(gpu, d.D), [p.q, p.k, p.v, p.lse, p.dout, delta, p.dq], [Math.ceil(d.Tq / (BWG * bwdRows(d.D))), d.B * d.Hq], u);
  }
  if (d.Tk > 0) gpu.dispatch(dkvKernel(gpu, d.D), [p.q, p.k, p.v, p.lse, p.dout, delta, p.dk, p.dv], [Math.ceil(d.Tk / (BWG * bwdRows(d.D))), d.B * d.Hkv], u);
  gpu.free(delta);
}

/** WGSL storage bindings in order (name, writable), f32 for LSE/DELTA and T otherwise, then the uniforms. */
export function bindings(names: [string, boolean][], T: string): string {
  return names
    .map(([n, w], i) => `@group(0) @binding(${i}) var<storage, ${w ? 'read_write' : 'read'}> ${n}: array<${n === 'LSE' || n === 'DELTA' ? 'f32' : T}>;`)
    .concat(`@group(0) @binding(${names.length}) var<uniform> p: P;`)
    .join('\n');
}

function deltaKernel(gpu: Gpu, D: number): Kernel {
  return gpu.kernelFor(`attention_delta|${D}`, () => deltaSpec(D));
}

function deltaSpec(D: number): KernelSpec {
  const { NV, T, dot } = vecs(D);
  const code = `${HEAD}
${bindings([['O', false], ['DO', false], ['DELTA', true]], T)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = wid.x * ${WG}u + li;
  if (i >= p.Tq) { return; }
  let r = wid.y * p.Tq + i;
  DELTA[r] = ${range(NV).map((v) => dot(`O[r * ${NV}u + ${v}u]`, `DO[r * ${NV}u + ${v}u]`)).join(' + ')};
}`;
  return { name: `attention_bwd_delta_d${D}`, code, storageBindings: 3, uniforms: true };
}

/** Rows (queries for dQ, keys for dK/dV) per invocation in the backward kernels. */
function bwdRows(D: number): number {
  return D <= 64 ? 4 : 2;
}
const BWG = 16;

function dqKernel(gpu: Gpu, D: number): Kernel {
  return gpu.kernelFor(`attention_dq|${D}`, () => dqSpec(D));
}

function dqSpec(D: number): KernelSpec {
  const { NV, T, dot } = vecs(D);
  const R = bwdRows(D);
  const R_ = range(R), V_ = range(NV);
  const init = R_.map((t) =>
    [
      `  let r${t} = bh * p.Tq + min(ib + ${t}u, p.Tq - 1u);`,
      `  let end${t} = keyEnd(min(ib + ${t}u, p.Tq - 1u));`,
      `  let lse${t} = LSE[r${t}];`,
      `  let delta${t} = DELTA[r${t}];`,
      ...V_.map((v) => `  let q${t}_${v} = Q[r${t} * ${NV}u + ${v}u] * p.scale;\n  let do${t}_${v} = DO[r${t} * ${NV}u + ${v}u];\n  var dq${t}_${v} = ${T}(0.0);`),
    ].join('\n'),
  );
  const body = [
    ...V_.map((v) => `    let k${v} = K[kb + ${v}u];\n    let v${v} = V[kb + ${v}u];`),
    ...R_.map((t) =>
      [
        `    let s${t} = ${V_.map((v) => dot(`q${t}_${v}`, `k${v}`)).join(' + ')};`,
        `    let pr${t} = select(0.0, exp(s${t} - lse${t}), j < end${t});`,
        `    let dp${t} = ${V_.map((v) => dot(`do${t}_${v}`, `v${v}`)).join(' + ')};`,
        `    let ds${t} = pr${t} * (dp${t} - delta${t});`,
        ...V_.map((v) => `    dq${t}_${v} += ds${t} * k${v};`),
      ].join('\n'),
    ),
  ];
  const fin = R_.map((t) => `  if (ib + ${t}u < p.Tq) {\n${V_.map((v) => `    DQ[r${t} * ${NV}u + ${v}u] = dq${t}_${v} * p.scale;`).join('\n')}\n  }`);
  const code = `${HEAD}
${bindings([['Q', false], ['K', false], ['V', false], ['LSE', false], ['DO', false], ['DELTA', false], ['DQ', true]], T)}
${KEY_END}
@compute @workgroup_size(${BWG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let bh = wid.y;
  let b = bh / p.Hq;
  let hk = (bh % p.Hq) / (p.Hq / p.Hkv);
  let i0 = wid.x * ${BWG * R}u;
  let ib = i0 + li * ${R}u;
  let kvBase = (b * p.Hkv + hk) * p.Tk * ${NV}u;
${init.join('\n')}
  let wgEnd = keyEnd(min(i0 + ${BWG * R - 1}u, p.Tq - 1u));
  for (var j = 0u; j < wgEnd; j += 1u) {
    let kb = kvBase + j * ${NV}u;
${body.join('\n')}
  }
${fin.join('\n')}
}`;
  return { name: `attention_bwd_dq_d${D}_r${R}`, code, storageBindings: 7, uniforms: true };
}

function dkvKernel(gpu: Gpu, D: number): Kernel {
  return gpu.kernelFor(`attention_dkv|${D}`, () => dkvSpec(D));
}

function dkvSpec(D: number): KernelSpec {
  const { NV, T, dot } = vecs(D);
  const R = bwdRows(D);
  const R_ = range(R), V_ = range(NV);
  const init = R_.map((t) =>
    [
      `  let kr${t} = (bk * p.Tk + min(jb + ${t}u, p.Tk - 1u)) * ${NV}u;`,
      `  let start${t} = queryStart(min(jb + ${t}u, p.Tk - 1u));`,
      ...V_.map((v) => `  let k${t}_${v} = K[kr${t} + ${v}u] * p.scale;\n  let v${t}_${v} = V[kr${t} + ${v}u];\n  var dk${t}_${v} = ${T}(0.0);\n  var dv${t}_${v} = ${T}(0.0);`),
    ].join('\n'),
  );
  const body = [
    `      let lse = LSE[r];`,
    `      let delta = DELTA[r];`,
    ...V_.map((v) => `      let q${v} = Q[qb + ${v}u];\n      let do${v} = DO[qb + ${v}u];`),
    ...R_.map((t) =>
      [
        `      let s${t} = ${V_.map((v) => dot(`q${v}`, `k${t}_${v}`)).join(' + ')};`,
        `      let pr${t} = select(0.0, exp(s${t} - lse), i >= start${t});`,
        `      let dp${t} = ${V_.map((v) => dot(`do${v}`, `v${t}_${v}`)).join(' + ')};`,
        `      let ds${t} = pr${t} * (dp${t} - delta);`,
        ...V_.map((v) => `      dv${t}_${v} += pr${t} * do${v};\n      dk${t}_${v} += ds${t} * q${v};`),
      ].join('\n'),
    ),
  ];
  const fin = R_.map((t) => `  if (jb + ${t}u < p.Tk) {\n${V_.map((v) => `    DK[kr${t} + ${v}u] = dk${t}_${v} * p.scale;\n    DV[kr${t} + ${v}u] = dv${t}_${v};`).join('\n')}\n  }`);
  const code = `${HEAD}
${bindings([['Q', false], ['K', false], ['V', false], ['LSE', false], ['DO', false], ['DELTA', false], ['DK', true], ['DV', true]], T)}
${KEY_END}
@compute @workgroup_size(${BWG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let bk = wid.y;
  let b = bk / p.Hkv;
  let hk = bk % p.Hkv;
  let j0 = wid.x * ${BWG * R}u;
  let jb = j0 + li * ${R}u;
${init.join('\n')}
  let group = p.Hq / p.Hkv;
  // the workgroup's first key has the earliest start (uniform)
  let wgStart = queryStart(j0);
  for (var g = 0u; g < group; g += 1u) {
    let bh = b * p.Hq + hk * group + g;
    for (var i = wgStart; i < p.Tq; i += 1u) {
      let r = bh * p.Tq + i;
      let qb = r * ${NV}u;
${body.join('\n')}
    }
  }
${fin.join('\n')}
}`;
  return { name: `attention_bwd_dkv_d${D}_r${R}`, code, storageBindings: 8, uniforms: true };
}

// ------------------------------------------------------------------ decode

/**
 * One query per sequence against a KV cache (flash-decoding): the keys are cut into splits
 * processed in parallel, each leaving (m, l, o) partials; a second dispatch combines them.
 * With one split the first kernel normalises and writes the output itself (one dispatch).
 * In the lavapipe family one split is the default once B * Hq fills a few workgroups: there a
 * workgroup is one CPU thread, so splitting only adds a dispatch (fixed cost dominates a
 * decode step) and a pass over the partials; on a GPU the splits give the parallelism.
 */
export function attentionDecode(gpu: Gpu, p: AttentionDecodeParams): void {
  const { B, Hq, Hkv, Tmax, D } = p;
  for (const [k, v] of Object.entries({ B, Hq, Hkv, Tmax, D })) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`attentionDecode: ${k} must be a non-negative integer, got ${v}`);
  }
  if (Hkv === 0 || Hq % Hkv !== 0) throw new RangeError(`attentionDecode: Hq (${Hq}) must be a positive multiple of Hkv (${Hkv})`);
  if (B * Hq === 0 || D === 0) return;
  need('attentionDecode', 'q', p.q, B * Hq * D);
  need('attentionDecode', 'out', p.out, B * Hq * D);
  need('attentionDecode', 'kCache', p.kCache, B * Hkv * Tmax * D);
  need('attentionDecode', 'vCache', p.vCache, B * Hkv * Tmax * D);
  need('attentionDecode', 'lengths', p.lengths, B);
  const whole = p.splitSize === undefined && gpu.kernelFamily === 'lavapipe' && B * Hq >= 64;
  const split = Math.max(1, p.splitSize ?? (whole ? Math.max(1, Tmax) : Math.max(64, Math.ceil(Tmax / 16))));
  const nsplit = Math.max(1, Math.ceil(Tmax / split));
  const u = new ArrayBuffer(32);
  new Uint32Array(u).set([B, Hq, Hkv, Tmax, D, split, nsplit]);
  new Float32Array(u)[7] = p.scale ?? 1 / Math.sqrt(D);
  if (nsplit === 1) {
    gpu.dispatch(decodeSplitKernel(gpu, D, true), [p.q, p.kCache, p.vCache, p.lengths, p.out], gpu.grid(Math.ceil((B * Hq) / 64)), new Uint8Array(u));
    return;
  }
  const part = gpu.alloc(B * Hq * nsplit * (D + 2) * 4);
  gpu.dispatch(decodeSplitKernel(gpu, D, false), [p.q, p.kCache, p.vCache, p.lengths, part], gpu.grid(Math.ceil((B * Hq * nsplit) / 64)), new Uint8Array(u));
  gpu.dispatch(decodeCombineKernel(gpu, D), [part, p.out], gpu.grid(Math.ceil((B * Hq) / 64)), new Uint8Array(u));
  gpu.free(part);
}

const DEC_HEAD = `struct P { B: u32, Hq: u32, Hkv: u32, Tmax: u32, D: u32, split: u32, nsplit: u32, scale: f32 }`;

/** direct: one split covers every key, so write the normalised output [B*Hq, D] instead of partials. */
function decodeSplitKernel(gpu: Gpu, D: number, direct: boolean): Kernel {
  return gpu.kernelFor(`attention_decode|${D}|${direct}`, () => decodeSplitSpec(D, direct));
}

function decodeSplitSpec(D: number, direct: boolean): KernelSpec {
  const { NV, T, dot } = vecs(D);
  const store = direct
    ? `  let inv = select(0.0, 1.0 / l, l > 0.0);
${range(NV)
  .map((v) => (T === 'f32' ? `  PART[bh * ${D}u + ${v}u] = o${v} * inv;` : range(4).map((c) => `  PART[bh * ${D}u + ${v * 4 + c}u] = o${v}[${c}] * inv;`).join('\n')))
  .join('\n')}`
    : `  let pb = t * (${D}u + 2u);
  PART[pb] = m;
  PART[pb + 1u] = l;
${range(NV)
  .map((v) => (T === 'f32' ? `  PART[pb + 2u + ${v}u] = o${v};` : range(4).map((c) => `  PART[pb + 2u + ${v * 4 + c}u] = o${v}[${c}];`).join('\n')))
  .join('\n')}`;
  const code = `${DEC_HEAD}
@group(0) @binding(0) var<storage, read> Q: array<${T}>;
@group(0) @binding(1) var<storage, read> K: array<${T}>;
@group(0) @binding(2) var<storage, read> V: array<${T}>;
@group(0) @binding(3) var<storage, read> LEN: array<i32>;
@group(0) @binding(4) var<storage, read_write> PART: array<f32>;
@group(0) @binding(5) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let t = (wid.x + wid.y * nwg.x) * 64u + li;
  if (t >= p.B * p.Hq * p.nsplit) { return; }
  let s = t % p.nsplit;
  let bh = t / p.nsplit;
  let b = bh / p.Hq;
  let hk = (bh % p.Hq) / (p.Hq / p.Hkv);
  let len = u32(clamp(LEN[b], 0, i32(p.Tmax)));
  let jStart = s * p.split;
  let jEnd = min(jStart + p.split, len);
  let kvBase = (b * p.Hkv + hk) * p.Tmax * ${NV}u;
${range(NV).map((v) => `  let q${v} = Q[bh * ${NV}u + ${v}u] * p.scale;\n  var o${v} = ${T}(0.0);`).join('\n')}
  var m = -1e30;
  var l = 0.0;
  for (var j = jStart; j < jEnd; j += 1u) {
    let kb = kvBase + j * ${NV}u;
    let sc = ${range(NV).map((v) => dot(`q${v}`, `K[kb + ${v}u]`)).join(' + ')};
    let mn = max(m, sc);
    let corr = exp(m - mn);
    let pr = exp(sc - mn);
    l = l * corr + pr;
${range(NV).map((v) => `    o${v} = o${v} * corr + pr * V[kb + ${v}u];`).join('\n')}
    m = mn;
  }
${store}
}`;
  return { name: `attention_decode_${direct ? 'direct' : 'split'}_d${D}`, code, storageBindings: 5, uniforms: true };
}

function decodeCombineKernel(gpu: Gpu, D: number): Kernel {
  return gpu.kernelFor(`attention_combine|${D}`, () => decodeCombineSpec(D));
}

function decodeCombineSpec(D: number): KernelSpec {
  const code = `${DEC_HEAD}
@group(0) @binding(0) var<storage, read> PART: array<f32>;
@group(0) @binding(1) var<storage, read_write> O: array<f32>;
@group(0) @binding(2) var<uniform> p: P;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let bh = (wid.x + wid.y * nwg.x) * 64u + li;
  if (bh >= p.B * p.Hq) { return; }
  var m = -1e30;
  for (var s = 0u; s < p.nsplit; s += 1u) { m = max(m, PART[(bh * p.nsplit + s) * (${D}u + 2u)]); }
  var l = 0.0;
  for (var s = 0u; s < p.nsplit; s += 1u) {
    let pb = (bh * p.nsplit + s) * (${D}u + 2u);
    l += PART[pb + 1u] * exp(PART[pb] - m);
  }
  let inv = select(0.0, 1.0 / l, l > 0.0);
  for (var d = 0u; d < ${D}u; d += 1u) {
    var acc = 0.0;
    for (var s = 0u; s < p.nsplit; s += 1u) {
      let pb = (bh * p.nsplit + s) * (${D}u + 2u);
      acc += PART[pb + 2u + d] * exp(PART[pb] - m);
    }
    O[bh * ${D}u + d] = acc * inv;
  }
}`;
  return { name: `attention_decode_combine_d${D}`, code, storageBindings: 2, uniforms: true };
}
