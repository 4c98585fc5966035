// Token selection on the GPU: one workgroup per row of logits picks the next token and
// its log-probability, so a decoding step reads back 2*B words instead of B*V floats.
//
// Per row, with z = logits / temperature:
//   1. m = max z (and its first index), logZ = m + log sum exp(z - m)
//   2. greedy: pick argmax z (lowest index on ties)
//   3. otherwise find a threshold tau on z, as an order-preserving u32 key of the f32
//      bits, so bisection over the 2^32 keys is exact in at most 32 passes over V
//      (no sort; O(V * 32) per row):
//        top-k: the largest tau with count(z >= tau) >= k   (= the k-th largest z; ties kept)
//        top-p: the largest tau with mass(z >= tau) >= p * mass(z >= tau_k)
//               (mass over the top-k survivors, as HF applies top-k before top-p)
//      then draw u ~ Philox(seed_row, step) in [0, 1) and walk the kept tokens in index
//      order until their cumulative exp(z - m) exceeds u * (kept mass): inverse CDF.
//   4. write id (i32) and lp = z[id] - logZ: the log-probability under the full tempered
//      softmax(logits / temperature), NOT renormalised over the top-k/top-p survivors.
//
// Every reduction has a fixed order (fixed chunking by V and the workgroup size), so the
// result depends only on (logits, seed, step): reproducible run to run.
import type { Gpu } from '../gpu/index.js';
import { packSlots, slot, uniformDecl } from './elementwise.js';
import { EXPR_PRELUDE } from './expr.js';

export interface SampleParams {
  /** f32 logits, row r at offset + r * rowStride, V contiguous entries */
  logits: GPUBuffer;
  offset: number;
  rowStride: number;
  rows: number;
  vocab: number;
  /** u32 [2 * rows]: the Philox key of each row */
  seeds: GPUBuffer;
  /** Philox counter: the decoding step (each step draws a fresh uniform per row) */
  step: number;
  /** > 0; ignored by the selection when greedy but still defines the reported log-prob */
  temperature: number;
  greedy: boolean;
  /** 0 or >= vocab: off */
  topK: number;
  /** >= 1: off */
  topP: number;
  /** u32 [2 * rows]: ids (as i32 bits) in [0, rows), log-probs (f32 bits) in [rows, 2 rows) */
  out: GPUBuffer;
}

/** Workgroup size: wide for real vocabularies; narrow for small ones, where lavapipe (one
 *  CPU thread per workgroup) pays per invocation at every barrier. */
function workgroupSize(vocab: number): number {
  return vocab <= 2048 ? 64 : 256;
}

function shader(WG: number): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> LOGITS: array<f32>;
@group(0) @binding(1) var<storage, read> SEEDS: array<u32>;
@group(0) @binding(2) var<storage, read_write> OUT: array<u32>;
${uniformDecl(9, 3)}
${EXPR_PRELUDE}

const WG: u32 = ${WG}u;
var<workgroup> rf: array<f32, ${WG}>;
var<workgroup> ru: array<u32, ${WG}>;
var<workgroup> rg: array<f32, ${WG}>;

// f32 -> u32 with the same order (negative floats flipped, positives get the top bit)
fn okey(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn reduce_sum_f(lid: u32, v: f32) -> f32 {
  rf[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { rf[lid] = rf[lid] + rf[lid + s]; }
    workgroupBarrier();
  }
  let r = workgroupUniformLoad(&rf[0]);
  workgroupBarrier();  // everyone has read rf[0] before anyone reuses rf
  return r;
}

// sum of v and min of w over the workgroup, in one tree
fn reduce_sum_min(lid: u32, v: f32, w: f32) -> vec2<f32> {
  rf[lid] = v;
  rg[lid] = w;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { rf[lid] = rf[lid] + rf[lid + s]; rg[lid] = min(rg[lid], rg[lid + s]); }
    workgroupBarrier();
  }
  let a = workgroupUniformLoad(&rf[0]);
  let b = workgroupUniformLoad(&rg[0]);
  workgroupBarrier();
  return vec2<f32>(a, b);
}

