// The plain-JavaScript tree copy the CSSG builder walks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plainTree, field, type PNode } from '../../src/lang/tree.js';
import { LANGS } from '../../src/lang/parser.js';

function all(n: PNode, out: PNode[] = []): PNode[] {
  out.push(n);
  for (const c of n.children) all(c, out);
  return out;
}

test('fields, named flags and text offsets match the source', () => {
  const code = 'def f(a, b):\n    return a + b  # sum\n';
  const t = plainTree(code, 'python');
  const fn = t.root.children[0];
  assert.is(fn.type, 'function_definition');
  assert.is(code.slice(field(fn, 'name')!.start, field(fn, 'name')!.end), 'f');
  const plus = all(t.root).find((n) => n.type === '+')!;
  assert.is(plus.named, false);
  assert.is(plus.field, 'operator');
  assert.is(code.slice(plus.start, plus.end), '+');
});

test('comments are dropped in every language', () => {
  const src = { python: 'x = 1  # c\n', ruby: 'x = 1 # c\n', go: 'package m\n// c\nvar x = 1 /* d */\n', javascript: 'let x = 1; // c\n/* d */\n' };
  for (const lang of LANGS) {
    const types = all(plainTree(src[lang], lang).root).map((n) => n.type);
    assert.not.ok(types.some((t) => t.includes('comment')), lang);
  }
});

test('offsets are in UTF-16 code units (non-ASCII text)', () => {
  const code = 's = "héllo 😀"\nt = s\n';
  const t = plainTree(code, 'python');
  const ids = all(t.root).filter((n) => n.type === 'identifier').map((n) => code.slice(n.start, n.end));
  assert.equal(ids, ['s', 't', 's']);
});

test('error recovery: ERROR nodes kept and counted, missing tokens dropped', () => {
  const t = plainTree('def f(:\n    return ((', 'python');
  assert.ok(t.errorChars > 0);
  assert.ok(all(t.root).every((n) => n.end > n.start || n === t.root));
});

test('size cap and token filter', () => {
  const big = Array.from({ length: 2000 }, (_, i) => `x${i} = (${i}, ${i})`).join('\n');
  const t = plainTree(big, 'python', 500);
  assert.is(t.size, 500);
  const f = plainTree('x = (1, 2) + y', 'python', 1000, (tok) => tok === '+');
  const anon = all(f.root).filter((n) => !n.named).map((n) => n.type);
  assert.equal(anon, ['+']);
});

test.run();
