// Flash attention for the gpu kernel family (src/gpu/family.ts): forward and backward with
// K/V (or Q/dO) tiles staged in workgroup memory. Same layouts, masks, GQA and saved lse as the
// lavapipe-shaped kernels in attention.ts, which stay the lavapipe family's.
//
// Layout: q [B, Hq, Tq, D], k/v [B, Hkv, Tk, D], query head h reads kv head h / (Hq / Hkv);
// query i sees keys j < keyEnd(i) = i + off + 1 when causal (attention.ts, KEY_END).
//
// Forward: one workgroup per (b, h, block of BQ queries), one invocation per query holding q
// and its output accumulator in registers. The keys up to the block's causal bound are walked
// in tiles of BK: the workgroup stages K and V of the tile in workgroup memory (every
// invocation then reads the same address: a broadcast), each invocation computes the tile's
// scores s_j = scale q.k_j, and the online softmax rescales once per tile:
//   m' = max(m, max_j s_j);  c = exp(m - m');  l = l c + sum_j exp(s_j - m');
//   o = o c + sum_j exp(s_j - m') v_j;        at the end o /= l, lse = m + log l.
// Backward (FlashAttention-2 equations, P recomputed from the saved lse, no atomics):
//   dispatch 1, per query block (like the forward, K/V tiles staged):
//     Delta_i = dO_i . O_i                     (written for dispatch 2)
//     dQ_i = scale sum_j P_ij (dO_i . V_j - Delta_i) K_j
//   dispatch 2, per (b, kv head, block of BKV keys), one invocation per key holding k, v and
//   the dK/dV accumulators; Q, dO, lse and Delta of BT queries at a time staged:
//     dK_j = scale sum_{h in group} sum_i P_ij (dO_i . V_j - Delta_i) Q_i
//     dV_j = sum_{h in group} sum_i P_ij dO_i
// Tile sizes: BQ = BKV = 64 invocations; the staged tiles keep 2 x tile x D floats <= 16 KiB
// (tile = 32 keys at D <= 64, 16 at D = 128), within every adapter's workgroup memory.
import type { Gpu, Kernel } from '../gpu/device.js';
import {
  attention, attentionBackward, attentionDims, attentionUniforms, bindings, needBackward, needForward, vecs, HEAD, KEY_END,
  type AttentionParams, type AttentionBackwardParams,
} from './attention.js';

/** Work layout of the flash kernels (tests and benchmarks; default flashTile(D)). */
export interface FlashTile {
  /** queries per workgroup = invocations (forward, dQ) */
  bq: number;
  /** keys per staged tile (forward, dQ) and keys per workgroup (dK/dV) */
  bk: number;
}

export interface FlashAttentionParams extends Omit<AttentionParams, 'tile'> {
  flash?: FlashTile;
}
export interface FlashAttentionBackwardParams extends AttentionBackwardParams {
  flash?: FlashTile;
}

/** Default tiles: 64 invocations per workgroup, staged tiles of at most 16 KiB. */
export function flashTile(D: number): FlashTile {
  let bk = 32;
  while (bk > 4 && 2 * bk * D * 4 > 16384) bk /= 2;
  return { bq: 64, bk };
}

