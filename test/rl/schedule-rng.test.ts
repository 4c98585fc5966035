import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lrAt, warmupSteps } from '../../src/rl/schedule.js';
import { Rng } from '../../src/util/rng.js';
import { close } from './close.js';

test('warmup 3% + cosine to a 10% floor (hand-computed)', () => {
  const o = { peak: 1e-3, totalSteps: 100 };
  assert.is(warmupSteps(o), 3);
  close(lrAt(0, o), 1e-3 / 3);
  close(lrAt(1, o), 2e-3 / 3);
  close(lrAt(2, o), 1e-3);
  close(lrAt(3, o), 1e-3); // start of the cosine: peak
  // half way through the cosine: (3 + 99) / 2 = 51 -> p = 0.5 -> floor + (peak - floor) / 2
  close(lrAt(51, o), 1e-4 + 0.9e-3 / 2);
  close(lrAt(99, o), 1e-4); // last step: the floor
  close(lrAt(500, o), 1e-4); // past the end: stays at the floor
  // monotone after warmup
  for (let s = 3; s < 99; s++) assert.ok(lrAt(s + 1, o) <= lrAt(s, o));
});

test('schedule options: explicit warmup, zero warmup, custom floor, bad input', () => {
  close(lrAt(0, { peak: 2, totalSteps: 10, warmupSteps: 0, floorFrac: 0 }), 2);
  close(lrAt(9, { peak: 2, totalSteps: 10, warmupSteps: 0, floorFrac: 0 }), 0);
  close(lrAt(4, { peak: 2, totalSteps: 10, warmupSteps: 5 }), 2);
  close(lrAt(0, { peak: 1, totalSteps: 1 }), 1); // one-step run: warmup of 1 step
  assert.throws(() => lrAt(-1, { peak: 1, totalSteps: 10 }), /step must be an integer >= 0/);
  assert.throws(() => lrAt(0, { peak: 1, totalSteps: 0 }), /totalSteps must be an integer >= 1/);
});

test('RNG: same seed same stream, different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xa = Array.from({ length: 50 }, () => a.next());
  const xb = Array.from({ length: 50 }, () => b.next());
  const xc = Array.from({ length: 50 }, () => c.next());
  assert.equal(xa, xb);
  assert.not.equal(xa, xc);
  assert.ok(xa.every((x) => x >= 0 && x < 1));
  assert.not.equal(new Rng('42').next(), new Rng(42).next());
});

test('RNG: state round-trips through JSON and resumes the exact stream', () => {
  const a = new Rng('run-1');
  for (let i = 0; i < 17; i++) a.next();
  a.int(7);
  const saved = JSON.stringify(a.state());
  const cont = Array.from({ length: 20 }, () => a.u32());
  const b = Rng.fromState(JSON.parse(saved));
  assert.equal(Array.from({ length: 20 }, () => b.u32()), cont);
  assert.throws(() => Rng.fromState({ key: [1], counter: 0 } as never), /malformed state/);
});

test('RNG: split streams are independent of each other and of the parent', () => {
  const p = new Rng(7);
  const before = p.state();
  const s1 = p.split('data');
  const s2 = p.split('sampler');
  assert.equal(p.state(), before); // splitting consumes nothing
  assert.equal(p.split('data').next(), s1.next() && new Rng(7).split('data').next());
  const x1 = Array.from({ length: 10 }, () => s1.u32());
  const x2 = Array.from({ length: 10 }, () => s2.u32());
  assert.not.equal(x1, x2);
  assert.not.equal(p.split(1).next(), p.split(2).next());
});

test('RNG: rough uniformity, unbiased ints, normals, shuffle is a permutation', () => {
  const r = new Rng(1);
  const n = 20000;
  let sum = 0;
  const bins = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const x = r.next();
    sum += x;
    bins[Math.floor(x * 10)]++;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  for (const b of bins) assert.ok(Math.abs(b - n / 10) < 5 * Math.sqrt(n / 10), `bin ${b}`);
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[r.int(3)]++;
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 150);
  let m = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    m += z;
    v += z * z;
  }
  assert.ok(Math.abs(m / n) < 0.03 && Math.abs(v / n - 1) < 0.05);
  const p = r.permutation(50);
  assert.equal([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.is(r.categorical([0, 0, 5, 0]), 2);
  assert.throws(() => r.categorical([0, 0]), /all weights are zero/);
  assert.throws(() => r.int(0), /n must be an integer/);
});

test.run();
