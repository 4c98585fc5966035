// Batched matmul with a fused epilogue:
//   out[b] = act(alpha * A[b] @ B[b] + bias) + residual[b] (+ out[b] when accumulate)
//
// One WGSL generator, specialised per call site by
//   - the tile configuration (MatmulConfig: rows x cols per thread, workgroup shape, K unroll,
//     workgroup-memory staging on/off), picked by the autotuner (kernels/autotune.ts) per
//     adapter and shape class, with a default that is good on lavapipe;
//   - the operand layouts (transA: A stored [K, M]; transB: B stored [N, K]) so backward
//     passes never copy a transpose;
//   - alignment: when the contiguous dimension of an operand and its offsets are multiples of 4,
//     that operand is declared array<vec4f> and read 16 bytes at a time.
// Everything else (sizes, offsets, strides, alpha) is a uniform, so one pipeline serves every
// shape of its class. Out-of-range rows/cols are clamped on load (no branches in the K loop)
// and masked on store.
//
// Why register blocking and no workgroup memory by default: on lavapipe a workgroup runs on
// one CPU thread with SIMD across invocations, so barriers and workgroup memory cost more than
// they save, and every per-invocation load is a gather; loading TM + TN values to do TM * TN
// FMAs is what pays. On real GPUs workgroup-memory staging (`shared: true`) is the win.
import type { Gpu, Kernel, KernelSpec } from '../gpu/device.js';
import { matmulConfigFor, DEFAULT_MATMUL_CONFIG, SHARED_BK, type MatmulConfig } from './autotune.js';

export type { MatmulConfig } from './autotune.js';

export type Activation = 'none' | 'relu' | 'gelu' | 'silu';

export interface MatmulParams {
  a: GPUBuffer;
  b: GPUBuffer;
  out: GPUBuffer;
  batch: number;
  M: number;
  N: number;
  K: number;
  /** A stored [K, M] row-major (i.e. the op computes A^T @ B for a stored [K, M] matrix) */
  transA?: boolean;
  /** B stored [N, K] row-major */
  transB?: boolean;
  /** element offsets into a, b, out */
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  /** elements between consecutive batch matrices; 0 broadcasts; defaults M*K and K*N. out is always contiguous (M*N). */
  aBatchStride?: number;
  bBatchStride?: number;
  /** [N], added to every row (before the activation) */
  bias?: GPUBuffer;
  biasOffset?: number;
  /** laid out like out ([batch, M, N] contiguous), added after the activation */
  residual?: GPUBuffer;
  residualOffset?: number;
  /** scales A@B (before bias); default 1 */
  alpha?: number;
  /** 'gelu' is the tanh approximation (GPT-2 / HF "gelu_pytorch_tanh") */
  activation?: Activation;
  /** out += result */
  accumulate?: boolean;
  /** f16 storage for a, b and out (f32 accumulation; bias and residual stay f32); needs gpu.hasF16 */
  f16?: boolean;
  /** override the tuned/default tile configuration (benchmarks, autotuner) */
  config?: MatmulConfig;
}

interface Variant {
  cfg: MatmulConfig;
  transA: boolean;
  transB: boolean;
  aVec: boolean;
  bVec: boolean;
  oVec: boolean;
  biasVec: boolean;
  bias: boolean;
  residual: boolean;
  act: Activation;
  accumulate: boolean;
  f16: boolean;
}

const UNIFORM_WORDS = 16;

