// The xlang-mbpp loader: malformed lines are refused with the file and line named, and the
// shipped tune split loads whole (50 problems, the ids of split.json, all three languages).
// That the translations pass their MBPP tests is tools/xlang-mbpp-verify.mjs's job.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadXlangMbpp, parseXlangMbpp, xlangMbppFile } from '../../src/data/xlang-mbpp.js';
import { repoRoot } from '../../src/util/paths.js';

const good = (id: number) => JSON.stringify({ task_id: id, python: 'def f(x):\n    return x\n', javascript: 'function f(x) {\n  return x;\n}', go: 'func F(x int) int {\n\treturn x\n}' });

test('a well-formed file parses into problems', () => {
  const p = parseXlangMbpp(`${good(3)}\n\n${good(7)}\n`, 'x.jsonl');
  assert.equal(p.map((q) => q.taskId), [3, 7]);
  assert.is(p[1].go, 'func F(x int) int {\n\treturn x\n}');
});

test('malformed lines name the file and the line', () => {
  const cases: [string, RegExp][] = [
    [`${good(1)}\n{"task_id": 2, "python": "x"`, /^bad\.jsonl:2: not a JSON object/],
    [`${good(1)}\n${good(2).replace('"go"', '"golang"')}`, /^bad\.jsonl:2: unknown field 'golang'/],
    [`${good(1)}\n${JSON.stringify({ task_id: 2, python: 'def f(): pass', javascript: 'function f() {}' })}`, /^bad\.jsonl:2: go must be a non-empty string/],
    [`${good(1)}\n${good(2).replace('"task_id":2', '"task_id":"2"')}`, /^bad\.jsonl:2: task_id must be an integer/],
    [`${good(5)}\n${good(4)}`, /^bad\.jsonl:2: task_id 4 is not after 5/],
    [`[1, 2]`, /^bad\.jsonl:1: not a JSON object/],
  ];
  for (const [text, want] of cases) assert.throws(() => parseXlangMbpp(text, 'bad.jsonl'), want, text);
});

test('a missing or unknown split is refused by name', () => {
  assert.throws(() => loadXlangMbpp({ file: '/nonexistent/x.jsonl' }), /no file \/nonexistent\/x\.jsonl/);
  assert.throws(() => loadXlangMbpp('train' as never), /unknown xlang-mbpp split 'train'/);
});

test('the shipped tune split: the 50 ids of split.json, all three languages', () => {
  const tune = loadXlangMbpp('tune');
  const split = JSON.parse(readFileSync(join(repoRoot(), 'assets', 'xlang-mbpp', 'split.json'), 'utf8')) as { tune: number[] };
  assert.is(tune.length, 50);
  assert.equal(tune.map((p) => p.taskId), split.tune);
  for (const p of tune) {
    assert.match(p.python, /^def \w+\(/m, `python of ${p.taskId}`);
    assert.match(p.javascript, /^function [a-z]\w*\(/m, `javascript of ${p.taskId}`);
    assert.match(p.go, /^func [A-Z]\w*\(/m, `go of ${p.taskId}`);
  }
  assert.ok(xlangMbppFile('tune').endsWith(join('assets', 'xlang-mbpp', 'tune.jsonl')));
});

test.run();
