// Differential execution (src/eval/diffexec.ts): equal behaviour scores 1, a mutant
// less, hostile candidates (infinite loop, swallowed alarms, huge output, os._exit,
// fork bomb, file writes, syntax errors) are contained, score 0 and never throw; code
// that cannot be run falls back to static CSSG (ran = false); inputs are seeded; a
// candidate that renames the entry is run through the same-arity fallback and its score
// carries the interface gate's factor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { execDiffScores, hybridScores, rewardScores, chanceCorrected, MIN_OK } from '../../src/eval/diffexec.js';
import { generateInputs, pythonSignature, guessType } from '../../src/eval/inputs.js';
import { unavailable } from '../../src/eval/languages.js';
import { similarity } from '../../src/cssg/index.js';
import { subwords, dice, gateFactor, GATE_FLOOR } from '../../src/cssg/interface.js';

const C = 'def f(xs: list[int], k: int) -> int:\n    s = 0\n    for x in xs:\n        if x > k:\n            s += x\n    return s\n';
const pairsOf = (bs: string[]) => bs.map((b) => ({ a: C, b, lang: 'python' as const }));
const noPython = unavailable('python');

async function rejects(f: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await f();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable('expected a rejection');
}

test('inputs: signature, types from annotations and usage, seeded', () => {
  assert.equal(pythonSignature('def g(self, a: int, b=2, *r, **k):\n    pass\n'), { name: 'g', params: [{ name: 'a', type: 'int' }, { name: 'b', type: '' }] });
  assert.is(guessType('def g(s):\n    return s.lower()\n', 's'), 'str');
  assert.is(guessType('def g(n):\n    return range(n)\n', 'n'), 'int');
  const a = generateInputs(C, 20, 7)!;
  assert.equal(a, generateInputs(C, 20, 7));
  assert.is(a.inputs.length, 20);
  for (const [xs, k] of a.inputs) assert.ok(Array.isArray(xs) && Number.isInteger(k));
  assert.is(generateInputs('x = 1\n', 5), null);
});

test('equal behaviour scores 1, a mutant less, the original itself 1', async () => {
  if (noPython) return console.log(noPython);
  const [same, rewrite, mutant] = await execDiffScores(pairsOf([C, 'def f(xs, k):\n    return sum(x for x in xs if x > k)\n', 'def f(xs, k):\n    return sum(x for x in xs if x >= k)\n']));
  assert.equal([same.ran, rewrite.ran, mutant.ran], [true, true, true]);
  assert.is(same.score, 1);
  assert.is(rewrite.score, 1);
  assert.ok(mutant.score < 1 && mutant.score > 0, `mutant ${mutant.score}`);
  assert.ok(same.inputs >= MIN_OK);
});

test('chance correction: a constant answer scores 0, identical 1, agreement beyond the commonest answer counts', () => {
  const ref = ['R False', 'R False', 'R False', 'R True', 'R False', 'R True', 'R False', 'R False'];
  assert.is(chanceCorrected(ref, ref), 1);
  assert.is(chanceCorrected(ref, ref.map(() => 'R False')), 0);
  assert.is(chanceCorrected(ref, ref.map(() => 'R True')), 0);
  assert.is(chanceCorrected(ref, ref.map(() => '')), 0);
  // 7 of 8 agree, the commonest answer covers 6 of 8: (7/8 - 6/8) / (1 - 6/8) = 0.5
  const seven = [...ref];
  seven[3] = 'R False';
  assert.is(chanceCorrected(ref, seven), 0.5);
  // c answers one value everywhere: nothing to correct against, raw agreement
  const flat = ['R 0', 'R 0', 'R 0'];
  assert.is(chanceCorrected(flat, ['R 0', 'R 0', 'E ValueError']), 2 / 3);
  assert.is(chanceCorrected([], []), 0);
});

test('a stub returning a constant scores 0 against a predicate, however often the predicate says that', async () => {
  if (noPython) return console.log(noPython);
  const pred = 'def f(xs: list[int], k: int) -> bool:\n    return sum(xs) > 10 * k + 40\n';
  const [stubF, stubT, self] = await execDiffScores(['def f(xs, k):\n    return False\n', 'def f(xs, k):\n    return True\n', pred].map((b) => ({ a: pred, b, lang: 'python' as const })));
  assert.ok(stubF.ran && stubT.ran);
  assert.is(stubF.score, 0);
  assert.is(stubT.score, 0);
  assert.is(self.score, 1);
});

