// matmul vs the float64 reference on random, ragged shapes, every layout and epilogue.
// Tolerance: |err| <= 1e-4 * sqrt(K) * (1 + |want|) for N(0,1) inputs in f32 (errors grow ~sqrt(K)).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, rng, randn, randInt, upload, download, assertClose, type Gpu } from './helpers.js';
import { matmul, type MatmulParams, type Activation } from '../../src/kernels/matmul.js';
import { refMatmul } from '../../src/kernels/reference/matmul.js';
import { DEFAULT_MATMUL_CONFIG, GPU_MATMUL_CONFIG, type MatmulConfig } from '../../src/kernels/autotune.js';
import { f16ToF32Array, f32ToF16Array } from '../../src/util/f16.js';

interface Case {
  batch: number; M: number; N: number; K: number; transA?: boolean; transB?: boolean;
  aOffset?: number; bOffset?: number; outOffset?: number; aBatchStride?: number; bBatchStride?: number;
  bias?: boolean; biasOffset?: number; residual?: boolean; alpha?: number; activation?: Activation; accumulate?: boolean;
  config?: MatmulConfig;
}

async function check(gpu: Gpu, c: Case, seed: number, label: string): Promise<void> {
  const r = rng(seed);
  const aS = c.aBatchStride ?? c.M * c.K, bS = c.bBatchStride ?? c.K * c.N;
  const aLen = (c.aOffset ?? 0) + (c.batch - 1) * aS + c.M * c.K;
  const bLen = (c.bOffset ?? 0) + (c.batch - 1) * bS + c.K * c.N;
  const oLen = (c.outOffset ?? 0) + c.batch * c.M * c.N;
  const a = randn(r, aLen), b = randn(r, bLen), o0 = randn(r, oLen);
  const bias = c.bias ? randn(r, (c.biasOffset ?? 0) + c.N) : undefined;
  const res = c.residual ? randn(r, c.batch * c.M * c.N) : undefined;
  const A = upload(gpu, a), B = upload(gpu, b), O = upload(gpu, o0);
  const BI = bias ? upload(gpu, bias) : undefined, R = res ? upload(gpu, res) : undefined;
  const p: MatmulParams = { ...c, a: A, b: B, out: O, bias: BI, residual: R };
  matmul(gpu, p);
  const got = await download(gpu, O, oLen);
  const want = refMatmul({ ...c, a, b, out: o0, bias, residual: res });
  const tol = 1e-4 * Math.sqrt(Math.max(c.K, 1));
  assertClose(got, want, tol, tol, `${label} ${JSON.stringify({ ...c, config: c.config && Object.values(c.config).join(',') })}`);
  for (const x of [A, B, O, BI, R]) if (x) gpu.free(x);
}

// A small register tile: the epilogue/batching/f16 code paths are generated the same way for
// every tile, and small tiles compile several times faster than the default (CI time).
const SMALL: MatmulConfig = { tm: 2, tn: 4, wgx: 4, wgy: 2, ku: 4, shared: false };

const configs: MatmulConfig[] = [
  DEFAULT_MATMUL_CONFIG,
  { tm: 2, tn: 4, wgx: 4, wgy: 2, ku: 1, shared: false },
  { tm: 3, tn: 8, wgx: 8, wgy: 4, ku: 8, shared: false },
  { tm: 8, tn: 4, wgx: 16, wgy: 4, ku: 4, shared: false },
  // one column of threads wide: columns uniform across the workgroup (the wgx === 1 code path)
  { tm: 4, tn: 4, wgx: 1, wgy: 8, ku: 4, shared: false },
  GPU_MATMUL_CONFIG,
  { tm: 2, tn: 8, wgx: 4, wgy: 8, ku: 4, shared: true },
  // the largest workgroup-memory tile the gpu family's tuner tries (128 x 128 per workgroup)
  { tm: 8, tn: 8, wgx: 16, wgy: 16, ku: 4, shared: true },
];

// Each distinct variant costs a pipeline compile (~0.5-2 s on lavapipe), so the cases below are
// chosen to cover every code path (layout x alignment x epilogue x tile config) with few variants.
test('square and ragged shapes, all four layouts (default config)', async () => {
  const gpu = await getGpu();
  const r = rng(1);
  let seed = 100;
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const dims = [[1, 1, 1], [33, 65, 17], [randInt(r, 1, 70), randInt(r, 1, 70), randInt(r, 1, 70)], [16, 16, 16], [64, 12, 20]];
    for (const [M, N, K] of dims) await check(gpu, { batch: 1, M, N, K, transA: tA, transB: tB }, seed++, 'layout');
  }
});

test('every tile configuration (register-blocked and workgroup-memory) on a ragged shape', async () => {
  const gpu = await getGpu();
  let seed = 200;
  const layouts = [[false, false], [true, false], [false, true], [true, true]];
  for (let i = 1; i < configs.length; i++) {
    const [tA, tB] = layouts[i % 4];
    await check(gpu, { batch: 2, M: 33, N: 65, K: 17, transA: tA, transB: tB, config: configs[i] }, seed++, 'config');
  }
  await check(gpu, { batch: 1, M: 32, N: 24, K: 36, config: GPU_MATMUL_CONFIG }, seed++, 'config aligned');
});

