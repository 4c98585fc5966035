// The validation probe `extract-helper` (src/eval/validity.ts extractHelper): the function's
// body moved into `def f_impl(params)`, `f` returning its call. It is made apart from the
// seeded rewrites (rewritesOf never makes it, so every other probe of every seed stays what
// it was), joins only an original kept for its other probes, and on a suite task it passes
// the task's own tests, as a behaviour-preserving rewrite must.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractHelper, rewritesOf, mutantsOf, suiteOriginals, probeCandidates, buildProbes } from '../../src/eval/validity.js';
import { probeOriginal } from './probe-original.js';
import { runProgram, unavailable } from '../../src/eval/languages.js';
import { Rng } from '../../src/util/rng.js';

const CODE = 'import math\n\ndef f(xs, k: int = 2):\n    total = 0\n    for x in xs:\n        if x > k:\n            total += x * 2\n    return max(total, k)\n';

test('extract-helper: the body moves into f_impl, f returns its call with the parameters by name', () => {
  assert.is(
    extractHelper(CODE),
    'import math\n\ndef f_impl(xs, k: int = 2):\n    total = 0\n    for x in xs:\n        if x > k:\n            total += x * 2\n    return max(total, k)\ndef f(xs, k: int = 2):\n    return f_impl(xs, k)\n',
  );
  // the last top-level function is the one wrapped; module code after it stays after it
  const two = 'def g(a):\n    return a + 1\n\ndef h(b):\n    c = g(b)\n    return c * 2\n\nprint(h(1))\n';
  assert.is(extractHelper(two), 'def g(a):\n    return a + 1\n\ndef h_impl(b):\n    c = g(b)\n    return c * 2\ndef h(b):\n    return h_impl(b)\n\nprint(h(1))\n');
});

test('extract-helper: not made for star parameters, a one-line body, a taken name, or no function', () => {
  assert.is(extractHelper('def f(*xs):\n    return len(xs)\n'), undefined);
  assert.is(extractHelper('def f(x, **kw):\n    return x\n'), undefined);
  assert.is(extractHelper('def f(x): return x + 1\n'), undefined);
  assert.is(extractHelper('def f(x):\n    return f_impl(x)\n'), undefined);
  assert.is(extractHelper('x = 1\n'), undefined);
  assert.is(extractHelper('def f(x: dict[str, int]):\n    return x\n'), undefined);
});


test('extract-helper: apart from the seeded rewrites, drawing nothing from their stream', () => {
  const c = probeCandidates(probeOriginal(CODE), 3, 2);
  assert.is(c.helper, extractHelper(CODE));
  assert.ok(c.helper);
  // rewritesOf does not make it: what it returns is what it returned before this kind
  assert.equal(
    c.rewrites.map((w) => w.kind),
    ['rename', 'aug-expand', 'flip-comparison', 'commute'],
  );
  // the stream: rewrites then mutants, nothing drawn between or for the helper
  const r = new Rng(3 * 7919 + 2);
  assert.equal(c.rewrites, rewritesOf(CODE, r));
  assert.equal(c.mutants, mutantsOf(CODE, r));
  // the same code with f_impl already named: no helper, every other candidate the same kind
  const taken = probeCandidates(probeOriginal(CODE + '# f_impl\n'), 3, 2);
  assert.is(taken.helper, undefined);
  assert.equal(
    taken.rewrites.map((w) => w.kind),
    c.rewrites.map((w) => w.kind),
  );
  assert.equal(
    taken.mutants.map((m) => m.kind),
    c.mutants.map((m) => m.kind),
  );
});

test('extract-helper: joins, last, only an original kept for its other rewrites', async () => {
  const why = unavailable('python');
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  // `return x + 1`: no seeded rewrite applies (nothing assigned, no `>`, no `*`), mutants do
  const code = 'def f(x):\n    return x + 1\n';
  assert.equal(rewritesOf(code, new Rng(1)), []);
  assert.ok(extractHelper(code));
  // the helper alone keeps nothing
  assert.equal(await buildProbes([probeOriginal(code)], 1), []);
  // with a verified variant the original is kept and the helper comes after it
  const sets = await buildProbes([probeOriginal(code, ['def f(x):\n    return 1 + x\n'])], 1);
  assert.is(sets.length, 1);
  assert.equal(
    sets[0].rewrites.map((w) => w.kind),
    ['variant', 'extract-helper'],
  );
  assert.is(sets[0].rewrites[1].code, extractHelper(code));
  assert.ok(sets[0].mutants.length > 0);
});

test('extract-helper: on suite tasks the rewrite passes the task tests', async () => {
  const why = unavailable('python');
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const originals = suiteOriginals(3, 1);
  let checked = 0;
  for (const o of originals) {
    const code = extractHelper(o.code);
    if (!code) continue;
    assert.match(code, /_impl\(/);
    const res = await runProgram('python', o.program(code), { timeoutMs: 20_000 });
    assert.is(res.status, 'passed', `${o.id}: ${res.status}`);
    // and a broken helper fails the same tests: the check can fail
    const broken = code.replace(/return (\w+)_impl\((.*)\)\n/, 'return None\n');
    assert.is.not(broken, code);
    const bad = await runProgram('python', o.program(broken), { timeoutMs: 20_000 });
    assert.is.not(bad.status, 'passed', `${o.id}: broken wrapper passed`);
    checked++;
  }
  assert.ok(checked >= 2, `only ${checked} suite originals had the rewrite`);
});

test.run();
