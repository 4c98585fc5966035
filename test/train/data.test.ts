// Phase-0 data of the low-resource setting: documented pairs in two languages plus
// undocumented (code-only) functions of the low-resource one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusCode, lowResourcePairs, parseLowResource } from '../../src/train/data.js';

test('low-resource pairs: counts per language, code-only examples disjoint from the documented ones', () => {
  const pairs = lowResourcePairs(3, 'python:40,ruby:6', 25);
  const doc = (lang: string) => pairs.filter((p) => p.lang === lang && p.doc);
  const codeOnly = pairs.filter((p) => !p.doc);
  assert.ok(doc('python').length >= 40, `python pairs ${doc('python').length}`); // every equivalent variant of 40 tasks
  assert.ok(doc('ruby').length >= 6);
  assert.is(codeOnly.length, 25);
  assert.ok(codeOnly.every((p) => p.lang === 'ruby' && p.code.startsWith('def ')));
  const documented = new Set(doc('ruby').map((p) => p.code));
  assert.ok(codeOnly.every((p) => !documented.has(p.code)), 'a code-only function is also a documented one');
  // 0 keeps the pairs-only setting, and the documented part does not depend on it
  const plain = lowResourcePairs(3, 'python:40,ruby:6', 0);
  assert.ok(plain.every((p) => p.doc));
  assert.equal(plain, pairs.filter((p) => p.doc));
});

test('low-resource spec errors say what was expected', () => {
  assert.equal(parseLowResource('python:10,ruby:2').low, { lang: 'ruby', count: 2 });
  assert.throws(() => parseLowResource('python:10'), /expected "high_lang:count,low_lang:count"/);
  assert.throws(() => parseLowResource('python:10,ruby:x'), /expected/);
});

test('a --data corpus: null, array and malformed lines are warnings with their line numbers', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'batcoder-corpus-')), 'c.jsonl');
  writeFileSync(path, ['null', '{"code": "def f(a):\\n    return a\\n", "language": "python"}', '[1, 2]', '{oops', '"text"', '{"language": "python"}'].join('\n'));
  const warnings: string[] = [];
  const items = corpusCode(path, ['python'], (m) => warnings.push(m));
  assert.is(items.length, 1);
  assert.is(warnings.length, 5, warnings.join('\n'));
  for (const [i, line] of [1, 3, 4, 5, 6].entries()) assert.ok(warnings[i]!.startsWith(`${path}:${line}: skipped`), warnings[i]);
});

test.run();