/** out = act(alpha*A@B + bias) + residual (+ out if accumulate). Records one dispatch. */
export function matmul(gpu: Gpu, p: MatmulParams): void {
  const { M, N, K, batch } = p;
  for (const [name, v] of [['M', M], ['N', N], ['K', K], ['batch', batch]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`matmul: ${name} must be a non-negative integer, got ${v}`);
  }
  if (M === 0 || N === 0 || batch === 0) return;
  if (p.a === p.out || p.b === p.out) throw new Error('matmul: out must not alias a or b (in-place matmul is not defined)');
  if (p.bias && p.bias === p.out) throw new Error('matmul: bias must not alias out');
  const transA = !!p.transA, transB = !!p.transB;
  const aOff = p.aOffset ?? 0, bOff = p.bOffset ?? 0, oOff = p.outOffset ?? 0;
  const aStride = p.aBatchStride ?? M * K, bStride = p.bBatchStride ?? K * N;
  let residual = p.residual;
  let rOff = p.residualOffset ?? 0;
  let accumulate = !!p.accumulate;
  if (residual && residual === p.out) {
    // A buffer cannot be bound read-only and writable in one dispatch; out += r is the same thing.
    if (rOff !== oOff) throw new Error('matmul: residual aliases out at a different offset');
    if (accumulate) throw new Error('matmul: residual aliasing out together with accumulate would add out twice');
    residual = undefined;
    accumulate = true;
  }
  const f16 = !!p.f16;
  if (f16 && !gpu.hasF16) throw new Error('matmul: f16 storage needs the shader-f16 feature, which this adapter lacks');
  const eb = f16 ? 2 : 4;
  checkSize('a', p.a, aOff + (batch - 1) * aStride + M * K, eb);
  checkSize('b', p.b, bOff + (batch - 1) * bStride + K * N, eb);
  checkSize('out', p.out, oOff + batch * M * N, eb);
  if (p.bias) checkSize('bias', p.bias, (p.biasOffset ?? 0) + N, 4);
  if (residual) checkSize('residual', residual, rOff + batch * M * N, 4);

  const cfg = p.config ?? matmulConfigFor(gpu, { M, N, K, transA, transB });
  const al = (x: number) => x % 4 === 0;
  const v: Variant = {
    cfg,
    transA,
    transB,
    aVec: al(aOff) && al(aStride) && (transA ? al(M) && cfg.tm % 4 === 0 : al(K) && cfg.ku % 4 === 0),
    bVec: al(bOff) && al(bStride) && (transB ? al(K) && cfg.ku % 4 === 0 : al(N)),
    oVec: al(N) && al(oOff) && (!residual || al(rOff)),
    biasVec: al(N) && al(p.biasOffset ?? 0),
    bias: !!p.bias,
    residual: !!residual,
    act: p.activation ?? 'none',
    accumulate,
    f16,
  };
  const k = matmulKernel(gpu, v);
  const u = new ArrayBuffer(UNIFORM_WORDS * 4);
  const w = new Uint32Array(u);
  w.set([M, N, K, batch, aOff, bOff, oOff, rOff, aStride, bStride, p.biasOffset ?? 0]);
  new Float32Array(u)[11] = p.alpha ?? 1;
  const bufs: GPUBuffer[] = [p.a, p.b, p.out];
  if (p.bias) bufs.push(p.bias);
  if (residual) bufs.push(residual);
  const gx = Math.ceil(N / (cfg.wgx * cfg.tn));
  const gy = Math.ceil(M / (cfg.wgy * cfg.tm));
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  if (gx > max || gy > max || batch > max) {
    throw new RangeError(`matmul: grid [${gx}, ${gy}, ${batch}] for M=${M} N=${N} batch=${batch} exceeds ${max} workgroups per dimension`);
  }
  gpu.dispatch(k, bufs, [gx, gy, batch], w);
}

function checkSize(name: string, buf: GPUBuffer, elems: number, bytesPer: number): void {
  if (elems * bytesPer > buf.size) {
    throw new RangeError(`matmul: buffer '${name}' holds ${buf.size} bytes, the operation reads/writes ${elems * bytesPer}`);
  }
}

function variantName(v: Variant): string {
  const c = v.cfg;
  return (
    `matmul_${v.transA ? 'T' : 'N'}${v.transB ? 'T' : 'N'}_${c.tm}x${c.tn}_wg${c.wgx}x${c.wgy}_k${c.ku}${c.shared ? '_smem' : ''}` +
    `${v.aVec ? '_av' : ''}${v.bVec ? '_bv' : ''}${v.oVec ? '_ov' : ''}${v.bias ? (v.biasVec ? '_biasv' : '_bias') : ''}` +
    `${v.residual ? '_res' : ''}${v.act !== 'none' ? '_' + v.act : ''}${v.accumulate ? '_acc' : ''}${v.f16 ? '_f16' : ''}`
  );
}

function matmulKernel(gpu: Gpu, v: Variant): Kernel {
  return gpu.kernelFor(variantName(v), () => matmulSpec(v));
}

