// CSSG input handling (issue 15 item 6): lines split on "\n" only, languages checked as
// own properties, texts cut to what is parsed before caching or buffering, --workers
// capped at the core count. Each test failed before the fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseLang, langFromPath } from '../../src/lang/parser.js';
import { graphOf, MAX_CHARS } from '../../src/cssg/index.js';
import { cappedWorkers } from '../../src/cssg/pool.js';
import { PROBATION } from '../../src/cssg/cache.js';
import { lines } from '../../src/cli/commands/cssg.js';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');

async function collect(chunks: string[], max?: number): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for await (const l of lines(Readable.from(chunks), max)) out.push(l);
  return out;
}

test('lines: "\\n" ends a line, "\\r\\n" too, a lone "\\r" does not', async () => {
  assert.equal(await collect(['a\rb\nc', '\r\nd']), ['a\rb', 'c', 'd']);
  assert.equal(await collect(['x\n\n']), ['x', '']);
  assert.equal(await collect(['ab', 'cdef\ngh']), ['abcdef', 'gh']);
});

test('lines: an over-long line is skipped (null) and the next one is intact', async () => {
  assert.equal(await collect(['12345', '6789\nok\n'], 5), [null, 'ok']);
});

test('parseLang: only real languages and aliases (no Object.prototype names)', () => {
  for (const bad of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    assert.throws(() => parseLang(bad), /unknown language/, bad);
  }
  assert.is(parseLang('py'), 'python');
  assert.is(langFromPath('x.constructor'), undefined);
  assert.is(langFromPath('x.__proto__'), undefined);
});

test('graph cache keys on the parsed prefix: inputs equal up to MAX_CHARS share one graph', () => {
  const head = 'def f(a):\n    return a + 1\n' + '#'.repeat(MAX_CHARS);
  assert.is(graphOf(head + 'x = 1\n'.repeat(100), 'python'), graphOf(head + 'y = 2\n'.repeat(100), 'python'));
});

test('graph cache: a text asked for once leaves after PROBATION newer texts, one asked for twice stays', () => {
  const code = (name: string) => `def ${name}(xs):\n    return [x + 1 for x in xs]\n`;
  const repeat = graphOf(code('probation_repeat'), 'python');
  assert.is(graphOf(code('probation_repeat'), 'python'), repeat, 'a repeat among the recent texts is a hit');
  const seen = graphOf(code('probation_twice'), 'python');
  graphOf(code('probation_twice'), 'python');
  const other = graphOf(code('probation_other'), 'python');
  for (let i = 0; i <= PROBATION; i++) graphOf(code(`probation_new${i}`), 'python');
  assert.is(graphOf(code('probation_twice'), 'python'), seen, 'admitted at its second request');
  assert.is.not(graphOf(code('probation_other'), 'python'), other, 'asked for once: built again');
});

test('cappedWorkers: at most the core count, at least 1', () => {
  assert.is(cappedWorkers(1000), availableParallelism());
  assert.is(cappedWorkers(1), 1);
  assert.is(cappedWorkers(0), 1);
});

test('CLI --pairs: a lone "\\r" inside a line gives one output line; bad lang and workers are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cssg-in-'));
  const ok = JSON.stringify({ a: 'def f(a):\n    return a\n', b: 'def f(a):\n    return a\n', lang: 'python' });
  const rows = [ok.slice(0, 5) + '\r' + ok.slice(5), JSON.stringify({ a: 'x = 1', b: 'x = 1', lang: 'constructor' }), JSON.stringify({ a: 'x = 1', b: 'x = 1', lang: 'python', lang_b: '__proto__' }), ok];
  writeFileSync(join(dir, 'p.jsonl'), rows.join('\r\n') + '\r\n');
  const p = spawnSync(process.execPath, [cli, 'cssg', '--pairs', join(dir, 'p.jsonl'), '--workers', '1000'], { encoding: 'utf8' });
  assert.is(p.status, 0, p.stderr);
  const out = p.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(out.length, 4);
  assert.is(out[0].score, 1, JSON.stringify(out[0]));
  assert.match(out[1].error, /unknown language 'constructor'/);
  assert.match(out[2].error, /unknown language '__proto__'/);
  assert.is(out[3].score, 1);
  const w = spawnSync(process.execPath, [cli, 'cssg', '--pairs', join(dir, 'p.jsonl'), '--workers', 'abc'], { encoding: 'utf8' });
  assert.ok(w.status !== 0 && /--workers must be a positive integer/.test(w.stderr), w.stderr);
});

test.run();
