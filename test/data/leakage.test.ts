// Splits that cannot leak: program skeletons (names and constants out), the leakage count,
// and the guarantee itself: evaluation tasks have no training twin in the default and
// low-resource settings, for several seeds and in all four languages.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codeSkeleton, skeletonKey, tokenSimilarity } from '../../src/data/skeleton.js';
import { distribution, leakage } from '../../src/data/leakage.js';
import { generateTasks } from '../../src/data/tasks/index.js';
import { DEFAULTS } from '../../src/train/config.js';
import { corpusCode, corpusLeakage, evalTasks, splitSets, warmupPairs, WARM_START_SEED } from '../../src/train/data.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('skeletons: equal up to renaming and constants, different otherwise', () => {
  const a = 'def count_big(xs: list[int], k: int) -> int:\n    # how many\n    return sum(1 for x in xs if x > 3) + k\n';
  const b = 'def solve(values: list[int], m: int) -> int:\n    return sum(1 for v in values if v > -12) + m\n';
  assert.is(skeletonKey(a, 'python'), skeletonKey(b, 'python'));
  assert.not.equal(skeletonKey(a, 'python'), skeletonKey(a.replace('x > 3', 'x < 3'), 'python'));
  assert.not.equal(skeletonKey(a, 'python'), skeletonKey(a.replace('sum(', 'max('), 'python'), 'library calls are structure');
  assert.not.equal(skeletonKey('def f(a, b):\n    return a - b\n', 'python'), skeletonKey('def f(a, b):\n    return b - a\n', 'python'), 'argument use order is structure');
  // a subtraction is not a sign; a sign after a keyword is
  assert.not.equal(skeletonKey('def f(x):\n    return x - 1\n', 'python'), skeletonKey('def f(x):\n    return x\n', 'python'));
  assert.is(skeletonKey('def f(x):\n    return -1\n', 'python'), skeletonKey('def f(x):\n    return 7\n', 'python'));
  assert.is(skeletonKey("def f(s)\n  s.split(',').count { |w| w.start_with?(:a.to_s) }\nend\n", 'ruby'), skeletonKey("def g(t)\n  t.split(' ').count { |z| z.start_with?(:b.to_s) }\nend\n", 'ruby'));
  assert.is(
    skeletonKey('func sumBig(xs []int) int {\n\t// total\n\ttotal := 0\n\tfor _, x := range xs {\n\t\tif x > 4 {\n\t\t\ttotal += x\n\t\t}\n\t}\n\treturn total\n}\n', 'go'),
    skeletonKey('func f(v []int) int {\n\ts := 0\n\tfor _, y := range v {\n\t\tif y > -9 {\n\t\t\ts += y\n\t\t}\n\t}\n\treturn s\n}\n', 'go'),
  );
  assert.is(skeletonKey('function f(xs) { /* c */ return xs.filter((x) => x % 2 === 0).length; }', 'javascript'), skeletonKey('function g(a) { return a.filter((b) => b % 7 === 0).length; }', 'javascript'));
  assert.equal(codeSkeleton('def f(x):\n    return len(x)\n', 'python'), ['def', '$0', '(', '$1', ')', ':', 'return', 'len', '(', '$1', ')']);
});

test('token similarity: 1 for twins, lower for other programs, symmetric', () => {
  const a = 'def f(xs):\n    out = []\n    for x in xs:\n        if x > 2:\n            out.append(x * x)\n    return out\n';
  const b = 'def g(ys):\n    out = []\n    for y in ys:\n        if y > 5:\n            out.append(y * y)\n    return out\n';
  const c = 'def h(s):\n    return s.upper()\n';
  assert.is(tokenSimilarity(a, b, 'python'), 1);
  const ac = tokenSimilarity(a, c, 'python');
  assert.ok(ac < 0.3, String(ac));
  assert.is(ac, tokenSimilarity(c, a, 'python'));
  const near = tokenSimilarity(a, a.replace('x * x', 'x + 1'), 'python');
  assert.ok(near > 0.6 && near < 1, String(near));
});

test('distribution: quantiles and histogram', () => {
  const d = distribution([1, 0.2, 0.85, 0.95, 0.6]);
  assert.is(d.n, 5);
  assert.is(d.min, 0.2);
  assert.is(d.median, 0.85);
  assert.is(d.max, 1);
  assert.equal(
    d.histogram.map((h) => h.count),
    [1, 1, 0, 1, 1, 1],
  );
});