function matmulSpec(v: Variant): KernelSpec {
  const name = variantName(v);
  const code = v.cfg.shared ? genShared(v) : genRegister(v);
  return { name, code, storageBindings: 3 + (v.bias ? 1 : 0) + (v.residual ? 1 : 0), uniforms: true };
}

/** The WGSL source of one variant (exported for tests and for reading). */
export function matmulSource(v: Partial<Variant> & { cfg?: MatmulConfig }): string {
  const full: Variant = {
    cfg: DEFAULT_MATMUL_CONFIG, transA: false, transB: false, aVec: false, bVec: false, oVec: false, biasVec: false,
    bias: false, residual: false, act: 'none', accumulate: false, f16: false, ...v,
  };
  return full.cfg.shared ? genShared(full) : genRegister(full);
}

// ------------------------------------------------------------------ code generation

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function header(v: Variant): string {
  const s = v.f16 ? 'f16' : 'f32';
  const t = (vec: boolean) => (vec ? `array<vec4<${s}>>` : `array<${s}>`);
  let b = 3;
  return [
    v.f16 ? 'enable f16;' : '',
    'struct P { M: u32, N: u32, K: u32, batch: u32, aOff: u32, bOff: u32, oOff: u32, rOff: u32,',
    '           aStride: u32, bStride: u32, biasOff: u32, alpha: f32, _p0: u32, _p1: u32, _p2: u32, _p3: u32 }',
    `@group(0) @binding(0) var<storage, read> A: ${t(v.aVec)};`,
    `@group(0) @binding(1) var<storage, read> B: ${t(v.bVec)};`,
    `@group(0) @binding(2) var<storage, read_write> O: ${t(v.oVec)};`,
    v.bias ? `@group(0) @binding(${b++}) var<storage, read> BIAS: ${v.biasVec ? 'array<vec4f>' : 'array<f32>'};` : '',
    v.residual ? `@group(0) @binding(${b++}) var<storage, read> RES: ${v.oVec ? 'array<vec4f>' : 'array<f32>'};` : '',
    `@group(0) @binding(${b}) var<uniform> p: P;`,
    actFn(v.act),
  ].filter(Boolean).join('\n');
}

function actFn(act: Activation): string {
  switch (act) {
    case 'none':
      return 'fn act(x: vec4f) -> vec4f { return x; }';
    case 'relu':
      return 'fn act(x: vec4f) -> vec4f { return max(x, vec4f(0.0)); }';
    case 'silu':
      // x * sigmoid(x); exp(-x) overflows to inf for x < -88, giving x / inf = -0: fine.
      return 'fn act(x: vec4f) -> vec4f { return x / (1.0 + exp(-x)); }';
    case 'gelu':
      // tanh approximation; the argument is clamped because tanh of large |u| may be computed
      // via exp and overflow to NaN on some drivers.
      return [
        'fn act(x: vec4f) -> vec4f {',
        '  let u = clamp(0.7978845608028654 * (x + 0.044715 * x * x * x), vec4f(-15.0), vec4f(15.0));',
        '  return 0.5 * x * (1.0 + tanh(u));',
        '}',
      ].join('\n');
  }
}

/** Scalar (f32) read of element `idx` of an operand declared scalar or vec4. */
function elem(arr: string, vec: boolean, idx: string, f16: boolean): string {
  const e = vec ? `${arr}[(${idx}) >> 2u][(${idx}) & 3u]` : `${arr}[${idx}]`;
  return f16 ? `f32(${e})` : e;
}
function vload(arr: string, idx: string, f16: boolean): string {
  return f16 ? `vec4f(${arr}[(${idx}) >> 2u])` : `${arr}[(${idx}) >> 2u]`;
}

/**
 * The K-loop body for `ku` consecutive k starting at `k`: defines a_r_kk (f32) and b_kk_j
 * (vec4f) and accumulates acc_r_j += a_r_kk * b_kk_j.
 */
