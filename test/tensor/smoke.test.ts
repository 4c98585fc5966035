import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { device, up, assertClose } from './helpers.js';
import * as T from '../../src/tensor/index.js';
import { ref, seededRandom, randomRef } from '../../src/tensor/reference.js';

test('add, mul, exp fuse and match the reference', async () => {
  const gpu = await device();
  const rng = seededRandom(1);
  const a = randomRef(rng, [3, 5]), b = randomRef(rng, [5]);
  const ta = up(gpu, a), tb = up(gpu, b);
  const before = gpu.counters.dispatches;
  const y = T.exp(T.mul(T.add(ta, tb), 0.5));
  await assertClose(y, ref.unary('exp', ref.map(ref.binary('add', a, b), (v) => v * 0.5)), 'exp((a+b)*0.5)');
  assert.is(gpu.counters.dispatches - before, 1, 'one fused kernel');
});

test('matmul and backward', async () => {
  const gpu = await device();
  const rng = seededRandom(2);
  const a = randomRef(rng, [4, 3]), b = randomRef(rng, [3, 5]);
  const ta = up(gpu, a, true), tb = up(gpu, b, true);
  const y = T.matmul(ta, tb);
  await assertClose(y, ref.matmul(a, b), 'matmul', 1e-4, 1e-5);
  const loss = T.sum(y);
  loss.backward();
  // d sum(AB)/dA = 1 @ B^T
  const ones = new (await import('../../src/tensor/reference.js')).Ref(new Float64Array(20).fill(1), [4, 5]);
  await assertClose(ta.grad!, ref.matmul(ones, ref.transpose(b, [1, 0])), 'dA', 1e-4, 1e-5);
  await assertClose(tb.grad!, ref.matmul(ref.transpose(a, [1, 0]), ones), 'dB', 1e-4, 1e-5);
});

test.run();
