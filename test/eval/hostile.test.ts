// Hostile programs must be contained: right status within timeout + margin, no process
// left behind, temp dir removed, and nothing outside the sandbox touched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../src/eval/languages.js';
import { liveProcesses, sandboxInfo, type RunResult } from '../../src/eval/sandbox.js';
import { repoRoot, sharedDir } from '../../src/util/paths.js';
import { LANGS } from '../../src/lang/parser.js';
import { generateTasks, taskProgram } from '../../src/data/tasks/index.js';
import { unavailable } from '../../src/eval/languages.js';

// A uid range of its own: a fork bomb here must not starve sandboxes of other test files.
const opts = { uidBase: Number(process.env.BATCODER_HOSTILE_UID ?? 64500) };
const MARGIN_MS = 5000;
const tag = `${process.pid}-${Date.now()}`;

async function settled(r: RunResult): Promise<number[]> {
  // the kernel reaps a killed pid namespace asynchronously; give it a moment
  for (let i = 0; i < 50; i++) {
    const left = liveProcesses(r.sandboxId);
    if (left.length === 0) return left;
    await new Promise((res) => setTimeout(res, 100));
  }
  return liveProcesses(r.sandboxId);
}

async function contained(r: RunResult, timeoutMs: number) {
  assert.ok(r.ms < timeoutMs + MARGIN_MS, `took ${r.ms.toFixed(0)} ms`);
  assert.equal(await settled(r), [], 'processes left behind');
  assert.not.ok(existsSync(r.workDir), `temp dir ${r.workDir} not removed`);
}

test('sandbox reports what it could set up', () => {
  const info = sandboxInfo();
  console.log(`  sandbox: network ${info.network}, filesystem ${info.filesystem}${info.warnings.length ? `; ${info.warnings.join('; ')}` : ''}`);
  assert.ok(['bwrap', 'unshare', 'none'].includes(info.network));
});

test('infinite loop -> timeout', async () => {
  const r = await runProgram('python', 'while True:\n    pass\n', { timeoutMs: 1500 }, opts);
  assert.is(r.status, 'timeout');
  await contained(r, 1500);
});

test('fork bomb -> timeout or crashed, no process survives', async () => {
  const prog = 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n';
  const r = await runProgram('python', prog, { timeoutMs: 2000 }, opts);
  assert.ok(r.status === 'timeout' || r.status === 'crashed', r.status);
  await contained(r, 2000);
});

test('allocating 10 GB -> crashed (memory limit)', async () => {
  const r = await runProgram('python', 'x = bytearray(10 * 1024 ** 3)\nprint(len(x))\n', { timeoutMs: 5000, memoryBytes: 1024 ** 3 }, opts);
  assert.is(r.status, 'crashed', r.stderrTail);
  await contained(r, 5000);
});

test('writing outside the temp dir -> fails, nothing written', async () => {
  const hostTmp = join(tmpdir(), `batcoder-hostile-${tag}`);
  mkdirSync(hostTmp, { recursive: true });
  // With bwrap even a world-writable dir must stay untouched (it is not mounted); with the
  // uid-drop fallback only files the sandbox uid cannot write are protected.
  const fs = sandboxInfo().filesystem;
  if (fs === 'none') return console.log('  (no bwrap and not root: programs can write your files; not checked)');
  chmodSync(hostTmp, fs === 'private' ? 0o777 : 0o755);
  const inRepo = join(repoRoot(), `hostile-write-${tag}.txt`);
  const prog = [
    'import os',
    'ok = 0',
    `for p in [${JSON.stringify(join(hostTmp, 'pwned.txt'))}, ${JSON.stringify(inRepo)}, "/etc/batcoder-pwned", "/usr/batcoder-pwned"]:`,
    '    try:',
    '        open(p, "w").write("pwned")',
    '        ok += 1',
    '    except OSError as e:',
    '        print(p, e)',
    'assert ok == 4, f"only {ok} of 4 writes succeeded"',
    '',
  ].join('\n');
  const r = await runProgram('python', prog, { timeoutMs: 5000 }, opts);
  assert.is(r.status, 'failed', r.stderrTail);
  assert.not.ok(existsSync(join(hostTmp, 'pwned.txt')), 'wrote into host /tmp');
  assert.not.ok(existsSync(inRepo), 'wrote into the project');
  assert.not.ok(existsSync('/etc/batcoder-pwned'));
  assert.not.ok(existsSync('/usr/batcoder-pwned'));
  rmSync(hostTmp, { recursive: true, force: true });
  await contained(r, 5000);
});