function kBody(v: Variant, ku: number, vecOk: boolean): string[] {
  const { tm, tn } = v.cfg;
  const nj = tn / 4;
  const L: string[] = [];
  const aExpr: string[][] = range(tm).map(() => []);
  // ---- A
  if (!v.transA) {
    if (v.aVec && vecOk) {
      for (let r = 0; r < tm; r++) for (let q = 0; q < ku / 4; q++) L.push(`let av_${r}_${q} = ${vload('A', `ar_${r} + k + ${4 * q}u`, v.f16)};`);
      for (let r = 0; r < tm; r++) for (let kk = 0; kk < ku; kk++) aExpr[r][kk] = `av_${r}_${kk >> 2}[${kk & 3}]`;
    } else {
      for (let r = 0; r < tm; r++) for (let kk = 0; kk < ku; kk++) {
        L.push(`let a_${r}_${kk} = ${elem('A', v.aVec, `ar_${r} + k + ${kk}u`, v.f16)};`);
        aExpr[r][kk] = `a_${r}_${kk}`;
      }
    }
  } else {
    if (v.aVec) {
      // rows contiguous: one vec4 covers 4 of this thread's rows at one k
      for (let kk = 0; kk < ku; kk++) for (let q = 0; q < tm / 4; q++) {
        L.push(`let av_${kk}_${q} = ${vload('A', `aBase + (k + ${kk}u) * p.M + mq_${q}`, v.f16)};`);
      }
      for (let r = 0; r < tm; r++) for (let kk = 0; kk < ku; kk++) aExpr[r][kk] = `av_${kk}_${r >> 2}[${r & 3}]`;
    } else {
      for (let kk = 0; kk < ku; kk++) for (let r = 0; r < tm; r++) {
        L.push(`let a_${r}_${kk} = ${elem('A', false, `aBase + (k + ${kk}u) * p.M + m_${r}`, v.f16)};`);
        aExpr[r][kk] = `a_${r}_${kk}`;
      }
    }
  }
  // ---- B
  const bExpr: string[][] = range(ku).map(() => []);
  if (!v.transB) {
    for (let kk = 0; kk < ku; kk++) {
      L.push(`let brow_${kk} = bBase + (k + ${kk}u) * p.N;`);
      for (let j = 0; j < nj; j++) {
        if (v.bVec) L.push(`let b_${kk}_${j} = ${vload('B', `brow_${kk} + nq_${j}`, v.f16)};`);
        else {
          const c = range(4).map((i) => elem('B', false, `brow_${kk} + n_${4 * j + i}`, v.f16));
          L.push(`let b_${kk}_${j} = vec4f(${c.join(', ')});`);
        }
        bExpr[kk][j] = `b_${kk}_${j}`;
      }
    }
  } else {
    if (v.bVec && vecOk) {
      for (let c = 0; c < tn; c++) for (let q = 0; q < ku / 4; q++) L.push(`let bt_${c}_${q} = ${vload('B', `bc_${c} + k + ${4 * q}u`, v.f16)};`);
      for (let kk = 0; kk < ku; kk++) for (let j = 0; j < nj; j++) {
        const c = range(4).map((i) => `bt_${4 * j + i}_${kk >> 2}[${kk & 3}]`);
        bExpr[kk][j] = `vec4f(${c.join(', ')})`;
      }
    } else {
      for (let c = 0; c < tn; c++) for (let kk = 0; kk < ku; kk++) L.push(`let bt_${c}_${kk} = ${elem('B', v.bVec, `bc_${c} + k + ${kk}u`, v.f16)};`);
      for (let kk = 0; kk < ku; kk++) for (let j = 0; j < nj; j++) {
        bExpr[kk][j] = `vec4f(${range(4).map((i) => `bt_${4 * j + i}_${kk}`).join(', ')})`;
      }
    }
  }
  // ---- FMAs
  for (let kk = 0; kk < ku; kk++) {
    for (let j = 0; j < nj; j++) {
      if (bExpr[kk][j].startsWith('vec4f(')) {
        L.push(`let bx_${kk}_${j} = ${bExpr[kk][j]};`);
        bExpr[kk][j] = `bx_${kk}_${j}`;
      }
    }
    for (let r = 0; r < tm; r++) for (let j = 0; j < nj; j++) {
      L.push(`acc_${r}_${j} = fma(vec4f(${aExpr[r][kk]}), ${bExpr[kk][j]}, acc_${r}_${j});`);
    }
  }
  return L;
}