function checkTile(op: string, t: FlashTile, D: number, gpu: Gpu): void {
  if (!Number.isInteger(t.bq) || !Number.isInteger(t.bk) || t.bq < 1 || t.bk < 1) throw new RangeError(`${op}: flash tile ${JSON.stringify(t)} needs positive integers`);
  if (t.bq > gpu.limits.maxComputeInvocationsPerWorkgroup) throw new RangeError(`${op}: flash tile bq=${t.bq} exceeds the adapter's ${gpu.limits.maxComputeInvocationsPerWorkgroup} invocations per workgroup`);
  const bytes = 2 * t.bk * D * 4 + 8 * t.bk;
  if (bytes > gpu.limits.maxComputeWorkgroupStorageSize) throw new RangeError(`${op}: flash tile ${JSON.stringify(t)} at D=${D} needs ${bytes} bytes of workgroup memory, the adapter has ${gpu.limits.maxComputeWorkgroupStorageSize}`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function flashAttention(gpu: Gpu, p: FlashAttentionParams): void {
  const d = attentionDims('attention', p);
  if (d.B * d.Hq * d.Tq === 0) return;
  needForward(p, d);
  const t = p.flash ?? flashTile(d.D);
  checkTile('attention', t, d.D, gpu);
  gpu.dispatch(forwardKernel(gpu, d.D, t), [p.q, p.k, p.v, p.out, p.lse], [Math.ceil(d.Tq / t.bq), d.B * d.Hq], new Uint8Array(attentionUniforms(d)));
}

export function flashAttentionBackward(gpu: Gpu, p: FlashAttentionBackwardParams): void {
  const d = attentionDims('attentionBackward', p);
  needBackward(p, d);
  if (d.B * d.Hq === 0) return;
  const t = p.flash ?? flashTile(d.D);
  checkTile('attentionBackward', t, d.D, gpu);
  const u = new Uint8Array(attentionUniforms(d));
  const delta = gpu.alloc(Math.max(4, d.B * d.Hq * d.Tq * 4));
  if (d.Tq > 0) gpu.dispatch(dqKernel(gpu, d.D, t), [p.q, p.k, p.v, p.out, p.lse, p.dout, delta, p.dq], [Math.ceil(d.Tq / t.bq), d.B * d.Hq], u);
  if (d.Tk > 0) gpu.dispatch(dkvKernel(gpu, d.D, t), [p.q, p.k, p.v, p.lse, p.dout, delta, p.dk, p.dv], [Math.ceil(d.Tk / t.bq), d.B * d.Hkv], u);
  gpu.free(delta);
}

/** Statements staging K and V rows k0.. k0+BK-1 (clamped) of this kv head into Ks, Vs. */
function stageKV(NV: number, BQ: number, BK: number): string {
  return `    for (var r = 0u; r < ${Math.ceil((BK * NV) / BQ)}u; r += 1u) {
      let e = r * ${BQ}u + li;
      if (e < ${BK * NV}u) {
        let kr = kvBase + min(k0 + e / ${NV}u, p.Tk - 1u) * ${NV}u + e % ${NV}u;
        Ks[e] = K[kr];
        Vs[e] = V[kr];
      }
    }
    workgroupBarrier();`;
}

/** Shared start of the query-block kernels: indices of this invocation's query and its head. */
/**
 * The WGSL before a flash kernel's body: header, storage bindings, the key-range helpers, the
 * workgroup tiles ([name, element type, length]) and the entry point of `wg` invocations.
 */
function preamble(T: string, buffers: [string, boolean][], tiles: [string, string, number][], wg: number): string {
  return `${HEAD}
${bindings(buffers, T)}
${KEY_END}
${tiles.map(([n, ty, len]) => `var<workgroup> ${n}: array<${ty}, ${len}>;`).join('\n')}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {`;
}

function queryBlockHead(NV: number, BQ: number): string {
  return `  let bh = wid.y;
  let b = bh / p.Hq;
  let hk = (bh % p.Hq) / (p.Hq / p.Hkv);
  let i0 = wid.x * ${BQ}u;
  let i = min(i0 + li, p.Tq - 1u);
  let row = bh * p.Tq + i;
  let qb = row * ${NV}u;
  let end = keyEnd(i);
  let kvBase = (b * p.Hkv + hk) * p.Tk * ${NV}u;
  // the block's bound (uniform across the workgroup, so barriers in the loop are legal)
  let wgEnd = keyEnd(min(i0 + ${BQ - 1}u, p.Tq - 1u));`;
}

function forwardKernel(gpu: Gpu, D: number, t: FlashTile): Kernel {
  const { NV, T, dot } = vecs(D);
  const { bq: BQ, bk: BK } = t;
  const V_ = range(NV);
  // keys per online-softmax rescale (unrolled, in registers)
  const KG = BK % 4 === 0 ? 4 : BK % 2 === 0 ? 2 : 1;
  const G_ = range(KG);
  const code = `${preamble(T, [['Q', false], ['K', false], ['V', false], ['O', true], ['LSE', true]], [['Ks', T, BK * NV], ['Vs', T, BK * NV]], BQ)}
${queryBlockHead(NV, BQ)}
${V_.map((v) => `  let q${v} = Q[qb + ${v}u] * p.scale;\n  var o${v} = ${T}(0.0);`).join('\n')}
  var m = -1e30;
  var l = 0.0;
  let ntiles = (wgEnd + ${BK - 1}u) / ${BK}u;
  for (var tile = 0u; tile < ntiles; tile += 1u) {
    let k0 = tile * ${BK}u;
${stageKV(NV, BQ, BK)}
    for (var jj = 0u; jj < ${BK}u; jj += ${KG}u) {
${G_.map((g) => `      let s${g} = ${V_.map((v) => dot(`q${v}`, `Ks[(jj + ${g}u) * ${NV}u + ${v}u]`)).join(' + ')};\n      let ok${g} = k0 + jj + ${g}u < end;`).join('\n')}
      var mt = m;
${G_.map((g) => `      if (ok${g}) { mt = max(mt, s${g}); }`).join('\n')}
      let c = exp(m - mt);
${G_.map((g) => `      let p${g} = select(0.0, exp(s${g} - mt), ok${g});`).join('\n')}
      l = l * c + ${G_.map((g) => `p${g}`).join(' + ')};
${V_.map((v) => `      o${v} = o${v} * c + ${G_.map((g) => `p${g} * Vs[(jj + ${g}u) * ${NV}u + ${v}u]`).join(' + ')};`).join('\n')}
      m = mt;
    }
    workgroupBarrier();
  }
  if (i0 + li < p.Tq) {
    let inv = select(0.0, 1.0 / l, l > 0.0);
${V_.map((v) => `    O[qb + ${v}u] = o${v} * inv;`).join('\n')}
    LSE[row] = select(-1e30, m + log(l), l > 0.0);
  }
}`;
  return gpu.kernel({ name: `flash_fwd_d${D}_q${BQ}_k${BK}`, code, storageBindings: 5, uniforms: true });
}

function dqKernel(gpu: Gpu, D: number, t: FlashTile): Kernel {
  const { NV, T, dot } = vecs(D);
  const { bq: BQ, bk: BK } = t;
  const V_ = range(NV);
  const code = `${preamble(T, [['Q', false], ['K', false], ['V', false], ['O', false], ['LSE', false], ['DO', false], ['DELTA', true], ['DQ', true]], [['Ks', T, BK * NV], ['Vs', T, BK * NV]], BQ)}
${queryBlockHead(NV, BQ)}
  let lse = LSE[row];
${V_.map((v) => `  let q${v} = Q[qb + ${v}u] * p.scale;\n  let do${v} = DO[qb + ${v}u];\n  var dq${v} = ${T}(0.0);`).join('\n')}
  let delta = ${V_.map((v) => dot(`do${v}`, `O[qb + ${v}u]`)).join(' + ')};
  if (i0 + li < p.Tq) { DELTA[row] = delta; }
  let ntiles = (wgEnd + ${BK - 1}u) / ${BK}u;
  for (var tile = 0u; tile < ntiles; tile += 1u) {
    let k0 = tile * ${BK}u;
${stageKV(NV, BQ, BK)}
    for (var jj = 0u; jj < ${BK}u; jj += 1u) {
      let kb = jj * ${NV}u;
      let s = ${V_.map((v) => dot(`q${v}`, `Ks[kb + ${v}u]`)).join(' + ')};
      let pr = select(0.0, exp(s - lse), k0 + jj < end);
      let dp = ${V_.map((v) => dot(`do${v}`, `Vs[kb + ${v}u]`)).join(' + ')};
      let ds = pr * (dp - delta);
${V_.map((v) => `      dq${v} = fma(${T}(ds), Ks[kb + ${v}u], dq${v});`).join('\n')}
    }
    workgroupBarrier();
  }
  if (i0 + li < p.Tq) {
${V_.map((v) => `    DQ[qb + ${v}u] = dq${v} * p.scale;`).join('\n')}
  }
}`;
  return gpu.kernel({ name: `flash_bwd_dq_d${D}_q${BQ}_k${BK}`, code, storageBindings: 8, uniforms: true });
}

function dkvKernel(gpu: Gpu, D: number, t: FlashTile): Kernel {
  const { NV, T, dot } = vecs(D);
  const { bq: BKV, bk: BT } = t;
  const V_ = range(NV);
  const code = `${preamble(T, [['Q', false], ['K', false], ['V', false], ['LSE', false], ['DO', false], ['DELTA', false], ['DK', true], ['DV', true]], [['Qs', T, BT * NV], ['DOs', T, BT * NV], ['Ls', 'f32', BT], ['Ds', 'f32', BT]], BKV)}
  let bk = wid.y;
  let b = bk / p.Hkv;
  let hk = bk % p.Hkv;
  let j0 = wid.x * ${BKV}u;
  let j = min(j0 + li, p.Tk - 1u);
  let kr = (bk * p.Tk + j) * ${NV}u;
  let start = queryStart(j);
${V_.map((v) => `  let k${v} = K[kr + ${v}u] * p.scale;\n  let v${v} = V[kr + ${v}u];\n  var dk${v} = ${T}(0.0);\n  var dv${v} = ${T}(0.0);`).join('\n')}
  let group = p.Hq / p.Hkv;
  // the block's first key has the earliest first query (uniform)
  let wgStart = queryStart(j0);
  for (var g = 0u; g < group; g += 1u) {
    let bh = b * p.Hq + hk * group + g;
    for (var i0 = wgStart; i0 < p.Tq; i0 += ${BT}u) {
      for (var e = li; e < ${BT * NV}u; e += ${BKV}u) {
        let qr = (bh * p.Tq + min(i0 + e / ${NV}u, p.Tq - 1u)) * ${NV}u + e % ${NV}u;
        Qs[e] = Q[qr];
        DOs[e] = DO[qr];
      }
      for (var e = li; e < ${BT}u; e += ${BKV}u) {
        let r = bh * p.Tq + min(i0 + e, p.Tq - 1u);
        Ls[e] = LSE[r];
        Ds[e] = DELTA[r];
      }
      workgroupBarrier();
      for (var ii = 0u; ii < ${BT}u; ii += 1u) {
        let qi = i0 + ii;
        let qb = ii * ${NV}u;
        let s = ${V_.map((v) => dot(`Qs[qb + ${v}u]`, `k${v}`)).join(' + ')};
        let pr = select(0.0, exp(s - Ls[ii]), qi < p.Tq && qi >= start);
        let dp = ${V_.map((v) => dot(`DOs[qb + ${v}u]`, `v${v}`)).join(' + ')};
        let ds = pr * (dp - Ds[ii]);
${V_.map((v) => `        dv${v} = fma(${T}(pr), DOs[qb + ${v}u], dv${v});\n        dk${v} = fma(${T}(ds), Qs[qb + ${v}u], dk${v});`).join('\n')}
      }
      workgroupBarrier();
    }
  }
  if (j0 + li < p.Tk) {
${V_.map((v) => `    DK[kr + ${v}u] = dk${v} * p.scale;\n    DV[kr + ${v}u] = dv${v};`).join('\n')}
  }
}`;
  return gpu.kernel({ name: `flash_bwd_dkv_d${D}_k${BKV}_q${BT}`, code, storageBindings: 8, uniforms: true });
}

/** The fused attention kernels of this device's kernel family (both take the same parameters and save the same lse). */
export function attentionKernels(gpu: Gpu): { forward: (gpu: Gpu, p: FlashAttentionParams) => void; backward: (gpu: Gpu, p: FlashAttentionBackwardParams) => void } {
  return gpu.kernelFamily === 'gpu' ? { forward: flashAttention, backward: flashAttentionBackward } : { forward: attention, backward: attentionBackward };
}
