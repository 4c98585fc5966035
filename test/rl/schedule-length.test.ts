// The phase-1 schedule counts the updates really taken: whatever each step's number of
// updates, the last update of the run is at the floor (10% of the peak), never above peak.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { estimatedTotalUpdates, lrAt } from '../../src/rl/schedule.js';
import { close } from './close.js';

/** The rates of a run whose step s takes counts[s] updates, as the trainer computes them. */
function rates(counts: number[], peak = 1): number[] {
  const out: number[] = [];
  let done = 0;
  counts.forEach((now, step) => {
    const total = estimatedTotalUpdates(done, now, step, counts.length);
    for (let u = 0; u < now; u++) out.push(lrAt(Math.min(done++, total - 1), { peak, totalSteps: total, warmupFrac: 0.03, floorFrac: 0.1 }));
  });
  return out;
}

test('varying updates per step: the last update runs at the floor', () => {
  // what a default run looks like: ~2-5 updates per step where 2*batchCodes*K/minibatch = 4 were planned
  const counts = [3, 2, 4, 2, 5, 3, 0, 2, 4, 3, 2, 3, 4, 2, 3, 3, 2, 4, 3, 2, 3, 5, 2, 3, 4, 2, 3, 3, 2, 3];
  const lr = rates(counts);
  close(lr[lr.length - 1]!, 0.1);
  assert.ok(lr.every((x) => x > 0 && x <= 1 + 1e-12), 'within (0, peak]');
  // the second half decays (the estimate moves, so allow a little slack)
  const half = lr.slice(lr.length >> 1);
  assert.ok(half[0]! > half[half.length - 1]! + 0.2, `${half[0]} -> ${half[half.length - 1]}`);
});

test('constant updates per step: exactly the fixed-length cosine', () => {
  const lr = rates(Array(10).fill(4));
  lr.forEach((x, i) => close(x, lrAt(i, { peak: 1, totalSteps: 40, warmupFrac: 0.03, floorFrac: 0.1 })));
});

test('one update per step (the SFT baseline): the schedule has `steps` updates', () => {
  assert.is(estimatedTotalUpdates(0, 1, 0, 30), 30);
  close(rates(Array(30).fill(1)).at(-1)!, 0.1);
});

test('bad counts are named', () => {
  assert.throws(() => estimatedTotalUpdates(-1, 1, 0, 3), /done must be an integer >= 0/);
  assert.throws(() => estimatedTotalUpdates(0, 1, 3, 3), /steps must be an integer > step/);
});

test.run();