/** Per-thread index set-up shared by both generators: clamped rows/cols and operand bases. */
function setup(v: Variant): string[] {
  const { tm, tn } = v.cfg;
  const nj = tn / 4;
  const L: string[] = [
    'let aBase = p.aOff + bz * p.aStride;',
    'let bBase = p.bOff + bz * p.bStride;',
  ];
  // clamped rows (loads stay in bounds; stores are masked)
  for (let r = 0; r < tm; r++) L.push(`let m_${r} = min(row0 + ${r}u, p.M - 1u);`);
  if (!v.transA) for (let r = 0; r < tm; r++) L.push(`let ar_${r} = aBase + m_${r} * p.K;`);
  else if (v.aVec) for (let q = 0; q < tm / 4; q++) L.push(`let mq_${q} = min(row0 + ${4 * q}u, p.M - 4u);`);
  for (let c = 0; c < tn; c++) L.push(`let n_${c} = min(col0 + ${c}u, p.N - 1u);`);
  if (!v.transB && v.bVec) for (let j = 0; j < nj; j++) L.push(`let nq_${j} = min(col0 + ${4 * j}u, p.N - 4u);`);
  if (v.transB) for (let c = 0; c < tn; c++) L.push(`let bc_${c} = bBase + n_${c} * p.K;`);
  for (let r = 0; r < tm; r++) for (let j = 0; j < nj; j++) L.push(`var acc_${r}_${j} = vec4f(0.0);`);
  return L;
}

function epilogue(v: Variant): string[] {
  const { tm, tn } = v.cfg;
  const nj = tn / 4;
  const L: string[] = ['let oBase = p.oOff + bz * p.M * p.N;', 'let rBase = p.rOff + bz * p.M * p.N;'];
  if (v.bias) {
    for (let j = 0; j < nj; j++) {
      if (v.biasVec) L.push(`let bias_${j} = BIAS[(p.biasOff + min(col0 + ${4 * j}u, p.N - 4u)) >> 2u];`);
      else L.push(`let bias_${j} = vec4f(${range(4).map((i) => `BIAS[p.biasOff + n_${4 * j + i}]`).join(', ')});`);
    }
  }
  const st = v.f16 ? 'f16' : 'f32';
  for (let r = 0; r < tm; r++) {
    L.push(`if (row0 + ${r}u < p.M) {`);
    L.push(`  let orow = row0 + ${r}u;`);
    for (let j = 0; j < nj; j++) {
      L.push(`  {`);
      L.push(`    var x = acc_${r}_${j} * p.alpha;`);
      if (v.bias) L.push(`    x = x + bias_${j};`);
      if (v.act !== 'none') L.push('    x = act(x);');
      const col = `col0 + ${4 * j}u`;
      if (v.oVec) {
        L.push(`    if (${col} < p.N) {`);
        L.push(`      let oi = (oBase + orow * p.N + ${col}) >> 2u;`);
        if (v.residual) L.push(`      x = x + RES[(rBase + orow * p.N + ${col}) >> 2u];`);
        if (v.accumulate) L.push(`      x = x + vec4f(O[oi]);`);
        L.push(`      O[oi] = ${v.f16 ? 'vec4<f16>(x)' : 'x'};`);
        L.push('    }');
      } else {
        for (let i = 0; i < 4; i++) {
          L.push(`    if (${col} + ${i}u < p.N) {`);
          L.push(`      let oi = oBase + orow * p.N + ${col} + ${i}u;`);
          let e = `x[${i}]`;
          if (v.residual) e += ` + RES[rBase + orow * p.N + ${col} + ${i}u]`;
          if (v.accumulate) e += ` + f32(O[oi])`;
          L.push(`      O[oi] = ${st}(${e});`);
          L.push('    }');
        }
      }
      L.push('  }');
    }
    L.push('}');
  }
  return L;
}

function genRegister(v: Variant): string {
  const { tm, tn, wgx, wgy, ku } = v.cfg;
  const body = kBody(v, ku, true).map((l) => '    ' + l).join('\n');
  // tail (K % ku != 0): one k at a time; vec4-declared operands are read element-wise
  const tail = kBody(v, 1, false).map((l) => '    ' + l).join('\n');
  return `${header(v)}

@compute @workgroup_size(${wgx}, ${wgy}, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let bz = wid.z;
  // A workgroup dimension of size 1 is written without local_invocation_id so the compiler
  // sees those indices as uniform: on lavapipe a uniform load is one scalar load broadcast to
  // all SIMD lanes instead of one load per lane. No early return for threads past the edge
  // for the same reason (divergent control flow defeats that); their loads are clamped and
  // their stores masked.
  let row0 = ${wgy === 1 ? `wid.y * ${tm}u` : `(wid.y * ${wgy}u + lid.y) * ${tm}u`};
  let col0 = ${wgx === 1 ? `wid.x * ${tn}u` : `(wid.x * ${wgx}u + lid.x) * ${tn}u`};
${setup(v).map((l) => '  ' + l).join('\n')}
  let kMain = p.K - p.K % ${ku}u;
  var k = 0u;
  for (; k < kMain; k += ${ku}u) {
${body}
  }
  for (; k < p.K; k += 1u) {
${tail}
  }
${epilogue(v).map((l) => '  ' + l).join('\n')}
}
`;
}

