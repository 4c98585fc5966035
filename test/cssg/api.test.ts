// The batch API and the CLI: scorePairs (inline and on worker threads) agrees with
// similarity, keeps order, handles lang_b; the CLI prints one line per input line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGS } from '../../src/lang/parser.js';
import { similarity, scorePairs, explain, closeWorkers, WORKER_THRESHOLD, type Pair } from '../../src/cssg/index.js';
import { repoRoot } from '../../src/util/paths.js';
import { genProgram, print } from './gen.js';

function pairs(n: number): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    const lang = LANGS[i % 4];
    const langB = LANGS[(i >> 2) % 4];
    // 8 originals, many rollouts each (the training pattern)
    out.push({ a: print(genProgram(i % 8), lang), b: print(genProgram(100 + i), langB), lang, langB });
  }
  return out;
}

test('scorePairs inline equals similarity, in order', async () => {
  const ps = pairs(40);
  for (const metric of ['cssg', 'cssg-v1', 'wl', 'tokens'] as const) {
    const s = await scorePairs(ps, { metric, workers: 1 });
    assert.is(s.length, ps.length);
    ps.forEach((p, i) => assert.is(s[i], similarity(p.a, p.b, p.lang, { metric, langB: p.langB })));
  }
});

test('scorePairs on worker threads equals inline, in order', async () => {
  const ps = pairs(WORKER_THRESHOLD + 37);
  const inline = await scorePairs(ps, { workers: 1 });
  const threaded = await scorePairs(ps, { workers: 2 });
  assert.equal(threaded, inline);
  const again = await scorePairs(ps, { workers: 2, metric: 'wl' });
  assert.equal(again, await scorePairs(ps, { workers: 1, metric: 'wl' }));
  // options (a normalisation switched off) reach the workers
  const off = { off: ['comparison-direction', 'commutative'] as const } as const;
  const offThreaded = await scorePairs(ps, { workers: 2, off: [...off.off] });
  ps.forEach((p, i) => assert.is(offThreaded[i], similarity(p.a, p.b, p.lang, { langB: p.langB, off: [...off.off] })));
  assert.not.equal(offThreaded, inline);
  await closeWorkers();
});

test('explain: counts add up', () => {
  const a = 'def f(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n';
  const b = 'def f(xs):\n    s = 1\n    for x in xs:\n        if x > 0:\n            s *= x\n    return s\n';
  const e = explain(a, b, 'python', { metric: 'cssg-v1' });
  assert.is(e.nodesA + e.nodesB, 2 * e.nodesMatched + e.nodesUnmatched);
  assert.is(e.edgesA + e.edgesB, 2 * e.edgesMatched + e.edgesUnmatched);
  assert.is(e.total, e.nodesA + e.nodesB + e.edgesA + e.edgesB);
  assert.ok(Math.abs(e.score - (1 - e.cost / e.total)) < 1e-12);
  assert.is(e.score, similarity(a, b, 'python', { metric: 'cssg-v1' }));
  // v2: the calibrated score of the same edit path
  const e2 = explain(a, b, 'python');
  assert.is(e2.score, similarity(a, b, 'python'));
  assert.ok(e2.score < 1 - e2.cost / e2.total);
});

test('function entries match only function entries', () => {
  // two functions vs one: one entry stays unmatched
  const e = explain('def f(a):\n    return a\n\ndef g(b):\n    return b\n', 'def f(a):\n    return a\n', 'python');
  assert.is(e.nodesUnmatched, 3);
});

test('CLI: two files, and --pairs with one output line per input line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cssg-'));
  const cli = join(repoRoot(), 'dist', 'cli.js');
  writeFileSync(join(dir, 'a.py'), 'def f(a):\n    return a + 1\n');
  writeFileSync(join(dir, 'b.go'), 'func F(a int) int { return a + 1 }\n');
  const r = spawnSync(process.execPath, [cli, 'cssg', join(dir, 'a.py'), join(dir, 'b.go')], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(Number(r.stdout.trim()), 1);
  const lines = [
    JSON.stringify({ a: 'def f(a):\n    return a + 1\n', b: 'def g(b):\n    return b - 1\n', lang: 'python' }),
    'not json',
    JSON.stringify({ a: 'x = 1', b: 'y = 2', lang: 'cobol' }),
    JSON.stringify({ a: 'def f(a):\n    return a\n', b: 'function f(a) { return a; }', lang: 'python', lang_b: 'javascript' }),
  ];
  writeFileSync(join(dir, 'p.jsonl'), lines.join('\n') + '\n');
  for (const extra of [[], ['--explain'], ['--metric', 'tokens']]) {
    const p = spawnSync(process.execPath, [cli, 'cssg', '--pairs', join(dir, 'p.jsonl'), ...extra], { encoding: 'utf8' });
    assert.is(p.status, 0, p.stderr);
    const out = p.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.is(out.length, 4);
    assert.ok(out[0].score > 0 && out[0].score < 1);
    assert.ok(out[1].error && out[2].error);
    if (extra[0] !== '--metric') assert.is(out[3].score, 1);
    if (extra[0] === '--explain') assert.ok(typeof out[0].nodes_matched === 'number' && typeof out[0].edges_unmatched === 'number');
  }
});

test.run();