test('hostile candidates are contained and score 0', async () => {
  if (noPython) return console.log(noPython);
  const marker = `/tmp/batcoder-diffexec-${process.pid}`;
  const hostile = [
    'def f(xs, k):\n    while True:\n        pass\n',
    'def f(xs, k):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n',
    'import os\ndef f(xs, k):\n    os._exit(0)\n',
    'import sys\ndef f(xs, k):\n    sys.stdout.write("x" * 10**8)\n    return -1\n',
    'import os\ndef f(xs, k):\n    while True:\n        os.fork()\n',
    `def f(xs, k):\n    open(${JSON.stringify(marker)}, "w").write("x")\n    return -1\n`,
    'def f(xs k):\n  return',
    'raise SystemExit(0)\n',
    'x = [0] * (10**10)\n',
  ];
  const r = await execDiffScores(pairsOf(hostile), { parallel: 2 });
  r.forEach((s, i) => {
    assert.ok(s.ran, `hostile ${i} ran`);
    assert.is(s.score, 0, `hostile ${i}: ${hostile[i]}`);
  });
  // writes may land in the sandbox's private /tmp; never beside us when bubblewrap is there
  if (existsSync(marker)) console.log(`note: ${marker} written (sandbox without a private /tmp)`);
});

test('a renamed entry runs through the same-arity fallback and scores k * gateFactor(N)', async () => {
  if (noPython) return console.log(noPython);
  const body = '(xs, k):\n    s = 0\n    for x in xs:\n        if x > k:\n            s += x\n    return s\n';
  const marker = `import sys, os\n_m = sys.modules['__main__']\nos.write(_m._out, (_m.NONCE + ' F "f"\\n').encode())\n`;
  const cands = [
    'def f' + body, // the same code, its name kept
    'def f_v2' + body, // the validity bench's rename-entry: N = dice({f}, {f, v, 2}) = 0.5
    'def g' + body, // no subword shared: the floor
    'def g' + body + 'f = g\n', // bound to f (a caller's f(...) works): found by name
    'def f_v2' + body + "f_v2.__name__ = 'f'\n", // __name__ is not what a caller calls
    marker + 'def g' + body, // a forged name line beside the driver's: N = 0
    'def f_v2(xs, k):\n    return 0\n', // wrong and renamed: still 0
  ];
  const [same, renamed, other, alias, dunder, forged, wrong] = await execDiffScores(pairsOf(cands));
  const factor = gateFactor(dice(subwords('f'), subwords('f_v2')));
  assert.is(factor, 0.75);
  for (const s of [same, renamed, other, alias, dunder, forged, wrong]) assert.ok(s.ran);
  assert.is(same.score, 1);
  assert.is(renamed.score, factor);
  assert.ok(renamed.score < same.score, 'a renamed entry scores below the same code with its name');
  assert.is(other.score, GATE_FLOOR);
  assert.is(alias.score, 1);
  assert.is(dunder.score, factor);
  assert.is(forged.score, GATE_FLOOR);
  assert.is(wrong.score, 0);
  // the factor is part of the cached score: asked again, the same answers
  assert.equal((await execDiffScores(pairsOf(cands.slice(0, 3)))).map((s) => s.score), [1, factor, GATE_FLOOR]);
});

test('fallback to static CSSG: no signature, non-Python, never-returning original', async () => {
  const pairs = [
    { a: 'x = 1\n', b: 'x = 2\n', lang: 'python' as const },
    { a: 'function f(a) { return a + 1; }', b: 'function f(a) { return a + 2; }', lang: 'javascript' as const },
    { a: 'def f(a):\n    raise ValueError()\n', b: 'def f(a):\n    return 1\n', lang: 'python' as const },
  ];
  const r = await execDiffScores(pairs);
  r.forEach((s, i) => {
    assert.is(s.ran, false, `pair ${i}`);
    assert.is(s.score, similarity(pairs[i].a, pairs[i].b, pairs[i].lang));
  });
});

test('hybrid and rewardScores: weights, kinds, bad input', async () => {
  if (noPython) return console.log(noPython);
  const ps = pairsOf([C, 'def f(xs, k):\n    return sum(x for x in xs if x >= k)\n']);
  const ex = await execDiffScores(ps);
  const st = ps.map((p) => similarity(p.a, p.b, 'python'));
  const h = await hybridScores(ps, { weight: 0.25 });
  h.forEach((s, i) => assert.ok(Math.abs(s.score - (0.25 * ex[i].score + 0.75 * st[i])) < 1e-12));
  assert.equal(await rewardScores('cssg+exec-diff', ps, { weight: 0.25 }), h.map((s) => s.score));
  assert.equal(await rewardScores('cssg', ps), st);
  assert.equal(await rewardScores('exec-diff', ps), ex.map((s) => s.score));
  await rejects(() => rewardScores('nope' as never, ps), /unknown reward kind 'nope'/);
  await rejects(() => hybridScores(ps, { weight: 2 }), /hybrid weight/);
  const odd = await execDiffScores([{ a: null as never, b: 5 as never, lang: 'python' }]);
  assert.is(odd[0].score, 0);
});

test.run();
