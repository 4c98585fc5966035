// A diverging run stops (and so never checkpoints): after 3 consecutive skipped updates, or
// at once when the loss explodes; one bad batch between good ones is tolerated.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DivergenceGuard } from '../../src/train/guard.js';

test('three skipped updates in a row stop the run; an applied one resets the count', () => {
  const g = new DivergenceGuard('phase 0', 100);
  g.observe(0, NaN, false);
  g.observe(1, 2.0, true);
  g.observe(2, NaN, false);
  g.observe(3, 1.5, false); // finite loss, non-finite gradient: skipped too
  assert.throws(() => g.observe(4, Infinity, false), /phase 0 step 4: 3 consecutive updates skipped/);
});

test('an exploded loss stops the run at once', () => {
  const g = new DivergenceGuard('phase 1', 1000);
  g.observe(0, -999, true);
  assert.throws(() => g.observe(1, 5e29, true), /phase 1 step 1: the loss exploded \(5.00e\+29, limit 1000\)/);
  assert.throws(() => new DivergenceGuard('phase 1', 1000).observe(0, -2e3, true), /exploded/);
});

test.run();