/**
 * Workgroup-memory variant: the workgroup stages a (BM x BK) tile of A and a (BK x BN) tile of
 * B in workgroup memory, then each thread computes TM x TN outputs from it. The usual GPU
 * kernel; slow on lavapipe (barriers), kept for real GPUs where the tuner may pick it.
 */
function genShared(v: Variant): string {
  const { tm, tn, wgx, wgy } = v.cfg;
  const BM = tm * wgy, BN = tn * wgx, BK = SHARED_BK;
  const nthreads = wgx * wgy;
  const nj = tn / 4;
  const L: string[] = [];
  L.push(header(v));
  L.push(`var<workgroup> As: array<f32, ${BK * BM}>; // [BK][BM]`);
  L.push(`var<workgroup> Bs: array<vec4f, ${(BK * BN) / 4}>; // [BK][BN/4]`);
  L.push(`
@compute @workgroup_size(${wgx}, ${wgy}, 1)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let bz = wid.z;
  let tileRow = wid.y * ${BM}u;
  let tileCol = wid.x * ${BN}u;
  let row0 = tileRow + lid.y * ${tm}u;
  let col0 = tileCol + lid.x * ${tn}u;
  let aBase = p.aOff + bz * p.aStride;
  let bBase = p.bOff + bz * p.bStride;
  let n_0 = min(col0, p.N - 1u);
${range(nj * 4).slice(1).map((c) => `  let n_${c} = min(col0 + ${c}u, p.N - 1u);`).join('\n')}
${range(tm).map((r) => range(nj).map((j) => `  var acc_${r}_${j} = vec4f(0.0);`).join('\n')).join('\n')}
  for (var k0 = 0u; k0 < p.K; k0 += ${BK}u) {
    // stage A tile: element (kk, mm), zero outside the matrix
    for (var i = li; i < ${BK * BM}u; i += ${nthreads}u) {
      let kk = i / ${BM}u; let mm = i % ${BM}u;
      let gk = k0 + kk; let gm = tileRow + mm;
      var x = 0.0;
      if (gk < p.K && gm < p.M) { x = ${v.transA ? elem('A', v.aVec, 'aBase + gk * p.M + gm', v.f16) : elem('A', v.aVec, 'aBase + gm * p.K + gk', v.f16)}; }
      As[i] = x;
    }
    // stage B tile: (kk, nn)
    for (var i = li; i < ${BK * BN}u; i += ${nthreads}u) {
      let kk = i / ${BN}u; let nn = i % ${BN}u;
      let gk = k0 + kk; let gn = tileCol + nn;
      var x = 0.0;
      if (gk < p.K && gn < p.N) { x = ${v.transB ? elem('B', v.bVec, 'bBase + gn * p.K + gk', v.f16) : elem('B', v.bVec, 'bBase + gk * p.N + gn', v.f16)}; }
      Bs[i >> 2u][i & 3u] = x;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk += 1u) {
${range(tm).map((r) => `      let a_${r} = As[kk * ${BM}u + lid.y * ${tm}u + ${r}u];`).join('\n')}
${range(nj).map((j) => `      let b_${j} = Bs[(kk * ${BN}u + lid.x * ${tn}u) / 4u + ${j}u];`).join('\n')}
${range(tm).map((r) => range(nj).map((j) => `      acc_${r}_${j} = fma(vec4f(a_${r}), b_${j}, acc_${r}_${j});`).join('\n')).join('\n')}
    }
    workgroupBarrier();
  }
  if (row0 >= p.M || col0 >= p.N) { return; }
${epilogue(v).map((l) => '  ' + l).join('\n')}
}
`);
  return L.join('\n');
}