test('leakage counts code and description twins of hand-made data', () => {
  const tasks = generateTasks({ seed: 11, count: 3, split: 'heldout', langs: ['python', 'ruby'] });
  const renamed = tasks[0].code.ruby!.replace(new RegExp(`\\b${tasks[0].entryPoint.ruby}\\b`, 'g'), 'zz_renamed');
  const r = leakage(tasks, {
    name: 'hand',
    items: [
      { code: renamed, lang: 'ruby' },
      { code: 'def other(x)\n  x\nend\n', lang: 'ruby', doc: tasks[1].description },
      { code: tasks[2].code.python!, lang: 'go' }, // another language does not count
    ],
  });
  assert.is(r.codeTwins, 1);
  assert.is(r.descriptionTwins, 1);
  assert.equal(
    r.twins.map((t) => `${t.task}:${t.kind}`),
    [`${tasks[0].id}:code`, `${tasks[1].id}:description`],
  );
  assert.is(r.nearest.n, 3, 'one nearest neighbour per task with ruby training code');
  assert.is(r.nearest.max, 1);
});

test("the old evaluation split (instances of training structures) is caught leaking", () => {
  const test_ = generateTasks({ seed: 1 + 7_000_001, count: 32, split: 'test', langs: ['python'] });
  const r = leakage(test_, { name: 'old', items: warmupPairs(1, 5000, ['python']).map((p) => ({ code: p.code, lang: p.lang, doc: p.doc })) });
  assert.ok(r.codeTwins >= 16, `code twins ${r.codeTwins}`);
  assert.ok(r.descriptionTwins >= 1, `description twins ${r.descriptionTwins}`);
});

const defaults = { langs: DEFAULTS.langs, sftTasks: DEFAULTS.sftTasks, poolTasks: 2000, evalTasks: DEFAULTS.evalTasks, lowResourceCode: DEFAULTS.lowResourceCode };

function assertNoTwins(seed: number, o: typeof defaults & { lowResource: string | null }) {
  const settings = splitSets(seed, o);
  // a seed other than the warm start's is also checked against the data the warm start saw
  assert.is(settings[0].sets.some((set) => /shipped warm start/.test(set.name)), seed !== WARM_START_SEED, 'the warm start\'s phase-0 set is checked');
  for (const s of settings) {
    assert.is(s.evalTasks.length, o.evalTasks);
    assert.ok(s.evalTasks.every((t) => t.split === 'heldout'), 'evaluation draws from the held-out split');
    for (const set of s.sets) {
      const r = leakage(s.evalTasks, set);
      const msg = `seed ${seed}, ${s.setting}, ${set.name}: ${r.twins.map((t) => `${t.task} ${t.kind} ${t.lang ?? ''}`).join('; ')}`;
      assert.is(r.codeTwins, 0, msg);
      assert.is(r.descriptionTwins, 0, msg);
    }
  }
}

test('default and low-resource settings, seed 1 (the default run): no evaluation task has a training twin', () => {
  assertNoTwins(1, { ...defaults, lowResource: 'python:5000,ruby:200' });
});

test("seeds 2 and 3 (the experiment runner's other seeds, which start from seed 1's phase 0): no twins", () => {
  assertNoTwins(2, { ...defaults, lowResource: 'python:5000,ruby:200' });
  assertNoTwins(3, { ...defaults, lowResource: null });
});

test('all four languages and both styles, more evaluation tasks: no twins', () => {
  assertNoTwins(4, { ...defaults, langs: ['python', 'ruby', 'go', 'javascript'], sftTasks: 4000, poolTasks: 1000, evalTasks: 96, lowResource: null });
});

test('a --data corpus is checked in place of the pool: a renamed evaluation program in it is a twin and stops the run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakage-corpus-'));
  try {
    const tasks = evalTasks(1, 8, ['python']);
    const clean = 'def f(xs):\n    total = 0\n    for x in xs:\n        total += x * x\n    return total\n';
    // the third evaluation task's program, its parameters renamed (renaming alone does not hide a twin)
    const t2 = tasks[2];
    const leaked = t2.params.reduce((code, p) => code.replace(new RegExp(`\\b${p.name}\\b`, 'g'), `${p.name}_renamed`), t2.code.python!);
    assert.is.not(leaked, t2.code.python);
    const good = join(dir, 'good.jsonl');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(good, JSON.stringify({ code: clean, language: 'python' }) + '\n');
    writeFileSync(bad, [clean, leaked].map((code) => JSON.stringify({ code, language: 'python' })).join('\n') + '\n');
    assert.match(corpusLeakage(good, corpusCode(good, ['python']), tasks), /^leakage: 0 of 8 evaluation tasks have a twin/);
    assert.throws(() => corpusLeakage(bad, corpusCode(bad, ['python']), tasks), (e: Error) => e.message.includes(`${bad}: 1 of 8 evaluation tasks have a twin`) && e.message.includes(t2.id));
    const o = { ...defaults, evalTasks: 8, sftTasks: 200, lowResource: null };
    const sets = splitSets(1, { ...o, data: bad })[0].sets;
    const corpus = sets.find((set) => set.name === `eval vs phase-1 corpus ${bad}`);
    assert.ok(corpus, sets.map((set) => set.name).join('; '));
    assert.ok(!sets.some((set) => set.name === 'eval vs phase-1 pool'), 'the suite pool is not what a --data run trains on');
    assert.is(leakage(splitSets(1, { ...o, data: bad })[0].evalTasks, corpus!).codeTwins, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
