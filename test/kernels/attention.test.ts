// Fused attention forward/backward/decode vs the float64 reference (which materialises P): the
// lavapipe family's kernels (attention.ts) and the gpu family's flash kernels (flash-attention.ts)
// on the same cases.
// Tolerances: out 1e-5 + 1e-4 rel; lse 1e-5 + 1e-5 rel; gradients 2e-5 + 2e-4 rel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, getGpuFamily, rng, randn, upload, download, assertClose, type Gpu } from './helpers.js';
import { attention, attentionBackward, attentionDecode, type AttentionTile } from '../../src/kernels/attention.js';
import { flashAttention, flashAttentionBackward, type FlashTile } from '../../src/kernels/flash-attention.js';
import { refAttention, refAttentionBackward, refAttentionDecode, type RefAttnDims } from '../../src/kernels/reference/attention.js';

type Case = RefAttnDims & { tile?: AttentionTile; flash?: FlashTile };

async function check(gpu: Gpu, d: Case, seed: number, useFlash = false): Promise<void> {
  const fwd = useFlash ? flashAttention : attention;
  const bwd = useFlash ? flashAttentionBackward : attentionBackward;
  const r = rng(seed);
  const Tk = d.Tk ?? d.Tq;
  const nq = d.B * d.Hq * d.Tq * d.D, nkv = d.B * d.Hkv * Tk * d.D;
  const q = randn(r, nq), k = randn(r, nkv), v = randn(r, nkv), dout = randn(r, nq);
  const Q = upload(gpu, q, 1), K = upload(gpu, k, 1), V = upload(gpu, v, 1), DO = upload(gpu, dout, 1);
  const O = gpu.alloc(Math.max(4, nq * 4)), LSE = gpu.alloc(Math.max(4, d.B * d.Hq * d.Tq * 4));
  fwd(gpu, { ...d, q: Q, k: K, v: V, out: O, lse: LSE });
  const want = refAttention(q, k, v, d);
  const label = `${useFlash ? 'flash ' : ''}${JSON.stringify(d)}`;
  assertClose(await download(gpu, O, nq), want.out, 1e-5, 1e-4, label + ' out');
  const lse = await download(gpu, LSE, d.B * d.Hq * d.Tq);
  // rows that see no key: reference -inf, kernel -1e30
  assertClose(lse.map((x) => (x <= -1e29 ? -1e30 : x)), Array.from(want.lse, (x) => (x === -Infinity ? -1e30 : x)), 1e-5, 1e-5, label + ' lse');
  const DQ = gpu.alloc(Math.max(4, nq * 4)), DK = gpu.alloc(Math.max(4, nkv * 4)), DV = gpu.alloc(Math.max(4, nkv * 4));
  bwd(gpu, { ...d, q: Q, k: K, v: V, out: O, lse: LSE, dout: DO, dq: DQ, dk: DK, dv: DV });
  const g = refAttentionBackward(q, k, v, dout, d);
  assertClose(await download(gpu, DQ, nq), g.dq, 2e-5, 2e-4, label + ' dq');
  assertClose(await download(gpu, DK, nkv), g.dk, 2e-5, 2e-4, label + ' dk');
  assertClose(await download(gpu, DV, nkv), g.dv, 2e-5, 2e-4, label + ' dv');
  for (const b of [Q, K, V, DO, O, LSE, DQ, DK, DV]) gpu.free(b);
}