test('deleting files -> fails, files intact', async () => {
  const hostTmp = join(tmpdir(), `batcoder-canary-${tag}`);
  const fs = sandboxInfo().filesystem;
  if (fs === 'none') return console.log('  (no bwrap and not root: programs can delete your files; not checked)');
  mkdirSync(hostTmp, { recursive: true });
  chmodSync(hostTmp, fs === 'private' ? 0o777 : 0o755);
  const canaryTmp = join(hostTmp, 'keep.txt');
  writeFileSync(canaryTmp, 'keep');
  chmodSync(canaryTmp, fs === 'private' ? 0o666 : 0o644);
  const repoCanaryDir = join(repoRoot(), '.cache', `canary-${tag}`);
  mkdirSync(repoCanaryDir, { recursive: true });
  const canaryRepo = join(repoCanaryDir, 'keep.txt');
  writeFileSync(canaryRepo, 'keep');
  const prog = [
    'import os, shutil',
    'gone = 0',
    `for p in [${JSON.stringify(canaryTmp)}, ${JSON.stringify(canaryRepo)}]:`,
    '    try:',
    '        os.remove(p)',
    '        gone += 1',
    '    except OSError as e:',
    '        print(p, e)',
    `shutil.rmtree(${JSON.stringify(repoCanaryDir)}, ignore_errors=True)`,
    'assert gone == 2',
    '',
  ].join('\n');
  const r = await runProgram('python', prog, { timeoutMs: 5000 }, opts);
  assert.is(r.status, 'failed', r.stderrTail);
  assert.is(readFileSync(canaryTmp, 'utf8'), 'keep');
  assert.is(readFileSync(canaryRepo, 'utf8'), 'keep');
  rmSync(hostTmp, { recursive: true, force: true });
  rmSync(repoCanaryDir, { recursive: true, force: true });
  await contained(r, 5000);
});

test('opening a network socket -> fails, the host server sees nothing', async () => {
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.end();
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  const prog = [
    'import socket',
    'reached = []',
    `for host, port in [("127.0.0.1", ${port}), ("1.1.1.1", 53), ("8.8.8.8", 443)]:`,
    '    try:',
    '        socket.create_connection((host, port), timeout=2).close()',
    '        reached.append(host)',
    '    except OSError as e:',
    '        print(host, e)',
    'assert reached, "no network"',
    '',
  ].join('\n');
  const r = await runProgram('python', prog, { timeoutMs: 10_000 }, opts);
  server.close();
  const info = sandboxInfo();
  if (info.network === 'none') {
    console.log('  (no network namespace on this machine: containment of sockets not available)');
    return;
  }
  assert.is(r.status, 'failed', r.stdout + r.stderrTail);
  assert.is(connections, 0);
  await contained(r, 10_000);
});

test('printing 1 GB -> crashed (output limit), quickly', async () => {
  const prog = 'import sys\nchunk = "x" * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n';
  const r = await runProgram('python', prog, { timeoutMs: 20_000, outputCapBytes: 1 << 20 }, opts);
  assert.is(r.status, 'crashed');
  assert.is(r.killedBy, 'output-limit');
  assert.ok(r.stdout.length <= 1 << 20);
  await contained(r, 20_000);
});

test('a daemon that escapes the process group is killed with the sandbox', async () => {
  const prog = 'import subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)\nprint("left a daemon")\n';
  const r = await runProgram('python', prog, { timeoutMs: 5000 }, opts);
  assert.is(r.status, 'passed', r.stderrTail);
  await contained(r, 5000);
});

test('every installed language runs in this sandbox mode', async () => {
  const [t] = generateTasks({ seed: 12, count: 1, families: ['fold'] });
  for (const lang of LANGS) {
    if (unavailable(lang)) continue;
    const r = await runProgram(lang, taskProgram(t, lang, t.code[lang]!), { timeoutMs: 60_000 }, opts);
    assert.is(r.status, 'passed', `${lang}: ${r.stdout}${r.stderrTail}`);
    await contained(r, 60_000);
  }
});

test('the program sees only its own directory: no project, datasets, home or host /tmp', async () => {
  if (sandboxInfo().filesystem !== 'private') return console.log('  (no private filesystem in this mode)');
  const marker = join(tmpdir(), `batcoder-visible-${tag}`);
  writeFileSync(marker, 'x');
  const paths = [repoRoot(), join(repoRoot(), 'package.json'), join(repoRoot(), '..', 'shared'), sharedDir(), join(sharedDir(), 'datasets', 'HumanEval.jsonl.gz'), homedir(), '/root', '/home', '/work', marker];
  const prog = `import os, sys\nseen = [p for p in ${JSON.stringify(paths)} if os.path.exists(p)]\nprint(seen)\nsys.exit(1 if seen else 0)\n`;
  const r = await runProgram('python', prog, { timeoutMs: 5000 }, opts);
  rmSync(marker, { force: true });
  assert.is(r.status, 'passed', `visible: ${r.stdout}`);
  await contained(r, 5000);
});

