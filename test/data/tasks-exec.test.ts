// Reference implementations of the built-in suite pass their tests in all four languages,
// in every style and every family; a wrong implementation fails. Go/Ruby skip cleanly
// when not installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGS, type Lang } from '../../src/lang/parser.js';
import { FAMILIES, generateTasks, taskProgram, type Task } from '../../src/data/tasks/index.js';
import { runProgram, unavailable } from '../../src/eval/languages.js';
import { mapParallel } from '../../src/eval/sandbox.js';

// per family: this many tasks, each in every style (Go compiles: fewer)
const PER_FAMILY: Record<Lang, number> = { python: 3, ruby: 2, javascript: 2, go: 1 };

function sample(lang: Lang): Task[] {
  return FAMILIES.flatMap((f) => generateTasks({ seed: 100 + lang.length, count: PER_FAMILY[lang], langs: [lang], families: [f.name] }));
}

for (const lang of LANGS) {
  test(`${lang}: every family and style passes its tests`, async () => {
    const why = unavailable(lang);
    if (why) return console.log(`  ${why}`);
    const jobs = sample(lang).flatMap((t) => t.variants[lang]!.map((code, style) => ({ t, style, prog: taskProgram(t, lang, code) })));
    const res = await mapParallel(jobs, 2, (j, slot) => runProgram(lang, j.prog, { timeoutMs: lang === 'go' ? 60_000 : 20_000 }, { slot }));
    const bad = res.map((r, i) => ({ r, j: jobs[i] })).filter(({ r }) => r.status !== 'passed');
    assert.equal(bad.map(({ r, j }) => `${j.t.shape} style ${j.style}: ${r.status} ${r.stderrTail.slice(-300)}\n${j.prog}`), []);
  });
}

test('a wrong implementation fails (python, javascript)', async () => {
  const [t] = generateTasks({ seed: 77, count: 1, families: ['fold'] });
  // swap in another task's body with the same signature: returns the wrong values
  const wrongPy = `${t.signature.python}\n    return ${t.returns === 'int' ? '123456789' : 'None'}\n`;
  const r1 = await runProgram('python', taskProgram(t, 'python', wrongPy), { timeoutMs: 20_000 });
  assert.is(r1.status, 'failed');
  const wrongJs = `${t.signature.javascript}\n  return 123456789;\n}\n`;
  const r2 = await runProgram('javascript', taskProgram(t, 'javascript', wrongJs), { timeoutMs: 20_000 });
  assert.is(r2.status, 'failed');
  const broken = `${t.signature.javascript}\n  return (;\n}\n`;
  const r3 = await runProgram('javascript', taskProgram(t, 'javascript', broken), { timeoutMs: 20_000 });
  assert.is(r3.status, 'compile-error', r3.stderrTail);
});

test.run();