test('reference backward matches finite differences', () => {
  const r = rng(1);
  const d: RefAttnDims = { B: 1, Hq: 2, Hkv: 1, Tq: 3, Tk: 4, D: 3, causal: true };
  const q = Array.from(randn(r, 18)), k = Array.from(randn(r, 12)), v = Array.from(randn(r, 12)), dout = Array.from(randn(r, 18));
  const f = (qq: number[], kk: number[], vv: number[]) => refAttention(qq, kk, vv, d).out.reduce((s, x, i) => s + x * dout[i], 0);
  const g = refAttentionBackward(q, k, v, dout, d);
  const h = 1e-6;
  for (const [name, arr, grad] of [['q', q, g.dq], ['k', k, g.dk], ['v', v, g.dv]] as const) {
    for (let i = 0; i < arr.length; i++) {
      const p = arr.slice(), m = arr.slice();
      p[i] += h; m[i] -= h;
      const args = (x: number[]) => (name === 'q' ? f(x, k, v) : name === 'k' ? f(q, x, v) : f(q, k, x));
      assert.ok(Math.abs((args(p) - args(m)) / (2 * h) - grad[i]) < 1e-6, `${name}[${i}]`);
    }
  }
});

test('causal self-attention, ragged T, head dims with and without vec4', async () => {
  const gpu = await getGpu();
  let seed = 10;
  for (const [B, Hq, Hkv, T, D] of [[1, 1, 1, 1, 4], [2, 2, 2, 37, 8], [1, 4, 2, 70, 16], [1, 3, 1, 33, 3]]) {
    await check(gpu, { B, Hq, Hkv, Tq: T, D }, seed++);
  }
});

test('non-causal, cross lengths, explicit scale and causal offsets (decode-style chunks)', async () => {
  const gpu = await getGpu();
  await check(gpu, { B: 2, Hq: 2, Hkv: 1, Tq: 9, Tk: 21, D: 8, causal: false, scale: 0.3 }, 30);
  await check(gpu, { B: 1, Hq: 2, Hkv: 2, Tq: 5, Tk: 40, D: 8 }, 31); // default offset Tk - Tq
  await check(gpu, { B: 1, Hq: 2, Hkv: 2, Tq: 6, Tk: 6, D: 4, causalOffset: -2 }, 32); // first rows see nothing
  await check(gpu, { B: 1, Hq: 1, Hkv: 1, Tq: 40, Tk: 40, D: 4, causalOffset: 3 }, 33);
});

test('other forward tilings (queries per invocation, keys per step, workgroup size)', async () => {
  const gpu = await getGpu();
  await check(gpu, { B: 1, Hq: 2, Hkv: 1, Tq: 23, D: 8, tile: { tq: 1, kb: 1, wg: 8 } }, 40);
  await check(gpu, { B: 2, Hq: 1, Hkv: 1, Tq: 19, Tk: 30, D: 4, tile: { tq: 3, kb: 3, wg: 4 } }, 41);
});

// Small head dims only: lavapipe's LLVM compiles a shader with barriers inside loops slowly
// (seconds per kernel, more with the unrolled D = 64 code; Mesa's disk cache makes reruns fast).
// The D = 64 shapes run on a real GPU in tools/device-check.sh.
test('flash kernels (gpu family): T not a multiple of the blocks, GQA, causal offsets, cross lengths, D with and without vec4', async () => {
  const gpu = await getGpuFamily();
  let seed = 60;
  // default tiles (64 queries per workgroup, 32-key tiles): a ragged block, then a second partial one
  await check(gpu, { B: 2, Hq: 2, Hkv: 1, Tq: 37, D: 8 }, seed++, true);
  await check(gpu, { B: 1, Hq: 4, Hkv: 2, Tq: 70, D: 8 }, seed++, true);
  // small tiles: many blocks and key tiles per block, every masking path
  const flash = { bq: 8, bk: 4 };
  await check(gpu, { B: 1, Hq: 1, Hkv: 1, Tq: 1, D: 8, flash }, seed++, true);
  await check(gpu, { B: 2, Hq: 2, Hkv: 1, Tq: 9, Tk: 21, D: 8, causal: false, scale: 0.3, flash }, seed++, true);
  await check(gpu, { B: 1, Hq: 2, Hkv: 2, Tq: 5, Tk: 40, D: 8, flash }, seed++, true);
  await check(gpu, { B: 1, Hq: 2, Hkv: 2, Tq: 6, Tk: 6, D: 8, causalOffset: -2, flash }, seed++, true);
  await check(gpu, { B: 1, Hq: 4, Hkv: 1, Tq: 45, Tk: 45, D: 8, causalOffset: 3, flash }, seed++, true);
  await check(gpu, { B: 1, Hq: 2, Hkv: 1, Tq: 23, D: 3, flash: { bq: 8, bk: 6 } }, seed++, true);
});

