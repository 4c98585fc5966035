// Fusion, memory discipline, errors, the seeded generator, random shapes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Gpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { philoxUniform } from '../../src/kernels/expr.js';
import { ref, seededRandom, randomRef, Ref } from '../../src/tensor/reference.js';
import { device, up, assertClose } from './helpers.js';

test('gelu(x*w+b) is one kernel; with fusion off it is three', async () => {
  const gpu = await device();
  const x = T.randn(gpu, [64, 33]), w = T.randn(gpu, [33]), b = T.randn(gpu, [64, 1]);
  await gpu.sync();
  let before = gpu.counters.dispatches;
  const y = T.gelu(T.add(T.mul(x, w), b)).realise();
  assert.is(gpu.counters.dispatches - before, 1, 'fused');
  T.FUSION.enabled = false;
  try {
    before = gpu.counters.dispatches;
    const z = T.gelu(T.add(T.mul(x, w), b));
    assert.is(gpu.counters.dispatches - before, 3, 'unfused');
    const a = await y.toArray(), c = await z.toArray();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - c[i]) < 1e-5);
  } finally {
    T.FUSION.enabled = true;
  }
});

test('a pointwise prologue fuses into the reduction: sum((x - m)^2) is one kernel after m', async () => {
  const gpu = await device();
  const x = T.randn(gpu, [16, 100]);
  const m = T.mean(x, -1, true);
  await gpu.sync();
  const before = gpu.counters.dispatches;
  const s = T.sum(T.square(T.sub(x, m)), -1);
  assert.is(gpu.counters.dispatches - before, 1);
  s.dispose();
});

test('shape mismatches name the op and both shapes', async () => {
  const gpu = await device();
  const a = T.zeros(gpu, [2, 3]), b = T.zeros(gpu, [4]);
  assert.throws(() => T.add(a, b), /add: shapes \[2, 3\] and \[4\] cannot be broadcast/);
  assert.throws(() => T.matmul(a, T.zeros(gpu, [4, 5])), /matmul: inner dimensions differ: \[2, 3\] @ \[4, 5\]/);
  assert.throws(() => T.reshape(a, [4, 2]), /reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4, 2\]/);
});

test('using a disposed tensor says so; mixing devices says so', async () => {
  const gpu = await device();
  const a = T.ones(gpu, [3]);
  a.dispose();
  assert.throws(() => T.exp(a), /exp: tensor .* was disposed/);
  const other = await Gpu.create();
  try {
    const x = T.ones(gpu, [2]), y = T.ones(other, [2]);
    assert.throws(() => T.add(x, y), /different GPU devices/);
  } finally {
    other.destroy();
  }
});

test('tidy frees intermediates and keeps what is returned', async () => {
  const gpu = await device();
  await gpu.sync();
  const before = T.memoryStats();
  const kept = T.tidy(() => {
    const a = T.randn(gpu, [100]);
    const b = T.exp(a).realise();
    return T.sum(b);
  });
  const mid = T.memoryStats();
  assert.is(mid.liveTensors, before.liveTensors + 1);
  kept.dispose();
  const after = T.memoryStats();
  assert.is(after.liveTensors, before.liveTensors);
  assert.is(after.storageBytes, before.storageBytes);
});

test('200 SGD steps of an MLP: live GPU bytes at step 200 equal step 10', async () => {
  const gpu = await device();
  T.manualSeed(7);
  const w1 = T.keep(T.mul(T.randn(gpu, [8, 32]), 0.3).realise()).requireGrad();
  const b1 = T.keep(T.zeros(gpu, [32]).realise()).requireGrad();
  const w2 = T.keep(T.mul(T.randn(gpu, [32, 1]), 0.3).realise()).requireGrad();
  const params = [w1, b1, w2];
  const xs = T.keep(T.randn(gpu, [64, 8]));
  const ys = T.keep(T.sin(T.sum(xs, -1, true)).realise());
  let at10 = 0, loss0 = 0, lossEnd = 0;
  for (let step = 1; step <= 200; step++) {
    const loss = T.tidy(() => {
      const h = T.tanh(T.add(T.matmul(xs, w1), b1));
      const out = T.matmul(h, w2);
      const l = T.mean(T.square(T.sub(out, ys)));
      l.backward();
      T.noGrad(() => {
        for (const p of params) {
          T.assign(p, T.sub(p, T.mul(p.grad!, 0.1)));
          p.grad!.dispose();
          p.grad = null;
        }
      });
      return l;
    });
    if (step === 1) loss0 = await loss.item();
    if (step === 200) lossEnd = await loss.item();
    loss.dispose();
    await gpu.sync();
    if (step === 10) at10 = T.memoryStats().storageBytes;
  }
  const at200 = T.memoryStats().storageBytes;
  assert.is(at200, at10, `live bytes grew from ${at10} to ${at200}`);
  assert.ok(lossEnd < loss0 * 0.5, `loss did not fall: ${loss0} -> ${lossEnd}`);
});

