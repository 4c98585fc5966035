// What the task generator draws from the one RNG (src/util/rng.ts): inclusive integer ranges,
// picks, coin flips, and the two hashes its streams are keyed with.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fnv1a, mixSeed, Rng } from '../../src/util/rng.js';

test('between(lo, hi) is inclusive at both ends, uniform, and refuses an empty range', () => {
  const r = new Rng(3);
  const counts = new Map<number, number>();
  for (let i = 0; i < 7000; i++) {
    const x = r.between(-3, 3);
    assert.ok(Number.isInteger(x) && x >= -3 && x <= 3, String(x));
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  assert.is(counts.size, 7);
  for (const c of counts.values()) assert.ok(c > 850 && c < 1150, String(c));
  assert.is(new Rng(1).between(5, 5), 5);
  assert.throws(() => r.between(4, 2), /lo <= hi/);
});

test('pick, chance: every element reachable, rate close to p, empty list refused', () => {
  const r = new Rng('pick');
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(r.pick(['a', 'b', 'c']));
  assert.is(seen.size, 3);
  assert.throws(() => r.pick([]), /empty list/);
  let hits = 0;
  for (let i = 0; i < 10000; i++) if (r.chance(0.25)) hits++;
  assert.ok(hits > 2300 && hits < 2700, String(hits));
});

test('fnv1a matches the reference values; mixSeed is deterministic and spreads indices', () => {
  assert.is(fnv1a(''), 0x811c9dc5);
  assert.is(fnv1a('a'), 0xe40c292c);
  assert.is(fnv1a('foobar'), 0xbf9cf968);
  assert.is(mixSeed(7, 3), mixSeed(7, 3));
  const seeds = new Set(Array.from({ length: 1000 }, (_, i) => mixSeed(7, i)));
  assert.is(seeds.size, 1000);
});

test.run();
