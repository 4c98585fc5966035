import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meanPassAtK, passAtK } from '../../src/eval/passk.js';

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

test('matches 1 - C(n-c,k)/C(n,k) computed directly', () => {
  for (const [n, c, k] of [[10, 3, 1], [10, 3, 5], [20, 0, 5], [20, 20, 5], [200, 17, 10], [5, 4, 2], [7, 1, 7]]) {
    const direct = n - c < k ? 1 : 1 - binom(n - c, k) / binom(n, k);
    assert.ok(Math.abs(passAtK(n, c, k) - direct) < 1e-12, `${n} ${c} ${k}`);
  }
});

test('edge cases and averaging', () => {
  assert.is(passAtK(1, 1, 1), 1);
  assert.is(passAtK(1, 0, 1), 0);
  assert.is(passAtK(4, 1, 1), 0.25);
  assert.is(meanPassAtK([{ n: 1, c: 1 }, { n: 1, c: 0 }], 1), 0.5);
  assert.throws(() => passAtK(3, 1, 4), /exceeds/);
  assert.throws(() => passAtK(3, 4, 1), /0 <= c <= n/);
});

test.run();