test('rand matches the Philox reference bit for bit and is reproducible for a seed', async () => {
  const gpu = await device();
  T.manualSeed(42);
  const a = await T.rand(gpu, [1000]).toArray();
  T.manualSeed(42);
  const b = await T.rand(gpu, [1000]).toArray();
  assert.equal(Array.from(a), Array.from(b));
  // the stream is Philox(key, index): recompute every value with the JS implementation
  const st = T.getGeneratorState();
  assert.is(st.counter, 1);
  const [k0, k1] = T.philoxKey(42, 0);
  for (let i = 0; i < a.length; i++) assert.is(a[i], philoxUniform(k0, k1, i), `element ${i}`);
  let mean = 0;
  for (const v of a) mean += v / a.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('randn has mean 0 and std 1; dropout keeps 1-p and rescales', async () => {
  const gpu = await device();
  T.manualSeed(3);
  const z = await T.randn(gpu, [20000]).toArray();
  let m = 0, v = 0;
  for (const x of z) m += x / z.length;
  for (const x of z) v += (x - m) ** 2 / z.length;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(Math.sqrt(v) - 1) < 0.03, `mean ${m} std ${Math.sqrt(v)}`);
  const ones = T.ones(gpu, [20000]);
  const d = await T.dropout(ones, 0.25).toArray();
  let kept = 0;
  for (const x of d) if (x !== 0) { kept++; assert.ok(Math.abs(x - 1 / 0.75) < 1e-6); }
  assert.ok(Math.abs(kept / d.length - 0.75) < 0.02, `kept ${kept / d.length}`);
});

test('random shapes (ragged, size-1, broadcast, transposed) match the reference', async () => {
  const gpu = await device();
  const rng = seededRandom(99);
  const dim = () => [1, 2, 3, 5, 7, 13, 17, 31, 65][Math.floor(rng() * 9)];
  for (let trial = 0; trial < 12; trial++) {
    const rank = 1 + Math.floor(rng() * 3);
    const sa = Array.from({ length: rank }, dim);
    const sb = sa.map((d) => (rng() < 0.3 ? 1 : d)).slice(Math.floor(rng() * rank));
    const a = randomRef(rng, sa), b = randomRef(rng, sb);
    const ta = up(gpu, a), tb = up(gpu, b);
    await assertClose(T.mul(T.sub(ta, tb), T.tanh(ta)), ref.binary('mul', ref.binary('sub', a, b), ref.unary('tanh', a)), `pointwise [${sa}] [${sb}]`, 1e-5, 1e-6);
    const axis = Math.floor(rng() * rank);
    await assertClose(T.sum(ta, axis), ref.reduce(a, [axis], 'sum'), `sum [${sa}] axis ${axis}`, 1e-4, 1e-5);
    await assertClose(T.max(ta, axis, true), ref.reduce(a, [axis], 'max', true), `max [${sa}] axis ${axis}`, 0, 1e-7);
    const M = dim(), K = dim(), N = dim(), B = [1, 2, 3][Math.floor(rng() * 3)];
    const ma = randomRef(rng, [B, M, K]), mb = randomRef(rng, [K, N]);
    await assertClose(T.matmul(up(gpu, ma), up(gpu, mb)), ref.matmul(ma, mb), `matmul [${B},${M},${K}]x[${K},${N}]`, 1e-4, 1e-5);
    const mt = randomRef(rng, [N, K]);
    const tmt = T.transpose(up(gpu, mt));
    await assertClose(T.matmul(up(gpu, ma), tmt), ref.matmul(ma, ref.transpose(mt, [1, 0])), `matmul transB [${B},${M},${K}]`, 1e-4, 1e-5);
  }
  // a long reduction with few outputs takes the two-pass path
  const big = randomRef(rng, [2, 50000]);
  await assertClose(T.sum(up(gpu, big), -1), ref.reduce(big, [1], 'sum'), 'two-pass sum', 1e-4, 1e-3);
  const am = await T.argmax(up(gpu, Ref.from([1, 5, 2, 5, 0, -1], [2, 3])), -1).toArray();
  assert.equal(Array.from(am), [1, 0]);
});

test.run();
