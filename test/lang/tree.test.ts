// The plain-JavaScript tree copy the CSSG builder walks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plainTree, field, type PNode } from '../../src/lang/tree.js';
import { LANGS, parse } from '../../src/lang/parser.js';
import { genProgram, print } from '../cssg/gen.js';

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

// Which types a filter keeps is remembered per type id, so each filter needs its own memory.
test('two token filters on one language each get their own tokens', () => {
  const code = 'x = (1 - 2) + y';
  const anon = (keep: (tok: string) => boolean) => all(plainTree(code, 'python', 1000, keep).root).filter((n) => !n.named).map((n) => n.type);
  assert.equal(anon((tok) => tok === '+'), ['+']);
  assert.equal(anon((tok) => tok === '-'), ['-']);
  assert.equal(anon(() => false), []);
  assert.equal(all(plainTree(code, 'python').root).filter((n) => !n.named).map((n) => n.type), ['=', '(', '-', ')', '+']);
});


// The copy skips the native field-id call under node types whose grammar entry has no
// fields: every field name must still come out as tree-sitter gives it, error trees too.
test('field names equal tree-sitter\'s on every node (field call skipped where no fields)', () => {
  const keyed = (depth: number, start: number, end: number, type: string) => `${depth}:${start}:${end}:${type}`;
  let checked = 0;
  let named = 0;
  for (let seed = 1; seed <= 12; seed++) {
    for (const lang of LANGS) {
      const full = print(genProgram(seed, 4 + (seed % 5)), lang);
      // whole programs, and cut ones (error recovery: ERROR nodes, partial productions)
      for (const code of [full, full.slice(0, Math.floor(full.length * 0.6)), full.replace(/\)/g, '')]) {
        const fields = new Map<string, string>();
        const c = parse(code, lang).walk();
        let depth = 0;
        for (;;) {
          fields.set(keyed(depth, c.startIndex, c.endIndex, c.nodeType), c.currentFieldName ?? '');
          if (c.gotoFirstChild()) depth++;
          else {
            while (!c.gotoNextSibling()) {
              if (!c.gotoParent()) break;
              depth--;
            }
            if (depth === 0) break;
          }
        }
        const visit = (n: PNode, d: number) => {
          const want = fields.get(keyed(d, n.start, n.end, n.type));
          assert.is(n.field, want ?? '', `${lang} ${n.type} at ${n.start}`);
          checked++;
          if (n.field) named++;
          for (const ch of n.children) visit(ch, d + 1);
        };
        visit(plainTree(code, lang).root, 0);
      }
    }
  }
  assert.ok(checked > 5000 && named > 1000, `${checked} nodes, ${named} with a field`);
});

test.run();