test('/tmp, /var/tmp and /dev/shm are private to one run', async () => {
  if (sandboxInfo().filesystem !== 'private') return console.log('  (no private filesystem in this mode)');
  const name = `batcoder-persist-${tag}`;
  const write = `import os\nfor d in ['/tmp', '/var/tmp', '/dev/shm']:\n    try:\n        open(os.path.join(d, '${name}'), 'w').write('x')\n    except OSError as e:\n        print(d, e)\n`;
  const check = `import os, sys\nleft = [d for d in ['/tmp', '/var/tmp', '/dev/shm'] if os.path.exists(os.path.join(d, '${name}'))]\nprint(left)\nsys.exit(1 if left else 0)\n`;
  const w = await runProgram('python', write, { timeoutMs: 5000 }, opts);
  assert.is(w.status, 'passed', w.stderrTail);
  const c = await runProgram('python', check, { timeoutMs: 5000 }, opts);
  assert.is(c.status, 'passed', `persisted: ${c.stdout}`);
  for (const d of ['/tmp', '/var/tmp', '/dev/shm']) assert.not.ok(existsSync(join(d, name)), `written to the host's ${d}`);
});

test('/tmp is a size-limited tmpfs', async () => {
  if (sandboxInfo().filesystem !== 'private') return console.log('  (no private filesystem in this mode)');
  const prog = 'import sys\ntry:\n    with open("/tmp/big", "wb") as f:\n        for _ in range(64):\n            f.write(b"x" * (1 << 20))\nexcept OSError as e:\n    print(e)\n    sys.exit(3)\n';
  const r = await runProgram('python', prog, { timeoutMs: 10_000, tmpBytes: 16 << 20 }, opts);
  assert.is(r.status, 'failed', r.stdout + r.stderrTail);
  assert.is(r.exitCode, 3);
  await contained(r, 10_000);
});

test('host unix sockets (a path and an abstract name) cannot be reached', async () => {
  if (sandboxInfo().isolation === 'none') return console.log('  (no isolation in this mode)');
  let connections = 0;
  const path = join(tmpdir(), `batcoder-sock-${tag}`);
  const abstract = `batcoder-abstract-${tag}`;
  const servers = [createServer((s) => { connections++; s.end(); }), createServer((s) => { connections++; s.end(); })];
  await new Promise<void>((res) => servers[0].listen(path, res));
  await new Promise<void>((res) => servers[1].listen(`\0${abstract}`, res));
  const prog = `import socket\nreached = []\nfor addr in [${JSON.stringify(path)}, "\\0${abstract}"]:\n    s = socket.socket(socket.AF_UNIX)\n    try:\n        s.connect(addr)\n        reached.append(addr)\n    except OSError as e:\n        print(repr(addr), e)\nassert not reached, reached\n`;
  const r = await runProgram('python', prog, { timeoutMs: 5000 }, opts);
  for (const s of servers) s.close();
  rmSync(path, { force: true });
  assert.is(r.status, 'passed', r.stdout + r.stderrTail);
  assert.is(connections, 0);
});

test('one memory bound for the whole run: 8 forked children of 200 MiB under a 512 MiB bound', async () => {
  if (sandboxInfo().memory !== 'cgroup') return console.log('  (no memory cgroup here: the bound is per process, stated by sandboxInfo)');
  const bound = 512 << 20;
  const prog = [
    'import os, sys, time',
    'kids = []',
    'for i in range(8):',
    '    pid = os.fork()',
    '    if pid == 0:',
    '        x = b"\\x01" * (200 << 20)',
    '        time.sleep(3)',
    '        os._exit(0)',
    '    kids.append(pid)',
    'ok = all(os.waitpid(p, 0)[1] == 0 for p in kids)',
    'print("all children survived" if ok else "some children were killed")',
    'sys.exit(0 if ok else 1)',
    '',
  ].join('\n');
  const r = await runProgram('python', prog, { timeoutMs: 30_000, memoryBytes: bound }, opts);
  assert.is.not(r.status, 'passed', `8 x 200 MiB ran under a 512 MiB bound: ${r.stdout}`);
  assert.ok(r.peakMemoryBytes !== undefined && r.peakMemoryBytes <= bound, `peak ${r.peakMemoryBytes}`);
  console.log(`  peak ${((r.peakMemoryBytes ?? 0) / 2 ** 20).toFixed(0)} MiB of ${bound / 2 ** 20} MiB: ${r.stdout.trim() || r.status}`);
  await contained(r, 30_000);
});

test('a well-behaved program passes and its output comes back', async () => {
  const r = await runProgram('python', 'print("hello")\n', {}, opts);
  assert.is(r.status, 'passed');
  assert.is(r.stdout, 'hello\n');
  await contained(r, 3000);
});

test.run();
