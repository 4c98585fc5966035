// The GPU clipped surrogate (what the trainer optimises) against the float64 reference:
// value, clip fraction, approx KL and gradient.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { clippedSurrogateLoss } from '../../src/train/policy.js';
import { clippedSurrogate } from '../../src/rl/loss.js';
import { seededRandom } from '../../src/tensor/reference.js';
import type { PaddedBatch } from '../../src/rl/buffer.js';

test('clipped surrogate: value, clip fraction and gradient match src/rl/loss.ts', async () => {
  const gpu = await getGpu();
  const rng = seededRandom(5);
  const B = 3, Tn = 7;
  const n = B * Tn;
  const logp = Float32Array.from({ length: n }, () => -2 * rng());
  const old = Float32Array.from(logp, (v) => v + (rng() - 0.5) * 0.8);
  const adv = Float32Array.from({ length: n }, () => rng() * 2 - 1);
  const mask = Float32Array.from({ length: n }, (_, i) => (i % Tn >= 2 && !(i >= 2 * Tn + 5) ? 1 : 0));
  const batch = { B, T: Tn, oldLogProbs: old, advantages: adv, actionMask: mask } as unknown as PaddedBatch;
  const lp = T.tensor(gpu, logp, [B, Tn], 'f32', { requiresGrad: true });
  const s = clippedSurrogateLoss(lp, batch, 0.2, 0.28);
  s.loss.backward();
  const rows = (a: Float32Array) => Array.from({ length: B }, (_, b) => Array.from(a.slice(b * Tn, (b + 1) * Tn)));
  const want = clippedSurrogate({ logProbs: rows(logp), oldLogProbs: rows(old), advantages: rows(adv), mask: rows(mask) }, { epsLow: 0.2, epsHigh: 0.28 });
  assert.ok(Math.abs((await s.loss.item()) - want.loss) < 1e-5, `loss ${await s.loss.item()} vs ${want.loss}`);
  assert.ok(Math.abs((await s.clipFrac.item()) - want.stats.clipFrac) < 1e-6, 'clip fraction');
  // one approx-KL formula on both sides (k3 of src/rl/kl.ts), and it is not the reversed one
  const kl = await s.approxKl.item();
  assert.ok(Math.abs(kl - want.stats.approxKl) < 1e-5, `approx KL ${kl} (GPU) vs ${want.stats.approxKl} (CPU)`);
  assert.ok(want.stats.approxKl > 1e-3, 'the batch must have a log-ratio far enough from 0 to tell the formulas apart');
  const g = await lp.grad!.toArray();
  const wg = want.grad.flat();
  for (let i = 0; i < n; i++) assert.ok(Math.abs(g[i] - wg[i]) < 1e-5, `grad[${i}] ${g[i]} vs ${wg[i]}`);
});

test('approx_kl is never negative: k3 = exp(-d) - 1 + d cancels in f32 for tiny log-ratios, so it is clamped at 0', async () => {
  const gpu = await getGpu();
  const n = 64;
  // log-ratios of 4e-5..3e-4 of both signs: unclamped, this batch's f32 mean was -2.8e-9
  const old = Float32Array.from({ length: n }, (_, i) => -0.5 - i * 0.013);
  const cur = Float32Array.from(old, (v, i) => v + ((i % 2 ? 3e-4 : -3e-4) * ((i % 7) + 1)) / 7);
  const batch = { B: 1, T: n, oldLogProbs: old, advantages: new Float32Array(n).fill(1), actionMask: new Float32Array(n).fill(1) } as unknown as PaddedBatch;
  const s = clippedSurrogateLoss(T.tensor(gpu, cur, [1, n]), batch, 0.2, 0.2);
  const kl = await s.approxKl.item();
  assert.ok(kl >= 0 && kl < 1e-6, `approx_kl ${kl}`);
});

test.run();