test('flash kernels reject tiles the adapter cannot hold', async () => {
  const gpu = await getGpuFamily();
  const X = gpu.alloc(1 << 16);
  assert.throws(() => flashAttention(gpu, { q: X, k: X, v: X, out: X, lse: X, B: 1, Hq: 1, Hkv: 1, Tq: 2, D: 4, flash: { bq: 4096, bk: 4 } }), /invocations per workgroup/);
  assert.throws(() => flashAttention(gpu, { q: X, k: X, v: X, out: X, lse: X, B: 1, Hq: 1, Hkv: 1, Tq: 2, D: 4, flash: { bq: 0, bk: 4 } }), /positive integers/);
  gpu.free(X);
});

test('decode against a KV cache with per-sequence lengths', async () => {
  const gpu = await getGpu();
  const r = rng(50);
  // split + combine (several splits), and the one-dispatch path (one split covers the keys:
  // forced by splitSize >= Tmax, or the software-adapter default at B * Hq >= 64), ragged D
  const cases = [[3, 4, 2, 50, 8, 7], [2, 2, 1, 300, 3, undefined], [1, 1, 1, 1, 4, undefined], [2, 4, 2, 130, 16, 130], [3, 2, 2, 61, 5, 100], [16, 4, 2, 90, 8, undefined]] as const;
  for (const [B, Hq, Hkv, Tmax, D, split] of cases) {
    const q = randn(r, B * Hq * D), kc = randn(r, B * Hkv * Tmax * D), vc = randn(r, B * Hkv * Tmax * D);
    const lengths = Int32Array.from({ length: B }, (_, b) => (b === 1 ? 0 : Math.max(1, Tmax - 3 * b)));
    const Q = upload(gpu, q), KC = upload(gpu, kc), VC = upload(gpu, vc), L = upload(gpu, lengths), O = gpu.alloc(B * Hq * D * 4);
    attentionDecode(gpu, { q: Q, kCache: KC, vCache: VC, lengths: L, out: O, B, Hq, Hkv, Tmax, D, splitSize: split });
    assertClose(await download(gpu, O, B * Hq * D), refAttentionDecode(q, kc, vc, lengths, B, Hq, Hkv, Tmax, D), 1e-5, 1e-4, `decode ${B},${Hq},${Hkv},${Tmax},${D}`);
    for (const b of [Q, KC, VC, L, O]) gpu.free(b);
  }
});

test('bad head counts are rejected', async () => {
  const gpu = await getGpu();
  const X = gpu.alloc(1024);
  assert.throws(() => attention(gpu, { q: X, k: X, v: X, out: X, lse: X, B: 1, Hq: 3, Hkv: 2, Tq: 2, D: 4 }), /multiple of Hkv/);
});

test('a buffer too small for the dims is named, in both families', async () => {
  const gpu = await getGpu();
  const X = gpu.alloc(1 << 16), small = gpu.alloc(64);
  const d = { B: 1, Hq: 2, Hkv: 1, Tq: 64, D: 8 };
  for (const fwd of [attention, flashAttention]) {
    assert.throws(() => fwd(gpu, { ...d, q: small, k: X, v: X, out: X, lse: X }), /buffer 'q' holds \d+ bytes, needs 4096/);
    assert.throws(() => fwd(gpu, { ...d, q: X, k: X, v: X, out: X, lse: small }), /buffer 'lse' holds \d+ bytes, needs 512/);
  }
  gpu.free(X);
  gpu.free(small);
});

test.run();
