// CSSG v2 (metric 'cssg'), the cross-language idioms found on the hand-written MBPP set
// (assets/xlang-mbpp tune split; docs/cssg.md "Cross-language on MBPP"): one computation
// written in another language's idiom. Each case: the Python function and its
// translation meet (S = 1, both orders), a one-token mutant of the translation (another
// constant, operator or predicate) does not, and with the normalisation switched off
// (src/cssg/options.ts) the pair no longer meets. Then the near-misses each rule must
// not equate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { similarity } from '../../src/cssg/index.js';
import type { Lang } from '../../src/lang/parser.js';
import { type Normalisation } from '../../src/cssg/options.js';

const S = (py: string, other: string, lang: Lang, off: Normalisation[] = []) => similarity(py, other, 'python', { langB: lang, off });

// [name, python, other language, its code, a one-token mutant of that code, the normalisation]
const CASES: [string, string, Lang, string, string, Normalisation][] = [
  [
    "go's var without a value is its zero value (a nil slice is the empty list)",
    'def f(xs):\n    out = []\n    for x in xs:\n        if x % 2 != 0:\n            out.append(x)\n    return out\n',
    'go',
    'func F(xs []int) []int {\n\tvar out []int\n\tfor _, x := range xs {\n\t\tif x%2 != 0 {\n\t\t\tout = append(out, x)\n\t\t}\n\t}\n\treturn out\n}\n',
    'func F(xs []int) []int {\n\tvar out []int\n\tfor _, x := range xs {\n\t\tif x%3 != 0 {\n\t\t\tout = append(out, x)\n\t\t}\n\t}\n\treturn out\n}\n',
    'zero-value',
  ],
  [
    "go's var n int is n = 0; make([]T, 0, k) is []",
    'def f(xs):\n    n = 0\n    out = []\n    for x in xs:\n        n += x\n        out.append(n)\n    return out\n',
    'go',
    'func F(xs []int) []int {\n\tvar n int\n\tout := make([]int, 0, len(xs))\n\tfor _, x := range xs {\n\t\tn += x\n\t\tout = append(out, n)\n\t}\n\treturn out\n}\n',
    'func F(xs []int) []int {\n\tvar n int\n\tout := make([]int, 0, len(xs))\n\tfor _, x := range xs {\n\t\tn -= x\n\t\tout = append(out, n)\n\t}\n\treturn out\n}\n',
    'zero-value',
  ],
  [
    "python's list(filter(lambda ...)) is the comprehension a js filter is",
    'def f(nums):\n    odd = list(filter(lambda x: x % 2 != 0, nums))\n    return odd\n',
    'javascript',
    'function f(nums) {\n  return nums.filter((x) => x % 2 !== 0);\n}\n',
    'function f(nums) {\n  return nums.filter((x) => x % 2 === 0);\n}\n',
    'map-filter',
  ],
  [
    "python's map(lambda ...) is the comprehension; list(map(f, filter(p, xs))) the filtered one",
    'def f(nums):\n    return list(map(lambda x: x * 3, filter(lambda x: x > 0, nums)))\n',
    'go',
    'func F(nums []int) []int {\n\tout := []int{}\n\tfor _, x := range nums {\n\t\tif x > 0 {\n\t\t\tout = append(out, x*3)\n\t\t}\n\t}\n\treturn out\n}\n',
    'func F(nums []int) []int {\n\tout := []int{}\n\tfor _, x := range nums {\n\t\tif x > 0 {\n\t\t\tout = append(out, x*4)\n\t\t}\n\t}\n\treturn out\n}\n',
    'map-filter',
  ],
  [
    "python's tuple(generator) is the list its loop builds",
    'def f(t):\n    res = tuple(i * j for i, j in zip(t, t[1:]))\n    return res\n',
    'go',
    'func F(t []int) []int {\n\tvar res []int\n\tfor i := 0; i+1 < len(t); i++ {\n\t\tres = append(res, t[i]*t[i+1])\n\t}\n\treturn res\n}\n',
    'func F(t []int) []int {\n\tvar res []int\n\tfor i := 0; i+1 < len(t); i++ {\n\t\tres = append(res, t[i]+t[i+1])\n\t}\n\treturn res\n}\n',
    'map-filter',
  ],
  [
    'an or of equalities with constants is membership in a list',
    'def f(m):\n    return m == 1 or m == 3 or m == 5\n',
    'javascript',
    'function f(m) {\n  return [1, 3, 5].includes(m);\n}\n',
    'function f(m) {\n  return [1, 3, 6].includes(m);\n}\n',
    'membership',
  ],
  [
    "go's value switch is the if chain of equalities and memberships",
    'def f(m, a):\n    if m == 1 or m == 3:\n        return a + 1\n    elif m == 4:\n        return a * 2\n    return a\n',
    'go',
    'func F(m, a int) int {\n\tswitch m {\n\tcase 1, 3:\n\t\treturn a + 1\n\tcase 4:\n\t\treturn a * 2\n\t}\n\treturn a\n}\n',
    'func F(m, a int) int {\n\tswitch m {\n\tcase 1, 3:\n\t\treturn a + 1\n\tcase 5:\n\t\treturn a * 2\n\t}\n\treturn a\n}\n',
    'value-switch',
  ],
  [
    "a go switch returning true / false is the return of its condition",
    'def f(m):\n    return m in [1, 3, 5]\n',
    'go',
    'func F(m int) bool {\n\tswitch m {\n\tcase 1, 3, 5:\n\t\treturn true\n\tdefault:\n\t\treturn false\n\t}\n}\n',
    'func F(m int) bool {\n\tswitch m {\n\tcase 1, 3, 7:\n\t\treturn true\n\tdefault:\n\t\treturn false\n\t}\n}\n',
    'bool-return',
  ],
  [
    'if any(...): return True + return False is the search loop js .some() is',
    'def f(words, sub):\n    if any(sub in s for s in words):\n        return True\n    return False\n',
    'javascript',
    'function f(words, sub) {\n  return words.some((s) => s.includes(sub));\n}\n',
    'function f(words, sub) {\n  return words.every((s) => s.includes(sub));\n}\n',
    'bool-return',
  ],
];

