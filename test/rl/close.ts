// Float comparison helpers for the rl tests (not a test file itself: no .test suffix).
import * as assert from 'uvu/assert';

export function close(actual: number, expected: number, tol = 1e-12, what = ''): void {
  const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  if (!ok) assert.unreachable(`${what} expected ${expected}, got ${actual} (tol ${tol})`);
}

export function closeAll(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12, what = ''): void {
  assert.is(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, tol, `${what}[${i}]`);
}
