import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDoc, looksLikeCode, renderDoc, signatureOf } from '../../src/doc/index.js';
import { parseLang, type Lang } from '../../src/lang/parser.js';
import { repoRoot } from '../../src/util/paths.js';

interface Case {
  name: string;
  lang: Lang;
  score: number;
  code: string;
  doc: string;
  rewritten?: string;
  reason?: string;
  line: number;
}

/** Parse test/fixtures/doc/format-cases.txt (format described at its top). */
function loadCases(): Case[] {
  const path = join(repoRoot(), 'test', 'fixtures', 'doc', 'format-cases.txt');
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: Case[] = [];
  let cur: (Partial<Case> & { sections: Record<string, string[]> }) | null = null;
  let sec: string | null = null;
  const finish = () => {
    if (!cur) return;
    const body = (k: string) => {
      const s = cur!.sections[k];
      if (!s) return undefined;
      // a section body ends at the next header; drop the blank separator lines before it
      const copy = s.slice();
      while (copy.length && copy[copy.length - 1] === '') copy.pop();
      return copy.join('\n');
    };
    if (body('code') === undefined || body('doc') === undefined) throw new Error(`${path}:${cur.line}: case ${cur.name} lacks code or doc`);
    cases.push({
      name: cur.name!, lang: cur.lang!, score: cur.score!, line: cur.line!,
      code: body('code')!, doc: cur.sections['doc']!.join('\n'),
      ...(body('rewritten') !== undefined ? { rewritten: body('rewritten')! } : {}),
      ...(body('reason') !== undefined ? { reason: body('reason')! } : {}),
    });
  };
  lines.forEach((l, i) => {
    const h = /^### (.+?) \| (\w+) \| ([\d.]+)$/.exec(l);
    if (h) {
      finish();
      cur = { name: h[1]!, lang: parseLang(h[2]!), score: Number(h[3]), line: i + 1, sections: {} };
      sec = null;
      return;
    }
    const s = /^--- (code|doc|rewritten|reason)$/.exec(l);
    if (s && cur) {
      sec = s[1]!;
      cur.sections[sec] = [];
      return;
    }
    if (cur && sec) cur.sections[sec]!.push(l);
  });
  finish();
  return cases;
}

const cases = loadCases();

test('fixture file has >= 30 cases covering all decisions and languages', () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
  for (const s of [0, 0.5, 1]) assert.ok(cases.some((c) => c.score === s), `score ${s}`);
  for (const l of ['python', 'ruby', 'go', 'javascript']) assert.ok(cases.some((c) => c.lang === l), l);
  assert.is(new Set(cases.map((c) => c.name)).size, cases.length, 'case names are unique');
});

for (const c of cases) {
  test(`fixture ${c.name} (${c.lang}) -> ${c.score}`, () => {
    const r = checkDoc(c.doc, c.code, c.lang);
    const ctx = `format-cases.txt:${c.line} ${c.name}: reasons ${JSON.stringify(r.reasons)}\n${r.doc}`;
    assert.is(r.score, c.score, ctx);
    if (c.rewritten !== undefined) assert.fixture(r.doc, c.rewritten, ctx);
    if (c.reason !== undefined) assert.ok(r.reasons.some((x) => x.includes(c.reason!)), `expected a reason containing '${c.reason}': ${ctx}`);
    if (r.score === 0) assert.is(r.doc, '');
    if (r.score === 1) assert.is(r.reasons.filter((x) => !x.startsWith('note:')).length, 0);
    // the rewrite is a fixed point: what stage 2 sees scores 1
    if (r.score > 0) {
      const again = checkDoc(r.doc, c.code, c.lang);
      assert.is(again.score, 1, `rewrite is not a fixed point: ${JSON.stringify(again.reasons)}\n${r.doc}`);
      assert.is(again.doc, r.doc);
    }
  });
}

