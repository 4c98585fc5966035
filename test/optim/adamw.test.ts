import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { AdamW } from '../../src/optim/adamw.js';

/** float64 AdamW reference on host arrays */
function refStep(p: number[], g: number[], m: number[], v: number[], t: number, lr: number, b1: number, b2: number, eps: number, wd: number, clip: number): void {
  const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  const c = clip > 0 ? Math.min(1, clip / (norm + 1e-6)) : 1;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] * c;
    m[i] = b1 * m[i] + (1 - b1) * gi;
    v[i] = b2 * v[i] + (1 - b2) * gi * gi;
    const u = m[i] / (1 - b1 ** t) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    p[i] -= lr * (u + wd * p[i]);
  }
}

test('AdamW with clipping and weight decay matches a float64 reference over 5 steps', async () => {
  const gpu = await getGpu();
  const p0 = [0.5, -1.25, 2, 0.1, -0.3];
  const p = T.tensor(gpu, p0, [5], 'f32', { requiresGrad: true });
  const opt = new AdamW(new Map([['w', p]]), { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, noDecay: () => false });
  const rp = [...p0], rm = new Array(5).fill(0), rv = new Array(5).fill(0);
  for (let t = 1; t <= 5; t++) {
    const gHost = p0.map((x, i) => Math.sin(t + i) * 3);
    opt.zeroGrad();
    p.grad = T.keep(T.tensor(gpu, gHost, [5]));
    const r = await opt.stepAsync(0.01, 1.0);
    assert.ok(r.applied);
    refStep(rp, gHost, rm, rv, t, 0.01, 0.9, 0.99, 1e-8, 0.1, 1.0);
  }
  const got = await p.toArray();
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(got[i] - rp[i]) < 1e-5, `p[${i}] ${got[i]} vs ${rp[i]}`);
});

test('a non-finite gradient skips the step and names the parameter', async () => {
  const gpu = await getGpu();
  const a = T.tensor(gpu, [1, 2], [2], 'f32', { requiresGrad: true });
  const b = T.tensor(gpu, [3], [1], 'f32', { requiresGrad: true });
  const opt = new AdamW(new Map([['a', a], ['b', b]]));
  a.grad = T.keep(T.tensor(gpu, [0.1, 0.2], [2]));
  b.grad = T.keep(T.tensor(gpu, [NaN], [1]));
  const r = await opt.stepAsync(0.1);
  assert.is(r.applied, false);
  assert.equal(r.nonFinite, ['b']);
  assert.equal(Array.from(await a.toArray()), [1, 2]);
});

test('state() / loadState() round trip: a restored optimizer continues bit-identically', async () => {
  const gpu = await getGpu();
  const shapes: [string, number[]][] = [['w', [3, 4]], ['norm.weight', [4]]];
  const init = (i: number, n: number) => Float32Array.from({ length: n }, (_, j) => Math.cos(1 + i * 7 + j));
  const grad = (step: number, i: number, n: number) => Float32Array.from({ length: n }, (_, j) => Math.sin(step * 3 + i + j * 0.7) * 2);
  const make = (values: Float32Array[]) => new Map(shapes.map(([name, shape], i) => [name, T.tensor(gpu, values[i], shape, 'f32', { requiresGrad: true })]));
  const run = async (opt: AdamW, params: Map<string, T.Tensor>, from: number, to: number) => {
    for (let step = from; step < to; step++) {
      opt.zeroGrad();
      [...params.values()].forEach((p, i) => (p.grad = T.keep(T.tensor(gpu, grad(step, i, p.size), p.shape))));
      assert.ok((await opt.stepAsync(0.05, 0.5)).applied);
    }
  };
  const host = async (params: Map<string, T.Tensor>) => Promise.all([...params.values()].map((p) => p.toFloat32Array()));
  const hyper = { beta1: 0.8, beta2: 0.9, weightDecay: 0.1 };

  const a = make(shapes.map(([, s], i) => init(i, s.reduce((x, y) => x * y, 1))));
  const optA = new AdamW(a, hyper);
  await run(optA, a, 0, 3);
  const saved = await optA.state();
  assert.is(saved.step, 3);
  assert.equal([...saved.tensors.keys()].sort(), ['norm.weight.exp_avg', 'norm.weight.exp_avg_sq', 'w.exp_avg', 'w.exp_avg_sq']);
  const b = make(await host(a));
  await run(optA, a, 3, 6);

  const optB = new AdamW(b, hyper);
  optB.loadState(saved);
  await run(optB, b, 3, 6);
  const [pa, pb] = [await host(a), await host(b)];
  for (let i = 0; i < pa.length; i++) assert.equal(Array.from(pb[i]), Array.from(pa[i]), `parameter ${shapes[i][0]}`);
  const [sa, sb] = [await optA.state(), await optB.state()];
  assert.is(sb.step, 6);
  for (const [k, t] of sa.tensors) assert.equal(Array.from(sb.tensors.get(k)!.data), Array.from(t.data), k);
});

test('loadState names a missing or misshapen moment and changes nothing', async () => {
  const gpu = await getGpu();
  const p = T.tensor(gpu, [1, 2, 3], [3], 'f32', { requiresGrad: true });
  const opt = new AdamW(new Map([['w', p]]));
  const m = { shape: [3], data: new Float32Array([1, 1, 1]) };
  assert.throws(() => opt.loadState({ step: 2, tensors: new Map([['w.exp_avg', m]]) }), /w\.exp_avg_sq/);
  assert.throws(() => opt.loadState({ step: 2, tensors: new Map([['w.exp_avg', m], ['w.exp_avg_sq', { shape: [2], data: new Float32Array(2) }]]) }), /'w\.exp_avg_sq' has shape \[2\]/);
  assert.is(opt.step, 0);
  assert.equal(Array.from(await opt.m.get('w')!.toArray()), [0, 0, 0]);
});

test.run();
