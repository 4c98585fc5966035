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

test.run();
