// The interval estimates against hand-computed cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapMean, excludesZero, formatEstimate, pairedDifference, quantile, tInterval } from '../../src/train/stats.js';

const close = (a: number, b: number, eps = 1e-3) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test('quantile interpolates linearly between order statistics (numpy default)', () => {
  close(quantile([1, 2, 3, 4], 0.5), 2.5);
  close(quantile([1, 2, 3, 4], 0.25), 1.75);
  close(quantile([5], 0.9), 5);
});

test('bootstrap: 10 ones and 10 zeros give the binomial percentiles [0.30, 0.70]', () => {
  // the resampled mean is Binomial(20, 0.5) / 20: P(X <= 5) = 0.021 < 0.025 < P(X <= 6) = 0.058,
  // so the 2.5th percentile is 6/20; symmetrically the 97.5th is 14/20
  const xs = [...new Array(10).fill(1), ...new Array(10).fill(0)];
  const e = bootstrapMean(xs, { seed: 3 });
  assert.is(e.n, 20);
  close(e.mean, 0.5);
  close(e.lo, 0.3, 0.051);
  close(e.hi, 0.7, 0.051);
  // seeded: the same interval again
  assert.equal(bootstrapMean(xs, { seed: 3 }), e);
});

test('bootstrap: constant data and one value give the point; NaN is left out of n', () => {
  assert.equal(bootstrapMean([0.25, 0.25, 0.25]), { mean: 0.25, lo: 0.25, hi: 0.25, n: 3 });
  assert.equal(bootstrapMean([1, NaN]), { mean: 1, lo: 1, hi: 1, n: 1 });
  assert.is(bootstrapMean([]).n, 0);
  assert.throws(() => bootstrapMean([0, 1], { resamples: 0 }), /resamples/);
});

test('t-interval: [1, 2, 3] is 2 +- 4.303 / sqrt(3)', () => {
  const e = tInterval([1, 2, 3]);
  close(e.mean, 2);
  close(e.lo, 2 - 2.4843);
  close(e.hi, 2 + 2.4843);
  assert.is(e.n, 3);
  // one seed: no spread to estimate
  assert.equal(tInterval([0.4]), { mean: 0.4, lo: -Infinity, hi: Infinity, n: 1 });
});

test('paired difference: d = [2, 2, 3] excludes zero; unpaired spread would not matter', () => {
  const d = pairedDifference([3, 4, 6], [1, 2, 3]);
  close(d.mean, 7 / 3);
  close(d.lo, 7 / 3 - 1.4343);
  close(d.hi, 7 / 3 + 1.4343);
  assert.ok(excludesZero(d));
  assert.not.ok(excludesZero(pairedDifference([1, 3, 2], [2, 2, 2])));
  assert.throws(() => pairedDifference([1], [1, 2]), /1 vs 2/);
});

test('formatEstimate', () => {
  assert.is(formatEstimate({ mean: 0.5, lo: 0.25, hi: 0.75, n: 4 }, { pct: true }), '50.0% [25.0%, 75.0%] n=4');
  assert.is(formatEstimate({ mean: 0.5, lo: -Infinity, hi: Infinity, n: 1 }), '0.500 [-inf, +inf] n=1');
  assert.is(formatEstimate(undefined), '-');
});

test.run();
