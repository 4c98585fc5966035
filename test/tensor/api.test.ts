// Autograd API surface: hooks, detach, noGrad, accumulation; f16 storage; max with index.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as T from '../../src/tensor/index.js';
import { device } from './helpers.js';

test('onGrad hooks see intermediate gradients; detach cuts the graph; noGrad records nothing', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [1, 2, 3], [3], 'f32', { requiresGrad: true });
  const y = T.mul(x, 2);
  let seen: number[] = [];
  T.onGrad(y, (g) => void g.toArray().then((a) => (seen = Array.from(a))));
  const z = T.sum(T.mul(y, y));
  z.backward();
  assert.equal(Array.from(await x.grad!.toArray()), [8, 16, 24]);
  await gpu.sync();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen, [4, 8, 12]);
  const d = T.mul(x, 3).detach();
  assert.is(d.requiresGrad, false);
  const n = T.noGrad(() => T.mul(x, 5));
  assert.is(n.node, null);
  assert.is(n.requiresGrad, false);
});

test('gradients accumulate across backward calls until cleared', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [1, -1], [2], 'f32', { requiresGrad: true });
  T.sum(T.mul(x, x)).backward();
  T.sum(T.mul(x, 3)).backward();
  assert.equal(Array.from(await x.grad!.toArray()), [5, 1]);
});

test('backward twice through the same graph is an error naming the op', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [1, 2], [2], 'f32', { requiresGrad: true });
  const y = T.exp(x);
  const l = T.sum(y);
  l.backward();
  assert.throws(() => l.backward(), /already freed/);
});

test('f16 storage: upload, fused arithmetic in f32, readback', async () => {
  const gpu = await device();
  if (!gpu.hasF16) return;
  const x = T.tensor(gpu, [0.5, -1.25, 3, 65504], [4], 'f16');
  const y = T.cast(T.mul(x, 2), 'f16');
  assert.is(y.dtype, 'f16');
  assert.equal(Array.from(await y.toArray()), [1, -2.5, 6, Infinity]);
  const s = await T.sum(T.cast(x, 'f32')).item();
  assert.is(s, 0.5 - 1.25 + 3 + 65504);
});

test('maxWithIndex returns values and first indices', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [3, 7, 7, 1, -2, -5], [2, 3]);
  const { values, indices } = T.maxWithIndex(x, 1);
  assert.equal(Array.from(await values.toArray()), [7, 1]);
  assert.equal(Array.from(await indices.toArray()), [1, 0]);
});

test('softmax of a fully masked row (-1e9 everywhere) is uniform, not all ones', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [-1e9, -1e9 + 64, -1e9, -1e9], [1, 4]);
  const p = await T.softmax(x).toArray();
  const s = Array.from(p).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(s - 1) < 1e-5, `probabilities sum to ${s}`);
});

test('linear: the residual rides the epilogue (one kernel), bad residual shapes name both shapes, f16 residual falls back', async () => {
  const gpu = await device();
  const x = T.tensor(gpu, [1, 2, 3, 4, 5, 6], [2, 3]);
  const w = T.tensor(gpu, [1, 0, 0, 0, 1, 0], [2, 3]);
  const r = T.tensor(gpu, [10, 20, 30, 40], [2, 2]);
  const before = gpu.counters.dispatches;
  const y = T.linear(x, w, null, r);
  assert.is(gpu.counters.dispatches - before, 1);
  assert.equal(Array.from(await y.toArray()), [11, 22, 34, 45]);
  assert.throws(() => T.linear(x, w, null, T.tensor(gpu, [1, 2], [1, 2])), /residual \[1, 2\] does not match the output \[2, 2\]/);
  if (gpu.hasF16) {
    const r16 = T.cast(r, 'f16');
    assert.equal(Array.from(await T.linear(x, w, null, r16).toArray()), [11, 22, 34, 45]);
  }
});

test.run();