test('K = 0 gives the epilogue of a zero product', async () => {
  const gpu = await getGpu();
  await check(gpu, { batch: 2, M: 3, N: 5, K: 0, bias: true, config: SMALL }, 7, 'K=0');
});

test('batched with offsets, strides and broadcast (stride 0)', async () => {
  const gpu = await getGpu();
  let seed = 300;
  for (const [tA, tB] of [[false, false], [true, true]]) {
    await check(gpu, { batch: 3, M: 9, N: 12, K: 8, transA: tA, transB: tB, config: SMALL }, seed++, 'batched');
    await check(gpu, { batch: 4, M: 8, N: 8, K: 12, transA: tA, transB: tB, bBatchStride: 0, config: SMALL }, seed++, 'broadcast B');
    await check(gpu, { batch: 2, M: 5, N: 6, K: 7, transA: tA, transB: tB, aBatchStride: 0, config: SMALL }, seed++, 'broadcast A');
    // offsets that break vec4 alignment, and ones that keep it
    await check(gpu, { batch: 2, M: 8, N: 8, K: 8, transA: tA, transB: tB, aOffset: 3, bOffset: 5, outOffset: 1, config: SMALL }, seed++, 'odd offsets');
    await check(gpu, { batch: 2, M: 8, N: 8, K: 8, transA: tA, transB: tB, aOffset: 4, bOffset: 8, outOffset: 12, aBatchStride: 68, bBatchStride: 72, config: SMALL }, seed++, 'aligned offsets');
  }
});

test('fused epilogue: alpha, bias, activations, residual, accumulate', async () => {
  const gpu = await getGpu();
  let seed = 500;
  for (const activation of ['none', 'relu', 'gelu', 'silu'] as Activation[]) {
    await check(gpu, { batch: 2, M: 7, N: 13, K: 9, alpha: 0.37, bias: true, activation, residual: true, config: SMALL }, seed++, 'epilogue');
  }
  await check(gpu, { batch: 2, M: 8, N: 16, K: 8, alpha: 2, bias: true, activation: 'gelu', residual: true, config: SMALL }, seed++, 'epilogue aligned');
  await check(gpu, { batch: 1, M: 7, N: 13, K: 9, bias: true, biasOffset: 3, activation: 'silu', accumulate: true, transB: true, config: SMALL }, seed++, 'accumulate');
  await check(gpu, { batch: 1, M: 8, N: 16, K: 8, bias: true, accumulate: true, transA: true, config: SMALL }, seed++, 'accumulate aligned');
});

test('residual aliasing out means out += result', async () => {
  const gpu = await getGpu();
  const r = rng(9);
  const M = 6, N = 10, K = 5;
  const a = randn(r, M * K), b = randn(r, K * N), o = randn(r, M * N);
  const A = upload(gpu, a), B = upload(gpu, b), O = upload(gpu, o);
  matmul(gpu, { a: A, b: B, out: O, residual: O, batch: 1, M, N, K });
  const got = await download(gpu, O, M * N);
  assertClose(got, refMatmul({ a, b, out: o, batch: 1, M, N, K, accumulate: true }), 1e-4, 1e-4, 'alias');
});

test('bad arguments are rejected with a clear message', async () => {
  const gpu = await getGpu();
  const A = gpu.alloc(64), O = gpu.alloc(64);
  assert.throws(() => matmul(gpu, { a: A, b: A, out: O, batch: 1, M: 100, N: 100, K: 100 }), /buffer 'a' holds/);
  assert.throws(() => matmul(gpu, { a: A, b: A, out: A, batch: 1, M: 2, N: 2, K: 2 }), /alias/);
  assert.throws(() => matmul(gpu, { a: A, b: A, out: O, batch: 1, M: -1, N: 2, K: 2 }), /non-negative/);
  matmul(gpu, { a: A, b: A, out: O, batch: 0, M: 2, N: 2, K: 2 }); // nothing to do
  await gpu.sync();
});

test('f16 storage (when the adapter has shader-f16)', async () => {
  const gpu = await getGpu();
  if (!gpu.hasF16) return;
  const r = rng(11);
  for (const [M, N, K, tA, tB] of [[17, 24, 33, false, false], [16, 16, 16, true, true], [5, 9, 8, false, true]] as const) {
    const a = randn(r, M * K), b = randn(r, K * N);
    const toH = (x: Float32Array) => f32ToF16Array(x);
    const fromH = (h: Uint16Array) => f16ToF32Array(h);
    const ah = toH(a), bh = toH(b);
    const A = gpu.alloc(ah.byteLength + 8), B = gpu.alloc(bh.byteLength + 8), O = gpu.alloc(M * N * 2 + 8);
    gpu.write(A, ah); gpu.write(B, bh);
    matmul(gpu, { a: A, b: B, out: O, batch: 1, M, N, K, transA: tA, transB: tB, f16: true, config: SMALL });
    const got = fromH(new Uint16Array(await gpu.read(O, 0, Math.ceil(M * N / 2) * 4)).subarray(0, M * N));
    const want = refMatmul({ a: fromH(ah), b: fromH(bh), batch: 1, M, N, K, transA: tA, transB: tB });
    assertClose(got, want, 2e-2 * Math.sqrt(K), 2e-3, `f16 ${M}x${N}x${K}`);
  }
});

test.run();
