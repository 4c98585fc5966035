// The validation bench's parts (src/eval/validity.ts): AUC with ties, probe generators
// that change the code in the stated way, flags checked before any work.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auc, rewritesOf, mutantsOf, main } from '../../src/eval/validity.js';
import { Rng } from '../../src/util/rng.js';

test('auc: perfect, reversed, ties count one half', () => {
  assert.is(auc([1, 0.9], [0.5, 0.2]), 1);
  assert.is(auc([0.1], [0.5, 0.2]), 0);
  assert.is(auc([0.5], [0.5]), 0.5);
  assert.is(auc([1, 0.5], [0.5]), 0.75);
  assert.ok(Number.isNaN(auc([], [1])));
});

const CODE = 'def f(xs, k):\n    total = 0\n    for x in xs:\n        if x > k:\n            total += x * 2\n    return max(total, k)\n';

test('rewrites and mutants: each kind changes the code as stated', () => {
  const rw = Object.fromEntries(rewritesOf(CODE, new Rng(1)).map((r) => [r.kind, r.code]));
  assert.match(rw['rename'], /renamed_0 = 0/);
  assert.match(rw['aug-expand'], /total = total \+ \(x \* 2\)/);
  assert.match(rw['flip-comparison'], /if k < x:/);
  assert.match(rw['commute'], /2 \* x/);
  const mu = Object.fromEntries(mutantsOf(CODE, new Rng(1)).map((m) => [m.kind, m.code]));
  for (const k of ['operator', 'constant', 'comparison', 'drop-statement', 'swap-args']) assert.ok(mu[k] && mu[k] !== CODE, k);
  // either two-argument call may be swapped (the seeded pick): the call or the header
  assert.match(mu['swap-args'], /max\(k, total\)|def f\(k, xs\)/);
});

test('flags: unknown flags and bad values are named before any work', async () => {
  for (const [args, re] of [[['--bogus'], /unknown flag '--bogus'/], [['--tasks', '-1'], /--tasks must be/], [['--weights', '2'], /--weights must be/], [['--metrics', 'nope'], /unknown metric 'nope'/]] as const) {
    try {
      await main([...args]);
      assert.unreachable(args.join(' '));
    } catch (e) {
      assert.match((e as Error).message, re);
    }
  }
});

test.run();
