import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyStop, evaluate, readCompletions } from '../../src/eval/harness.js';
import { loadBenchmark } from '../../src/data/benchmarks.js';

test('stop sequences cut at the earliest match', () => {
  assert.is(applyStop('    return 1\n\ndef g():\n    pass\n#x', ['\n#', '\ndef']), '    return 1\n');
  assert.is(applyStop('abc', ['\nx']), 'abc');
});

test('completions file: samples grouped per task, malformed lines named and skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compl-'));
  const f = join(dir, 'c.jsonl');
  writeFileSync(f, ['{"task_id": "A", "completion": "x"}', '{"task_id": 7, "completion": "y"}', 'nope', '{"task_id": "A", "completion": "z"}', '{"completion": "w"}', ''].join('\n'));
  const r = readCompletions(f);
  rmSync(dir, { recursive: true, force: true });
  assert.equal([...r.byId], [['A', ['x', 'z']], ['7', ['y']]]);
  assert.is(r.problems.length, 2);
  assert.match(r.problems[0], /c\.jsonl:3: malformed JSON/);
  assert.match(r.problems[1], /c\.jsonl:5: needs "task_id"/);
});

test('tasks benchmark: references pass, unknown ids and missing problems are reported', async () => {
  const bench = loadBenchmark('tasks', { lang: 'python', count: 6, seed: 3, split: 'validation' });
  const c = new Map(bench.problems.slice(0, 5).map((p) => [p.id, [p.reference!, '    return None\n']]));
  c.set('nope', ['x']);
  const rep = await evaluate(bench, c, { timeoutMs: 20_000, ks: [1, 2, 5] });
  assert.is(rep.problems, 5);
  assert.equal(rep.missing, [bench.problems[5].id]);
  assert.equal(rep.unknown, ['nope']);
  assert.is(rep.passAtK['pass@1'], 0.5);
  assert.is(rep.passAtK['pass@2'], 1);
  assert.is(rep.passAtK['pass@5'], undefined); // more than the 2 samples per problem
});

test.run();
