// The validation probe `rename-entry` (src/eval/validity.ts renameEntry): the entry
// function `f` renamed `f_v2`, a behaviour-breaking mutant since every test calls `f`. It
// is made apart from the seeded mutants (no draw: every other probe of every seed stays
// what it was), joins only an original kept for its other probes, and fails the task's
// tests, as a mutant must; static CSSG v2 scores it below the original (the interface gate).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renameEntry, rewritesOf, mutantsOf, suiteOriginals, probeCandidates, buildProbes } from '../../src/eval/validity.js';
import { probeOriginal } from './probe-original.js';
import { runProgram, unavailable } from '../../src/eval/languages.js';
import { similarity } from '../../src/cssg/index.js';
import { Rng } from '../../src/util/rng.js';

const CODE = 'import math\n\ndef g(a):\n    return a + 1\n\ndef f(xs, k=2):\n    total = 0\n    for x in xs:\n        if x > k:\n            total += g(x) * 2\n    return f(xs[1:], k) if total > 100 else max(total, k)\n';

test('rename-entry: the last top-level def and every whole-word use of its name', () => {
  assert.is(renameEntry(CODE), CODE.replace('def f(', 'def f_v2(').replace('return f(', 'return f_v2('));
  // a local spelled like the function is renamed with it (a consistent rename); longer names are not touched
  assert.is(renameEntry('def pos_count(xs):\n    pos_count = 0\n    pos_counts = 1\n    return pos_count\n'), 'def pos_count_v2(xs):\n    pos_count_v2 = 0\n    pos_counts = 1\n    return pos_count_v2\n');
});

test('rename-entry: not made without a def or when the new name is taken', () => {
  assert.is(renameEntry('x = 1\nprint(x)\n'), undefined);
  assert.is(renameEntry('    def f(x):\n        return x\n'), undefined);
  assert.is(renameEntry('def f(x):\n    return x  # not f_v2\n'), undefined);
});


test('rename-entry: apart from the seeded probes, drawing nothing from their stream', () => {
  const c = probeCandidates(probeOriginal(CODE), 3, 2);
  assert.is(c.renamed, renameEntry(CODE));
  const r = new Rng(3 * 7919 + 2);
  assert.equal(c.rewrites, rewritesOf(CODE, r));
  assert.equal(c.mutants, mutantsOf(CODE, r));
  assert.ok(!c.mutants.some((m) => m.kind === 'rename-entry'));
});

test('rename-entry: static CSSG v2 scores it below the original and below a local rename', () => {
  const renamed = renameEntry(CODE)!;
  const local = CODE.replace(/\btotal\b/g, 'acc');
  assert.ok(similarity(CODE, renamed, 'python') < similarity(CODE, local, 'python'));
  assert.ok(similarity(CODE, renamed, 'python') < 1);
  assert.is(similarity(CODE, renamed, 'python', { off: ['interface-gate'] }), 1);
});

test('rename-entry: joins, last, an original kept for its other probes, and fails its tests', async () => {
  const why = unavailable('python');
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const code = 'def f(x):\n    return x + 1\n';
  // no seeded rewrite and no variant: not kept, the renamed entry alone keeps nothing
  assert.equal(await buildProbes([probeOriginal(code)], 1), []);
  const sets = await buildProbes([probeOriginal(code, ['def f(x):\n    return 1 + x\n'])], 1);
  assert.is(sets.length, 1);
  const kinds = sets[0].mutants.map((m) => m.kind);
  assert.is(kinds[kinds.length - 1], 'rename-entry');
  assert.is(sets[0].mutants[kinds.length - 1].code, renameEntry(code));
  // on suite tasks the renamed entry fails the task's own tests
  let checked = 0;
  for (const o of suiteOriginals(3, 1)) {
    const renamed = renameEntry(o.code);
    if (!renamed) continue;
    // the original passes and the renamed entry fails (a NameError, not a timeout)
    assert.is((await runProgram('python', o.program(o.code), { timeoutMs: 20_000 })).status, 'passed', o.id);
    const res = await runProgram('python', o.program(renamed), { timeoutMs: 20_000 });
    assert.is(res.status, 'failed', `${o.id}: ${res.status}`);
    checked++;
  }
  assert.ok(checked > 0);
});

test.run();