for (const [name, py, lang, code, mutant, norm] of CASES) {
  test(`xlang idiom: ${name}`, () => {
    assert.is(S(py, code, lang), 1, `pair\n${py}\n${code}`);
    assert.is(similarity(code, py, lang, { langB: 'python' }), 1, 'symmetric');
    const m = S(py, mutant, lang);
    assert.ok(m < 1, `mutant scored ${m}\n${mutant}`);
    const off = S(py, code, lang, [norm]);
    assert.ok(off < 1, `with ${norm} off the pair scored ${off}`);
  });
}

test('bool-return: only a boolean condition, only True/False literals', () => {
  const ret = 'def f(a, b):\n    return a < b\n';
  assert.is(S('def f(m):\n    if m == 1 or m == 3 or m == 5:\n        return True\n    else:\n        return False\n', 'function f(m) {\n  return [1, 3, 5].includes(m);\n}\n', 'javascript'), 1);
  assert.is(S('def f(a, b):\n    if a < b:\n        return True\n    return False\n', ret, 'python'), 1);
  assert.is(S('def f(a, b):\n    if a < b:\n        return False\n    return True\n', 'def f(a, b):\n    return a >= b\n', 'python'), 1);
  // `a` may be any value: `if a: return True` is bool(a), not a
  assert.ok(S('def f(a, b):\n    if a:\n        return True\n    return False\n', 'def f(a, b):\n    return a\n', 'python') < 1);
  // returning other values is not the condition
  assert.ok(S('def f(a, b):\n    if a < b:\n        return 1\n    return 0\n', ret, 'python') < 1);
});

test('membership: only equalities of one operand with literals', () => {
  const mem = 'def f(m, k):\n    return m in [1, 3]\n';
  assert.is(S('def f(m, k):\n    return m == 1 or m == 3\n', mem, 'python'), 1);
  assert.ok(S('def f(m, k):\n    return m == 1 or k == 3\n', mem, 'python') < 1);
  assert.ok(S('def f(m, k):\n    return m == 1 and m == 3\n', mem, 'python') < 1);
  assert.ok(S('def f(m, k):\n    return m == 1 or m < 3\n', mem, 'python') < 1);
});

test('zero-value and map-filter: not other values or other builtins', () => {
  const zero = 'def f(xs):\n    n = 0\n    for x in xs:\n        n += x\n    return n\n';
  assert.is(S(zero, 'func F(xs []int) int {\n\tvar n int\n\tfor _, x := range xs {\n\t\tn += x\n\t}\n\treturn n\n}\n', 'go'), 1);
  // a make with a length holds that many zeros: not the empty list
  const empty = 'def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n';
  assert.is(S(empty, 'func F(xs []int) []int {\n\tout := make([]int, 0)\n\tfor _, x := range xs {\n\t\tout = append(out, x)\n\t}\n\treturn out\n}\n', 'go'), 1);
  assert.ok(S(empty, 'func F(xs []int) []int {\n\tout := make([]int, len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, x)\n\t}\n\treturn out\n}\n', 'go') < 1);
  // a local named filter is not the builtin; sorted(...) of a generator stays sorted
  assert.ok(S('def f(nums):\n    filter = lambda p, xs: xs\n    return list(filter(lambda x: x > 0, nums))\n', 'def f(nums):\n    return [x for x in nums if x > 0]\n', 'python') < 1);
  assert.ok(S('def f(nums):\n    return sorted(x * 2 for x in nums)\n', 'def f(nums):\n    return [x * 2 for x in nums]\n', 'python') < 1);
});

test.run();
