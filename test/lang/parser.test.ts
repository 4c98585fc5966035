import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseLang, langFromPath, LANGS } from '../../src/lang/parser.js';

const samples = {
  python: 'def f(a, b):\n    return a + b\n',
  ruby: 'def f(a, b)\n  a + b\nend\n',
  go: 'package main\nfunc f(a int, b int) int { return a + b }\n',
  javascript: 'function f(a, b) { return a + b; }\n',
};

test('each language parses a small function without errors', () => {
  for (const lang of LANGS) {
    const tree = parse(samples[lang], lang);
    assert.is(tree.rootNode.hasError, false, lang);
    assert.ok(tree.rootNode.namedChildCount > 0, lang);
  }
});

test('broken code still yields a tree with error nodes', () => {
  const tree = parse('def f(:\n  return ((', 'python');
  assert.ok(tree.rootNode.hasError);
});

test('language names and extensions', () => {
  assert.is(parseLang('Py'), 'python');
  assert.is(parseLang('golang'), 'go');
  assert.is(langFromPath('x/y.rb'), 'ruby');
  assert.is(langFromPath('x/y.txt'), undefined);
  assert.throws(() => parseLang('cobol'), /unknown language 'cobol'/);
});

test('inputs longer than 32 KiB parse', () => {
  const big = Array.from({ length: 3000 }, (_, i) => `x${i} = ${i}`).join('\n');
  const tree = parse(big, 'python');
  assert.is(tree.rootNode.namedChildCount, 3000);
});

test.run();
