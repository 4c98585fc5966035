// src/eval/retrieval.ts: the strict top-1 every xlang bench prints. A problem counts only
// when its own counterpart is strictly above every other candidate (a tie is a miss); the
// per-problem hits sum to the count and agree with the misses; with drawn candidates each
// hit is the share of draws won; a candidate count outside [2, N] is refused by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { topOne, type XlangItem } from '../../src/eval/retrieval.js';
import { closeWorkers } from '../../src/cssg/index.js';

const items: XlangItem[] = [
  { python: 'def total(xs):\n    return sum(xs)\n', other: 'function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\n' },
  { python: 'def shout(s):\n    return s.upper() + "!"\n', other: 'function shout(s) {\n  return s.toUpperCase() + "!";\n}\n' },
  { python: 'def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n', other: 'function evens(xs) {\n  return xs.filter((x) => x % 2 === 0);\n}\n' },
  // two identical counterparts: the Python of either ties between them, so both miss
  { python: 'def first(xs):\n    return xs[0]\n', other: 'function first(xs) {\n  return xs[0];\n}\n' },
  { python: 'def head(xs):\n    return xs[0]\n', other: 'function first(xs) {\n  return xs[0];\n}\n' },
];

test('all candidates: hits are 0/1, sum to the count, and a tie is a miss', async () => {
  const r = await topOne(items, 'javascript', 'tokens');
  assert.is(r.n, items.length);
  assert.is(r.hit.length, items.length);
  for (const h of r.hit) assert.ok(h === 0 || h === 1, `hit ${h}`);
  assert.is(r.hit.reduce((a, b) => a + b, 0), r.correct);
  const missed = new Set(r.misses.map((m) => m.task));
  r.hit.forEach((h, i) => assert.is(h === 0, missed.has(i), `problem ${i}`));
  // the twins of problems 3 and 4 tie on the other's counterpart for at least one of them
  assert.ok(r.hit[3] === 0 || r.hit[4] === 0, `hits ${r.hit}`);
});

test('drawn candidates: each hit is the share of draws won, summing to the count', async () => {
  const r = await topOne(items, 'javascript', 'tokens', { candidates: { k: 2, draws: 8, seed: 3 } });
  assert.is(r.hit.length, items.length);
  for (const h of r.hit) assert.ok(h >= 0 && h <= 1 && Number.isInteger(h * 8), `hit ${h}`);
  assert.ok(Math.abs(r.hit.reduce((a, b) => a + b, 0) - r.correct) < 1e-12);
  const again = await topOne(items, 'javascript', 'tokens', { candidates: { k: 2, draws: 8, seed: 3 } });
  assert.equal(again.hit, r.hit, 'seeded draws repeat');
});

test('a candidate count outside [2, N] is refused by name', async () => {
  for (const k of [1, items.length + 1]) {
    try {
      await topOne(items, 'javascript', 'tokens', { candidates: { k, draws: 1, seed: 1 } });
      assert.unreachable(`k = ${k} accepted`);
    } catch (e) {
      assert.match(String(e), /candidates must be an integer in \[2, 5\]/);
    }
  }
});

test.after(async () => {
  await closeWorkers();
});
test.run();
