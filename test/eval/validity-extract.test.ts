// The validation probe `extract-helper` (src/eval/validity.ts rewritesOf): the function's
// body moved into `def f_impl(params)`, `f` returning its call. It is made last and draws
// nothing from the seeded stream (every other probe of every seed stays what it was), and
// on a suite task it passes the task's own tests, as a behaviour-preserving rewrite must.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractHelper, rewritesOf, mutantsOf, suiteOriginals } from '../../src/eval/validity.js';
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

test('extract-helper: made last, drawing nothing (mutants after it are those of a stream it never saw)', () => {
  const r1 = new Rng(7);
  const rw = rewritesOf(CODE, r1);
  assert.is(rw[rw.length - 1].kind, 'extract-helper');
  // the same code with f_impl already named: no extract-helper, every other rewrite the same
  const taken = CODE + '# f_impl\n';
  const r2 = new Rng(7);
  const rw2 = rewritesOf(taken, r2);
  assert.ok(!rw2.some((w) => w.kind === 'extract-helper'));
  assert.equal(
    rw2.map((w) => w.kind),
    rw.slice(0, -1).map((w) => w.kind),
  );
  assert.equal(mutantsOf(CODE, r1), mutantsOf(CODE, r2));
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
