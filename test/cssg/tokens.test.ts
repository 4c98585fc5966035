// The token baselines (src/cssg/tokens.ts): 'difflib' is CPython's
// difflib.SequenceMatcher(None, a, b).ratio() token for token, autojunk included (the
// expected values below were printed by CPython 3.11's difflib for the same sequences:
//   python3 -c "import difflib; print(difflib.SequenceMatcher(None, A, B).ratio())"),
// averaged over both orders; 'tokens-anon' reads every identifier as one token.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { difflibRatio, leafTokens } from '../../src/cssg/tokens.js';
import { similarity } from '../../src/cssg/index.js';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('difflibRatio equals CPython on short sequences', () => {
  const cases: [string, string, number][] = [
    ['a b c d', 'a x c d', 0.75],
    ['x = a + b ; return x', 'return a + b', 0.5],
    ['a b x c d', 'a b c d', 0.8888888888888888],
  ];
  for (const [a, b, want] of cases) {
    const got = difflibRatio(a.split(' '), b.split(' '));
    assert.ok(close(got, want), `${a} | ${b}: ${got} vs ${want}`);
  }
  assert.is(difflibRatio([], []), 1);
});

test('difflibRatio equals CPython in both orders, autojunk on (>= 200 tokens)', () => {
  // A = ['t' + str((i * i) % 97) for i in range(260)]
  // B = ['t' + str((i * 13 + 5) % 89 if i % 5 else 1) for i in range(230)]
  const A = Array.from({ length: 260 }, (_, i) => 't' + ((i * i) % 97));
  const B = Array.from({ length: 230 }, (_, i) => 't' + (i % 5 ? (i * 13 + 5) % 89 : 1));
  assert.ok(close(difflibRatio(A, B), 0.044897959183673466), String(difflibRatio(A, B)));
  assert.ok(close(difflibRatio(B, A), 0.012244897959183673), String(difflibRatio(B, A)));
  // A2 = ['t' + str((i * i) % 31) for i in range(40)]; B2 = ['t' + str((i * 7 + 3) % 29) for i in range(45)]
  const A2 = Array.from({ length: 40 }, (_, i) => 't' + ((i * i) % 31));
  const B2 = Array.from({ length: 45 }, (_, i) => 't' + ((i * 7 + 3) % 29));
  assert.ok(close(difflibRatio(A2, B2), 0.1411764705882353));
  assert.ok(close(difflibRatio(B2, A2), 0.16470588235294117));
});

test('leaf tokens come in source order; anon masks identifiers only', () => {
  assert.equal(leafTokens('def f(a):\n    return a + 1\n', 'python'), ['def', 'f', '(', 'a', ')', ':', 'return', 'a', '+', '1']);
  assert.equal(leafTokens('def f(a):\n    return a + 1\n', 'python', true), ['def', 'ID', '(', 'ID', ')', ':', 'return', 'ID', '+', '1']);
});

test('difflib is order-sensitive and symmetric; tokens-anon ignores renaming', () => {
  const a = 'def f(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n';
  const b = 'def f(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t * 2\n';
  const shuffled = 'def f(xs):\n    for x in xs:\n        t += x\n    t = 0\n    return t\n';
  const renamed = 'def g(ys):\n    s = 0\n    for y in ys:\n        s += y\n    return s\n';
  assert.is(similarity(a, a, 'python', { metric: 'difflib' }), 1);
  assert.is(similarity(a, b, 'python', { metric: 'difflib' }), similarity(b, a, 'python', { metric: 'difflib' }));
  // the same multiset of tokens in another order: Dice 1, difflib below 1
  assert.is(similarity(a, shuffled, 'python', { metric: 'tokens' }), 1);
  assert.ok(similarity(a, shuffled, 'python', { metric: 'difflib' }) < 1);
  assert.ok(similarity(a, renamed, 'python', { metric: 'tokens' }) < 1);
  assert.is(similarity(a, renamed, 'python', { metric: 'tokens-anon' }), 1);
  assert.ok(similarity(a, b, 'python', { metric: 'tokens-anon' }) < 1);
});

test.run();