test('renderDoc is the canonical layout', () => {
  assert.is(
    renderDoc({ summary: 'S.', description: [['More.']], args: [{ name: 'a', text: 'A.' }, { name: 'b', type: 'int', text: 'B.' }], returns: ['R.'] }),
    'S.\n\nMore.\n\nArgs:\n    a: A.\n    b (int): B.\n\nReturns:\n    R.',
  );
  assert.is(renderDoc({ summary: 'S.', description: [], args: [], returns: ['None.'] }), 'S.\n\nReturns:\n    None.');
});

test('signature parser per language', () => {
  const sig = (code: string, lang: Lang) => signatureOf(code, lang)?.params;
  assert.equal(sig('class A:\n  async def f(self, a, b: int = 2, *args: int, c, d=3, /, **kw) -> int:\n    return a\n', 'python'), ['a', 'b', 'args', 'c', 'd', 'kw']);
  assert.equal(sig('def f(cls, *, key): pass\n', 'python'), ['key']);
  assert.equal(sig('def self.f(a, b = 1, *rest, key:, key2: 3, **opts, &blk)\n  a\nend\n', 'ruby'), ['a', 'b', 'rest', 'key', 'key2', 'opts', 'blk']);
  assert.equal(sig('def g a, b\n  a\nend\n', 'ruby'), ['a', 'b']);
  assert.equal(sig('package p\nfunc (r *T) F(a, b int, c string, xs ...int) (int, error) { return 0, nil }\n', 'go'), ['a', 'b', 'c', 'xs']);
  assert.equal(sig('func G(int, string) {}\n', 'go'), []);
  assert.equal(sig('async function f(a, b = 2, {c, d: e}, [g], ...rest) { return a }\n', 'javascript'), ['a', 'b', 'c', 'e', 'g', 'rest']);
  assert.equal(sig('const h = z => z;\n', 'javascript'), ['z']);
  assert.equal(sig('class K { m(p, q) { return p } }\n', 'javascript'), ['p', 'q']);
  assert.is(signatureOf('x = 1\n', 'python'), null);
  assert.is(signatureOf('const g = (x, y) => x + y;\n', 'javascript')?.header, 'const g = (x, y) =>');
  // broken code still yields the parameters of the function that parses
  assert.equal(sig('def f(a, b):\n    return (a +\n', 'python'), ['a', 'b']);
});

test('code detector', () => {
  for (const l of ['return a + b', 'x = 1', 'def f(a):', 'if (x) {', '}', 'total := 0', 'for x in xs:', 'console.log(x);']) assert.ok(looksLikeCode(l), l);
  for (const l of ['end', 'import os', 'return result', 'class Foo(Base):']) assert.ok(looksLikeCode(l), l);
  for (const l of ['Add two numbers.', 'a: The first number.', 'Returns the sum of a and b.', 'Args:', 'x (int): The value.', 'return the sum of a and b', 'class of the item.']) assert.not.ok(looksLikeCode(l), l);
});

test('a precomputed signature gives the same decisions', () => {
  for (const c of cases.slice(0, 10)) {
    const sig = signatureOf(c.code, c.lang);
    assert.equal(checkDoc(c.doc, c.code, c.lang, { signature: sig }), checkDoc(c.doc, c.code, c.lang), c.name);
  }
});

test('hostile input never throws', () => {
  const junk = ['\u0000\u0001', '```', '"""', '/**', ':param', '@param', 'Args:', 'Returns:\n\n\n', '#'.repeat(1000), 'a'.repeat(100000), '-----\n:::\n```js'];
  for (const d of junk) for (const lang of ['python', 'ruby', 'go', 'javascript'] as const) {
    const r = checkDoc(d, 'def f(a):\n  return a\n', lang);
    assert.ok([0, 0.5, 1].includes(r.score));
  }
  const r = checkDoc('Does things.\n\nReturns:\n    Stuff.', 'x = 1', 'python');
  assert.is(r.score, 1); // no function in the code: nothing to check against
});

test.run();
