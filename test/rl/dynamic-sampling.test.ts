import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepGroup, filterGroups, fillBatch, DEFAULT_DYNAMIC_SAMPLING } from '../../src/rl/dynamic-sampling.js';

test('group filters: none / zero / equal / range', () => {
  const groups = [
    [0, 0, 0, 0], // no signal
    [1, 1, 1, 1], // all equal, non-zero
    [0.5, 0.5, 0.5, 0.5],
    [0, 0.3, 0, 0],
    [1, 0, 1, 1],
  ];
  const kept = (mode: Parameters<typeof keepGroup>[1]) => groups.map((g) => keepGroup(g, mode));
  assert.equal(kept('none'), [true, true, true, true, true]);
  assert.equal(kept('zero'), [false, true, true, true, true]);
  assert.equal(kept('equal'), [false, false, false, true, true]);
  assert.equal(kept('range'), [false, false, true, true, true]);
  assert.equal(groups.map((g) => keepGroup(g, 'range', { range: [0.2, 1] })), [false, false, true, false, true]);
  assert.is(DEFAULT_DYNAMIC_SAMPLING, 'zero');
  assert.is(keepGroup([1e-15, 0], 'zero'), false); // rounding noise is not signal
  assert.is(keepGroup([0.1 + 0.2, 0.3], 'equal'), false);
  assert.is(keepGroup([], 'zero'), false);
  assert.throws(() => keepGroup([NaN], 'zero'), /reward 0 is NaN/);
  assert.throws(() => keepGroup([1], 'bogus' as never), /unknown dynamic sampling mode 'bogus'/);
});

test('filterGroups keeps order', () => {
  const f = filterGroups([{ id: 'a', r: [0, 0] }, { id: 'b', r: [0, 1] }, { id: 'c', r: [1, 1] }], (g) => g.r, 'equal');
  assert.equal(f.kept.map((g) => g.id), ['b']);
  assert.equal(f.dropped.map((g) => g.id), ['a', 'c']);
});

// A fake sampler: attempt i returns groups whose rewards come from a fixed script.
function scripted(script: number[][][]) {
  const asked: number[] = [];
  return {
    asked,
    sample: async (attempt: number, need: number) => {
      asked.push(need);
      return (script[attempt] ?? []).map((r, j) => ({ id: `${attempt}.${j}`, r }));
    },
  };
}

test('fillBatch keeps sampling until the batch is full, cutting the surplus', async () => {
  const s = scripted([
    [[0, 0], [1, 0]],
    [[0, 0], [0, 0]],
    [[0.5, 0], [0, 0.2], [1, 1]],
  ]);
  const r = await fillBatch({ target: 3, sample: s.sample, rewardsOf: (g) => g.r, mode: 'zero', maxAttempts: 10 });
  assert.equal(r.groups.map((g) => g.id), ['0.1', '2.0', '2.1']);
  assert.equal(s.asked, [3, 2, 2]);
  assert.is(r.attempts, 3);
  assert.is(r.sampled, 7);
  assert.is(r.dropped, 3);
  assert.is(r.surplus, 1);
  assert.is(r.partial, false);
});

test('fillBatch on exhaustion: partial batch with a warning, or a clear error', async () => {
  const script = [[[0, 0], [1, 0]], [[0, 0]]];
  const warnings: string[] = [];
  const r = await fillBatch({ target: 4, sample: scripted(script).sample, rewardsOf: (g) => g.r, mode: 'zero', maxAttempts: 2, warn: (m) => warnings.push(m) });
  assert.is(r.partial, true);
  assert.is(r.groups.length, 1);
  assert.is(warnings.length, 1);
  assert.match(warnings[0]!, /only 1 of 4 groups carry signal after 2 attempts \(3 sampled, 2 dropped\)/);
  await fillBatch({ target: 4, sample: scripted(script).sample, rewardsOf: (g) => g.r, mode: 'zero', maxAttempts: 2, onExhausted: 'error' }).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /dynamic sampling \(zero\): only 1 of 4/),
  );
  await fillBatch({ target: 1, sample: scripted(script).sample, rewardsOf: (g) => g.r, mode: 'zero', maxAttempts: 0 }).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /maxAttempts must be an integer >= 1/),
  );
});

test.run();
