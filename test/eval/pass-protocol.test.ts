// The pass protocol (src/eval/drivers.ts): a completion passes only by passing its tests.
// Each trick below is a completion that fails its task yet, run the old way (prompt +
// completion + tests as one file, judged by exit status), exits 0; the test asserts both:
// the old way is fooled (so the trick is real), the checked way is not. Tricks that need the
// driver's own defenses to fail (settrace, builtins) were checked by disabling them once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runProgram, unavailable, NO_NONCE } from '../../src/eval/languages.js';
import { generateTasks, taskProgram } from '../../src/data/tasks/index.js';
import { taskChecked } from '../../src/data/benchmarks.js';
import type { Lang } from '../../src/lang/parser.js';

const [task] = generateTasks({ seed: 12, count: 1, families: ['fold'] });
const opts = { uidBase: Number(process.env.BATCODER_PROTOCOL_UID ?? 64700) };
const limits = { timeoutMs: 60_000 };

/** Runs `body` (the completion after the signature line) the old way and the checked way. */
async function both(lang: Lang, body: string) {
  const code = `${task.prompt[lang]}${body}`;
  const [old, now] = await Promise.all([
    runProgram(lang, taskProgram(task, lang, code), limits, { ...opts, slot: 0 }),
    runProgram(lang, taskChecked(task, lang, code), limits, { ...opts, slot: 1 }),
  ]);
  return { old, now };
}

function trick(lang: Lang, name: string, body: string, oldFooled = true) {
  test(`${lang}: ${name} does not pass`, async () => {
    if (unavailable(lang)) return console.log(`  (${lang} not installed)`);
    const { old, now } = await both(lang, body);
    if (oldFooled) assert.is(old.status, 'passed', `the trick no longer fools a plain run: ${old.stderrTail}`);
    assert.is.not(now.status, 'passed', `checked run passed: ${now.stdout}`);
  });
}

test('the reference passes in every language, and the nonce is removed from stdout', async () => {
  for (const lang of ['python', 'ruby', 'javascript', 'go'] as Lang[]) {
    if (unavailable(lang)) continue;
    const ref = task.code[lang]!.slice(task.code[lang]!.indexOf('\n') + 1);
    const r = await runProgram(lang, taskChecked(task, lang, `${task.prompt[lang]}${ref}`), limits, opts);
    assert.is(r.status, 'passed', `${lang}: ${r.stderrTail}`);
    assert.not.match(r.stdout, /[0-9a-f]{32}/);
  }
});

test('an early exit 0 is reported as such', async () => {
  const { now } = await both('python', '    import os\n    return 0\nimport os\nos._exit(0)\n');
  assert.is(now.status, 'failed');
  assert.ok(now.stderrTail.includes(NO_NONCE), now.stderrTail);
});

const WRONG_PY = '    return -12345\n';
trick('python', 'os._exit(0) after a wrong body', `${WRONG_PY}import os\nos._exit(0)\n`);
trick('python', 'sys.exit(0)', `${WRONG_PY}import sys\nsys.exit(0)\n`);
trick('python', 'raise SystemExit(0)', `${WRONG_PY}raise SystemExit(0)\n`);
trick('python', 'an atexit hook that exits 0', `${WRONG_PY}import atexit, os\natexit.register(lambda: os._exit(0))\n`);
trick('python', 'sys.excepthook that exits 0', `${WRONG_PY}import sys, os\nsys.excepthook = lambda *a: os._exit(0)\n`);
trick('python', 'os._exit(0) from inside the function', '    import os\n    os._exit(0)\n');
trick('python', 'sys.exit(0) from inside the function', '    import sys\n    sys.exit(0)\n');
trick('python', 'an always-equal object', '    class E:\n        def __eq__(self, o):\n            return True\n        __hash__ = None\n    return E()\n');
trick('python', 'an int subclass that equals everything', '    class I(int):\n        def __eq__(self, o):\n            return True\n        __hash__ = int.__hash__\n    return I(0)\n');
// A trace function that, on every line of the tests, swaps the function under test for one
// returning an always-equal object (in the tests' globals, where the guard cannot see it).
trick(
  'python',
  'sys.settrace swapping the function while the tests run',
  `${WRONG_PY}import sys\nclass _E:\n    def __eq__(self, o):\n        return True\n    __hash__ = None\ndef _t(frame, event, arg):\n    if event == 'line' and frame.f_code.co_filename != 'solution.py':\n        frame.f_globals['${task.entryPoint.python}'] = lambda *a: _E()\n    return _t\nsys.settrace(_t)\nsys._getframe().f_trace = _t\n`,
);
trick('python', 'reading the expected answers from the test file', `    import re\n    try:\n        src = open('tests.py').read()\n    except OSError:\n        return -1\n    return int(re.findall(r'\\) == (-?\\d+)', src)[0])\n`, false);

const WRONG_RB = '  -12345\nend\n';
trick('ruby', 'exit!(0) after a wrong body', `${WRONG_RB}exit!(0)\n`);
trick('ruby', 'exit(0)', `${WRONG_RB}exit(0)\n`);
trick('ruby', 'an at_exit hook that exits 0', `${WRONG_RB}at_exit { exit!(0) }\n`);
trick('ruby', 'exit!(0) inside the method', '  exit!(0)\nend\n');
trick('ruby', 'an always-equal object', '  o = Object.new\n  def o.==(x) = true\n  o\nend\n');
trick('ruby', 'Integer#== redefined', `${WRONG_RB}class Integer\n  def ==(o) = true\nend\n`);
trick('ruby', 'raise redefined to do nothing', `${WRONG_RB}def raise(*a) = nil\n`);

const WRONG_JS = '  return -12345;\n}\n';
trick('javascript', 'process.exit(0) after a wrong body', `${WRONG_JS}process.exit(0);\n`);
trick('javascript', 'an uncaughtException handler that exits 0', `${WRONG_JS}process.on('uncaughtException', () => process.exit(0));\n`);
trick('javascript', 'process.exit(0) inside the function', '  process.exit(0);\n}\n');
trick('javascript', 'JSON.stringify patched', `${WRONG_JS}JSON.stringify = () => '0';\n`);
trick('javascript', 'the global JSON replaced', `${WRONG_JS}globalThis.JSON = { stringify: () => '0' };\n`);

const WRONG_GO = '\treturn -12345\n}\n';
trick('go', 'its own TestMain that runs nothing', `${WRONG_GO}\nfunc TestMain(m *testing.M) {}\n`);

test.run();