fn reduce_sum_u(lid: u32, v: u32) -> u32 {
  ru[lid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { ru[lid] = ru[lid] + ru[lid + s]; }
    workgroupBarrier();
  }
  let r = workgroupUniformLoad(&ru[0]);
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lidv: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let lid = lidv.x;
  let row = wid.x;
  let V = ${slot(0)};
  let base = ${slot(1)} + row * ${slot(2)};
  let step = ${slot(3)};
  let greedy = ${slot(4)};
  let topK = ${slot(5)};
  let topP = bitcast<f32>(${slot(6)});
  let invT = bitcast<f32>(${slot(7)});
  let rows = ${slot(8)};

  // 1. max and first argmax (NaN never wins a comparison)
  var best = -3.402823e38;
  var bi = 0xffffffffu;
  for (var i = lid; i < V; i += WG) {
    let z = LOGITS[base + i] * invT;
    if (z > best) { best = z; bi = i; }
  }
  rf[lid] = best;
  ru[lid] = bi;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      let ov = rf[lid + s]; let oi = ru[lid + s];
      if (ov > rf[lid] || (ov == rf[lid] && oi < ru[lid])) { rf[lid] = ov; ru[lid] = oi; }
    }
    workgroupBarrier();
  }
  let m = workgroupUniformLoad(&rf[0]);
  let am = workgroupUniformLoad(&ru[0]);
  workgroupBarrier();

  // 2. the tempered log-normaliser over the whole vocabulary
  var se = 0.0;
  for (var i = lid; i < V; i += WG) { se += exp(LOGITS[base + i] * invT - m); }
  let S = reduce_sum_f(lid, se);
  let logZ = m + log(S);

  if (greedy != 0u) {
    if (lid == 0u) {
      OUT[row] = am;
      OUT[rows + row] = bitcast<u32>(m - logZ);
    }
    return;
  }

  // 3a. top-k threshold: largest key tau with count(key(z) >= tau) >= k
  var tau = 0u;
  let mk = okey(m);
  if (topK > 0u && topK < V) {
    var lo = 0u;
    var hi = mk;  // count(>= mk) >= 1; the answer lies in [lo, hi]
    for (var it = 0u; it < 33u; it++) {
      if (lo >= hi) { break; }
      let mid = lo + (hi - lo + 1u) / 2u;
      var c = 0u;
      for (var i = lid; i < V; i += WG) { if (okey(LOGITS[base + i] * invT) >= mid) { c += 1u; } }
      let cnt = reduce_sum_u(lid, c);
      // exactly k survivors: any tau in (z_(k+1), z_(k)] keeps the same set
      if (cnt == topK) { lo = mid; break; }
      if (cnt > topK) { lo = mid; } else { hi = mid - 1u; }
    }
    tau = lo;
  }

  // 3b. top-p threshold over the top-k survivors' mass
  if (topP < 1.0) {
    var mkp = 0.0;
    for (var i = lid; i < V; i += WG) {
      let z = LOGITS[base + i] * invT;
      if (okey(z) >= tau) { mkp += exp(z - m); }
    }
    let Mk = reduce_sum_f(lid, mkp);
    let need = topP * Mk;
    var lo = tau;
    var hi = mk;
    for (var it = 0u; it < 33u; it++) {
      if (lo >= hi) { break; }
      let mid = lo + (hi - lo + 1u) / 2u;
      var w = 0.0;
      var zmin = 3.402823e38;
      for (var i = lid; i < V; i += WG) {
        let z = LOGITS[base + i] * invT;
        if (okey(z) >= mid) { w += exp(z - m); zmin = min(zmin, z); }
      }
      let r = reduce_sum_min(lid, w, zmin);
      let mass = r.x;
      if (mass >= need) {
        lo = mid;
        // minimal already: dropping the smallest survivor falls below p, so every larger
        // tau with enough mass keeps this same set
        if (mass - exp(r.y - m) < need) { break; }
      } else { hi = mid - 1u; }
    }
    tau = lo;
  }

  // 3c. inverse-CDF draw over the kept tokens, in index order: each invocation sums one
  // contiguous chunk, then invocation 0 scans the chunk sums and walks the one chunk
  // that holds the goal.
  let C = (V + WG - 1u) / WG;
  let c0 = min(lid * C, V);
  let c1 = min(c0 + C, V);
  var cs = 0.0;
  for (var i = c0; i < c1; i++) {
    let z = LOGITS[base + i] * invT;
    if (okey(z) >= tau) { cs += exp(z - m); }
  }
  rf[lid] = cs;
  workgroupBarrier();
  if (lid == 0u) {
    var W = 0.0;
    for (var t = 0u; t < WG; t++) { W += rf[t]; }
    let u = rand_uniform(SEEDS[2u * row], SEEDS[2u * row + 1u], step);
    let goal = u * W;
    var acc = 0.0;
    var pick = am;  // fallback: the argmax is always kept
    var found = false;
    for (var t = 0u; t < WG && !found; t++) {
      if (rf[t] <= 0.0) { continue; }
      if (acc + rf[t] > goal) {
        // walk this chunk; rounding can leave the goal past its last kept token
        let b0 = t * C;
        let b1 = min(b0 + C, V);
        var a2 = acc;
        for (var i = b0; i < b1; i++) {
          let z = LOGITS[base + i] * invT;
          if (okey(z) >= tau) {
            pick = i;
            a2 += exp(z - m);
            if (a2 > goal) { break; }
          }
        }
        found = true;
      } else {
        acc += rf[t];
        // remember the last kept token in case the goal is never crossed (rounding)
        let b0 = t * C;
        let b1 = min(b0 + C, V);
        for (var i = b1; i > b0; i--) {
          if (okey(LOGITS[base + i - 1u] * invT) >= tau) { pick = i - 1u; break; }
        }
      }
    }
    OUT[row] = pick;
    OUT[rows + row] = bitcast<u32>(LOGITS[base + pick] * invT - logZ);
  }
}
`;
}

/** Select one token per row (see the file comment); writes ids and log-probs into `out`. */
export function sampleTokens(gpu: Gpu, p: SampleParams): void {
  if (p.rows === 0) return;
  if (!(p.temperature > 0) || !Number.isFinite(p.temperature)) throw new Error(`sampleTokens: temperature must be a positive finite number, got ${p.temperature}`);
  if (p.vocab <= 0) throw new Error(`sampleTokens: empty vocabulary`);
  const topK = p.topK > 0 && p.topK < p.vocab ? p.topK : 0;
  const topP = p.topP > 0 && p.topP < 1 ? p.topP : 1;
  const vals = [p.vocab, p.offset, p.rowStride, p.step >>> 0, p.greedy ? 1 : 0, topK, topP, 1 / p.temperature, p.rows];
  const wg = workgroupSize(p.vocab);
  const k = gpu.kernelFor(`sample_tokens|${wg}`, () => ({ name: `sample_tokens_${wg}`, code: shader(wg), storageBindings: 3, uniforms: true }));
  if (p.rows > gpu.limits.maxComputeWorkgroupsPerDimension) throw new Error(`sampleTokens: ${p.rows} rows exceed the workgroup grid limit`);
  gpu.dispatch(k, [p.logits, p.seeds, p.out], [p.rows, 1], packSlots(vals, new Set([6, 7])));
}
