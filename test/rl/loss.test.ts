import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clippedSurrogate, type SurrogateBatch } from '../../src/rl/loss.js';
import { Rng } from '../../src/util/rng.js';
import { close, closeAll } from './close.js';

const one = (logRatio: number, a: number, opts = {}) =>
  clippedSurrogate({ logProbs: [[-1 + logRatio]], oldLogProbs: [[-1]], advantages: [[a]], mask: [[1]] }, opts);

test('ratio 1: plain policy gradient, loss = -A, grad = -A', () => {
  const r = one(0, 2);
  close(r.loss, -2);
  closeAll(r.grad[0]!, [-2]);
  assert.is(r.stats.clipFrac, 0);
  close(r.stats.ratioMean, 1);
  close(r.stats.approxKl, 0);
});

test('hand-computed clip cases (eps 0.2)', () => {
  const l15 = Math.log(1.5);
  const l05 = Math.log(0.5);
  // r = 1.5, A = +1: clipped at 1.2, no gradient
  let r = one(l15, 1);
  close(r.loss, -1.2);
  closeAll(r.grad[0]!, [0]);
  close(r.stats.clipFrac, 1);
  close(r.stats.approxKl, 1 / 1.5 - 1 + l15); // k3 = exp(-d) - 1 + d, d = ln 1.5
  close(r.stats.ratioMean, 1.5);
  // r = 1.5, A = -1: the unclipped term is the min; gradient -A r
  r = one(l15, -1);
  close(r.loss, 1.5);
  closeAll(r.grad[0]!, [1.5]);
  close(r.stats.clipFrac, 0);
  // r = 0.5, A = +1: unclipped is the min
  r = one(l05, 1);
  close(r.loss, -0.5);
  closeAll(r.grad[0]!, [-0.5]);
  // r = 0.5, A = -1: clipped at 0.8, no gradient
  r = one(l05, -1);
  close(r.loss, 0.8);
  closeAll(r.grad[0]!, [0]);
  close(r.stats.clipFrac, 1);
});

test('asymmetric clip (clip-higher): eps_high 0.28 lets r = 1.25 through', () => {
  const r = one(Math.log(1.25), 1, { epsLow: 0.2, epsHigh: 0.28 });
  close(r.loss, -1.25);
  closeAll(r.grad[0]!, [-1.25]);
  const c = one(Math.log(1.25), 1);
  close(c.loss, -1.2);
  closeAll(c.grad[0]!, [0]);
});

test('token-level masked mean over a ragged batch', () => {
  const l15 = Math.log(1.5);
  const r = clippedSurrogate({
    logProbs: [[-1, 999], [-2 + l15]],
    oldLogProbs: [[-1, -3], [-2]],
    advantages: [[1, 1e6], [-1]],
    mask: [[1, 0], [1]],
  });
  close(r.loss, (-1 + 1.5) / 2);
  closeAll(r.grad[0]!, [-0.5, 0]);
  closeAll(r.grad[1]!, [0.75]);
  assert.is(r.stats.tokens, 2);
  close(r.stats.ratioMean, 1.25);
});

test('log-ratio is clamped to +-20 and the clamp stops the gradient', () => {
  const r = one(30, -1);
  close(r.loss, Math.exp(20), 1e-12);
  closeAll(r.grad[0]!, [0]);
  assert.ok(Number.isFinite(r.stats.approxKl));
});

test('empty mask gives loss 0 and zero gradient, not NaN', () => {
  const r = clippedSurrogate({ logProbs: [[0]], oldLogProbs: [[0]], advantages: [[1]], mask: [[0]] });
  assert.is(r.loss, 0);
  assert.equal(r.grad, [[0]]);
});

test('hostile input is named', () => {
  assert.throws(() => clippedSurrogate({ logProbs: [[0, 0]], oldLogProbs: [[0]], advantages: [[1, 1]], mask: [[1, 1]] }), /response 0 lengths differ/);
  assert.throws(() => clippedSurrogate({ logProbs: [[NaN]], oldLogProbs: [[0]], advantages: [[1]], mask: [[1]] }), /non-finite log-ratio at response 0, token 0/);
});

test('analytic gradient matches central finite differences (random batch, away from kinks)', () => {
  const rng = new Rng('loss-fd');
  const opts = { epsLow: 0.2, epsHigh: 0.28 };
  const b: SurrogateBatch & { logProbs: number[][] } = { logProbs: [], oldLogProbs: [], advantages: [], mask: [] };
  for (let i = 0; i < 6; i++) {
    const n = 1 + rng.int(7);
    const old = Array.from({ length: n }, () => -0.1 - 3 * rng.next());
    b.oldLogProbs.push(old);
    b.logProbs.push(old.map((o) => o + 0.6 * rng.normal()));
    b.advantages.push(Array.from({ length: n }, () => rng.normal()));
    b.mask.push(Array.from({ length: n }, () => (rng.next() < 0.8 ? 1 : 0)));
  }
  const base = clippedSurrogate(b, opts);
  let checked = 0;
  let zeros = 0;
  const h = 1e-6;
  for (let i = 0; i < b.logProbs.length; i++) {
    for (let t = 0; t < b.logProbs[i]!.length; t++) {
      const r = Math.exp(b.logProbs[i]![t]! - (b.oldLogProbs[i] as number[])[t]!);
      if (Math.abs(r - 0.8) < 1e-3 || Math.abs(r - 1.28) < 1e-3) continue; // kink
      const x = b.logProbs[i]![t]!;
      b.logProbs[i]![t] = x + h;
      const up = clippedSurrogate(b, opts).loss;
      b.logProbs[i]![t] = x - h;
      const dn = clippedSurrogate(b, opts).loss;
      b.logProbs[i]![t] = x;
      const fd = (up - dn) / (2 * h);
      close(base.grad[i]![t]!, fd, 1e-6, `grad[${i}][${t}]`);
      if (base.grad[i]![t] === 0) zeros++;
      checked++;
    }
  }
  assert.ok(checked >= 15, `checked ${checked}`);
  // the batch must exercise both the clipped (zero-gradient) and the live branches
  assert.ok(zeros > 0 && zeros < checked, `zeros ${zeros} of ${checked}`);
  assert.ok(base.stats.clipFrac > 0);
});

test.run();
