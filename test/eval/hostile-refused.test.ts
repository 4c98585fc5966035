// Without bubblewrap and without a usable unshare jail, untrusted code is refused with a
// message that says how to install bubblewrap, unless the user opts in explicitly.
// Set before the first sandbox call: sandboxInfo() reads the environment once, lazily.
process.env.BATCODER_NO_BWRAP = '1';
process.env.BATCODER_NO_UNSHARE = '1';
delete process.env.BATCODER_UNSAFE_NO_SANDBOX;
const { test } = await import('uvu');
const assert = await import('uvu/assert');
const { runProgram } = await import('../../src/eval/languages.js');
const { allowUnsandboxed, describeIsolation, sandboxInfo } = await import('../../src/eval/sandbox.js');

test('no sandbox: running is refused, naming bubblewrap and the opt-in flag', async () => {
  assert.is(sandboxInfo().isolation, 'refused');
  assert.match(describeIsolation(), /refusing/);
  try {
    await runProgram('python', 'print(1)\n');
    assert.unreachable('ran untrusted code without a sandbox');
  } catch (e) {
    const m = (e as Error).message;
    assert.match(m, /bubblewrap/);
    assert.match(m, /tools\/setup\.sh --eval/);
    assert.match(m, /--unsafe-no-sandbox/);
  }
});

test('--unsafe-no-sandbox: runs, and says it is unsandboxed', async () => {
  allowUnsandboxed();
  assert.is(sandboxInfo().isolation, 'none');
  assert.match(describeIsolation(), /NONE/);
  const r = await runProgram('python', 'print("hello")\n', { timeoutMs: 10_000 });
  assert.is(r.status, 'passed', r.stderrTail);
  assert.is(r.stdout, 'hello\n');
});

test.run();
