import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rewardTrend, windowStat, formatTrend } from '../../src/train/trend.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('window mean and standard error, by hand', () => {
  // mean 2, sample variance ((1)^2 + 0 + 1^2) / 2 = 1, se = sqrt(1/3)
  const s = windowStat([1, 2, 3]);
  close(s.mean, 2);
  close(s.se, Math.sqrt(1 / 3));
  assert.is(s.n, 3);
  assert.ok(Number.isNaN(windowStat([4]).se));
  assert.is(windowStat([NaN, 5]).n, 1); // non-finite steps (no valid doc) are skipped
  assert.is(windowStat([]).n, 0);
});

test('first vs last third of the steps, with the change in standard errors', () => {
  const rows = [0.1, 0.2, 0.3, 0.5, 0.5, 0.5, 0.7, 0.8, 0.9].map((v, i) => ({ step: i + 1, reward_code2doc: v }));
  rows.push({ step: 10, reward_code2doc: undefined as unknown as number }); // an eval row: skipped
  const [t] = rewardTrend(rows, ['reward_code2doc']);
  close(t.first.mean, 0.2);
  close(t.last.mean, 0.8);
  close(t.change, 0.6);
  const se = Math.sqrt(0.01 / 3); // both windows: sample variance 0.01
  close(t.first.se, se, 1e-12);
  close(t.z, 0.6 / Math.sqrt(2 * se * se), 1e-9);
  assert.match(formatTrend([t]), /^R_c2d 0\.200±0\.058 -> 0\.800±0\.058 \(\+0\.600, 7\.3 se\)$/);
});

test('a flat noisy series shows no significant change; short series still summarised', () => {
  const rows = [0.3, 0.5, 0.3, 0.5, 0.3, 0.5].map((v) => ({ format_valid: v }));
  const [t] = rewardTrend(rows, ['format_valid']);
  close(t.change, 0);
  const two = rewardTrend([{ format_valid: 0.1 }, { format_valid: 0.9 }], ['format_valid'])[0];
  assert.is(two.first.n, 1);
  close(two.change, 0.8);
  assert.ok(Number.isNaN(two.z));
  assert.equal(rewardTrend([{ step: 1 }], ['format_valid']), []);
});

test.run();
