// AdamW (flat, multi-tensor, per-tensor decay, clipping by an on-GPU norm) and the global
// gradient norm vs float64. Tolerances: norm 1e-5 relative; AdamW 1e-6 + 1e-5 relative.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, rng, randn, upload, download, assertClose } from './helpers.js';
import { adamw, adamwMulti } from '../../src/kernels/adamw.js';
import { globalNorm } from '../../src/kernels/gradnorm.js';
import { refAdamw } from '../../src/kernels/reference/misc.js';

test('global norm over many buffers of ragged sizes, with offsets', async () => {
  const gpu = await getGpu();
  const r = rng(1);
  const sizes = [1, 0, 4095, 4096, 4097, 20000, 3, 7, 9, 11, 100, 5000, 1];
  const arrays = sizes.map((n) => randn(r, n + 2));
  const bufs = arrays.map((a) => upload(gpu, a));
  const out = gpu.alloc(4);
  globalNorm(gpu, sizes.map((n, i) => ({ buffer: bufs[i], n, offset: 2 })), out);
  let want = 0;
  arrays.forEach((a, i) => { for (let j = 2; j < 2 + sizes[i]; j++) want += a[j] * a[j]; });
  const got = (await download(gpu, out, 1))[0];
  assert.ok(Math.abs(got - Math.sqrt(want)) <= 1e-5 * Math.sqrt(want), `norm ${got} vs ${Math.sqrt(want)}`);
  globalNorm(gpu, [], out);
  assert.is((await download(gpu, out, 1))[0], 0);
});

test('AdamW on one flat buffer matches the reference over several steps', async () => {
  const gpu = await getGpu();
  const r = rng(2);
  const n = 1000;
  let p = Float64Array.from(randn(r, n)), m = new Float64Array(n), v = new Float64Array(n);
  const P = upload(gpu, Float32Array.from(p)), G = gpu.alloc(n * 4), M = upload(gpu, new Float32Array(n)), V = upload(gpu, new Float32Array(n));
  for (let step = 1; step <= 3; step++) {
    const g = randn(r, n);
    gpu.write(G, g);
    const h = { lr: 1e-2, weightDecay: 0.1, step, gradScale: 0.5 };
    adamw(gpu, { param: P, grad: G, m: M, v: V, n }, h);
    ({ param: p, m, v } = refAdamw(p, g, m, v, h));
  }
  assertClose(await download(gpu, P, n), p, 1e-6, 1e-5, 'param');
  assertClose(await download(gpu, M, n), m, 1e-6, 1e-5, 'm');
  assertClose(await download(gpu, V, n), v, 1e-7, 1e-5, 'v');
});

test('AdamW over many tensors with offsets, per-tensor decay, and clipping by the on-GPU norm', async () => {
  const gpu = await getGpu();
  const r = rng(3);
  const sizes = [5, 64, 1, 130, 77, 3, 200];
  const ts = sizes.map((n, i) => {
    const off = i % 2;
    const p = randn(r, n + off), g = randn(r, n + off, 4), m = randn(r, n + off, 0.1), v = randn(r, n + off, 0.1).map(Math.abs);
    return { n, off, p, g, m, v, wd: i === 2 ? 0 : undefined, P: upload(gpu, p), G: upload(gpu, g), M: upload(gpu, m), V: upload(gpu, v) };
  });
  const norm = gpu.alloc(4);
  globalNorm(gpu, ts.map((t) => ({ buffer: t.G, n: t.n, offset: t.off })), norm);
  let sq = 0;
  for (const t of ts) for (let j = t.off; j < t.off + t.n; j++) sq += t.g[j] ** 2;
  const maxNorm = 1.0;
  const clip = Math.min(1, maxNorm / (Math.sqrt(sq) + 1e-6));
  const h = { lr: 3e-3, weightDecay: 0.05, step: 7, beta1: 0.8, beta2: 0.99, eps: 1e-6 };
  adamwMulti(gpu, ts.map((t) => ({ param: t.P, grad: t.G, m: t.M, v: t.V, n: t.n, offset: t.off, weightDecay: t.wd })), { ...h, gradNorm: norm, maxNorm });
  for (const [i, t] of ts.entries()) {
    const sl = (a: Float32Array) => a.subarray(t.off, t.off + t.n);
    const want = refAdamw(sl(t.p), sl(t.g), sl(t.m), sl(t.v), { ...h, weightDecay: t.wd ?? h.weightDecay, clip });
    assertClose(await download(gpu, t.P, t.n, t.off), want.param, 1e-6, 1e-5, `tensor ${i} param`);
    assertClose(await download(gpu, t.M, t.n, t.off), want.m, 1e-6, 1e-5, `tensor ${i} m`);
  }
});

test('AdamW rejects step 0 and aliased buffers', async () => {
  const gpu = await getGpu();
  const A = gpu.alloc(64), B = gpu.alloc(64), C = gpu.alloc(64), D = gpu.alloc(64);
  assert.throws(() => adamw(gpu, { param: A, grad: B, m: C, v: D, n: 4 }, { lr: 1, step: 0 }), /step must be >= 1/);
  assert.throws(() => adamw(gpu, { param: A, grad: A, m: C, v: D, n: 4 }, { lr: 1, step: 1 }), /distinct/);
});

test.run();
