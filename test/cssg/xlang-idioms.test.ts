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
  [
    'a product of equal factors is the power (js `**`)',
    'def f(l):\n    volume = l * l * l\n    return volume\n',
    'javascript',
    'function f(side) {\n  return side ** 3;\n}\n',
    'function f(side) {\n  return side ** 2;\n}\n',
    'power',
  ],
  [
    'a power of a temporary read k times folds the temporary',
    'def f(n):\n    s = 0\n    for i in range(1, n + 1):\n        s += (2 * i) * (2 * i) * (2 * i)\n    return s\n',
    'go',
    'func F(n int) int {\n\ts := 0\n\tfor i := 1; i <= n; i++ {\n\t\teven := 2 * i\n\t\ts += even * even * even\n\t}\n\treturn s\n}\n',
    'func F(n int) int {\n\ts := 0\n\tfor i := 1; i <= n; i++ {\n\t\teven := 3 * i\n\t\ts += even * even * even\n\t}\n\treturn s\n}\n',
    'power',
  ],
  [
    "go's a, b := 0, 1 is two assignments",
    'def f(xs):\n    s = 0\n    p = 1\n    for x in xs:\n        s += x\n        p *= x\n    return s - p\n',
    'go',
    'func F(xs []int) int {\n\ts, p := 0, 1\n\tfor _, x := range xs {\n\t\ts += x\n\t\tp *= x\n\t}\n\treturn s - p\n}\n',
    'func F(xs []int) int {\n\ts, p := 0, 0\n\tfor _, x := range xs {\n\t\ts += x\n\t\tp *= x\n\t}\n\treturn s - p\n}\n',
    'parallel-assign',
  ],
  [
    'a constant assigned that nothing reads is dropped (then the value it shadowed folds)',
    'def f(n):\n    j = 0\n    s = 0\n    for i in range(1, n + 1):\n        j = 2 * i - 1\n        s = s + j * j\n    return s\n',
    'javascript',
    'function f(n) {\n  let s = 0;\n  for (let i = 1; i <= n; i++) s += (2 * i - 1) ** 2;\n  return s;\n}\n',
    'function f(n) {\n  let s = 0;\n  for (let i = 1; i <= n; i++) s += (2 * i + 1) ** 2;\n  return s;\n}\n',
    'dead-store',
  ],
  [
    "range(0, n) is range(n); go's clause loop is labelled by its condition, as js's",
    'def f(xs):\n    t = 0\n    for i in range(0, len(xs)):\n        t += xs[i]\n    return t\n',
    'javascript',
    'function f(xs) {\n  let t = 0;\n  for (const x of xs) t += x;\n  return t;\n}\n',
    'function f(xs) {\n  let t = 0;\n  for (const x of xs) t -= x;\n  return t;\n}\n',
    'loop-forms',
  ],
  [
    "python's sum(xs) of a list is the accumulator loop go writes",
    'def f(n):\n    ds = [1]\n    for i in range(2, n):\n        if n % i == 0:\n            ds.append(i)\n    return sum(ds)\n',
    'go',
    'func F(n int) int {\n\tds := []int{1}\n\tfor i := 2; i < n; i++ {\n\t\tif n%i == 0 {\n\t\t\tds = append(ds, i)\n\t\t}\n\t}\n\tt := 0\n\tfor _, d := range ds {\n\t\tt += d\n\t}\n\treturn t\n}\n',
    'func F(n int) int {\n\tds := []int{1}\n\tfor i := 2; i < n; i++ {\n\t\tif n%i == 0 {\n\t\t\tds = append(ds, i)\n\t\t}\n\t}\n\tt := 1\n\tfor _, d := range ds {\n\t\tt += d\n\t}\n\treturn t\n}\n',
    'sum-loop',
  ],
  [
    "js's xs.reduce((a, b) => a + b, 0) is sum(xs)",
    'def f(xs):\n    return sum(xs) * 2\n',
    'javascript',
    'function f(xs) {\n  return xs.reduce((a, b) => a + b, 0) * 2;\n}\n',
    'function f(xs) {\n  return xs.reduce((a, b) => a + b, 0) * 3;\n}\n',
    'sum-loop',
  ],
  [
    "js's Math.max(...xs.map(([a, b]) => e)) is max of the comprehension over pairs",
    'def f(pairs):\n    temp = [abs(b - a) for a, b in pairs]\n    res = max(temp)\n    return res\n',
    'javascript',
    'function f(pairs) {\n  return Math.max(...pairs.map(([a, b]) => Math.abs(b - a)));\n}\n',
    'function f(pairs) {\n  return Math.min(...pairs.map(([a, b]) => Math.abs(b - a)));\n}\n',
    'spread-max',
  ],
  [
    'keeping the match and breaking is returning it (js returns in the loop)',
    'def f(n):\n    res = 0\n    for i in range(n, 0, -1):\n        if (i & (i - 1)) == 0:\n            res = i\n            break\n    return res\n',
    'javascript',
    'function f(n) {\n  for (let i = n; i > 0; i--) {\n    if ((i & (i - 1)) === 0) return i;\n  }\n  return 0;\n}\n',
    'function f(n) {\n  for (let i = n; i > 0; i--) {\n    if ((i & (i - 1)) === 0) return i;\n  }\n  return 1;\n}\n',
    'search-break',
  ],
  [
    'a local bound once to a literal is that literal where it is read (go const too)',
    'def f(r, h):\n    area = (2 * 3.1415 * r * r) + (2 * 3.1415 * r * h)\n    return area\n',
    'go',
    'func F(r, h float64) float64 {\n\tconst pi = 3.1415\n\treturn 2*pi*r*r + 2*pi*r*h\n}\n',
    'func F(r, h float64) float64 {\n\tconst pi = 3.1416\n\treturn 2*pi*r*r + 2*pi*r*h\n}\n',
    'named-constant',
  ],
  [
    'returning the smaller of two operands is min',
    'def f(a, b):\n    if a <= b:\n        return a\n    else:\n        return b\n',
    'javascript',
    'function f(a, b) {\n  return Math.min(a, b);\n}\n',
    'function f(a, b) {\n  return Math.max(a, b);\n}\n',
    'min-max',
  ],
  [
    "go's minInt / maxInt helpers are min / max at their calls",
    'def f(xs):\n    hi = 0\n    lo = 0\n    for x in xs:\n        hi = max(hi, x)\n        lo = min(lo, x * 2)\n    return hi - lo\n',
    'go',
    'func minInt(a, b int) int {\n\tif a < b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc maxInt(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc F(xs []int) int {\n\thi, lo := 0, 0\n\tfor _, x := range xs {\n\t\thi = maxInt(hi, x)\n\t\tlo = minInt(lo, x*2)\n\t}\n\treturn hi - lo\n}\n',
    'func minInt(a, b int) int {\n\tif a < b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc maxInt(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc F(xs []int) int {\n\thi, lo := 0, 0\n\tfor _, x := range xs {\n\t\thi = minInt(hi, x)\n\t\tlo = minInt(lo, x*2)\n\t}\n\treturn hi - lo\n}\n',
    'min-max',
  ],
  [
    "go's preallocated fill (make with len(xs), out[i] = e) is the append loop",
    'def f(xs, fmt):\n    out = [fmt.format(x) for x in xs]\n    return out\n',
    'go',
    'func F(xs []int, fmt string) []string {\n\tout := make([]string, len(xs))\n\tfor i, x := range xs {\n\t\tout[i] = fmt.Format(x)\n\t}\n\treturn out\n}\n',
    'func F(xs []int, fmt string) []string {\n\tout := make([]string, len(xs))\n\tfor i, x := range xs {\n\t\tout[i] = fmt.Parse(x)\n\t}\n\treturn out\n}\n',
    'fill-loop',
  ],
  [
    "an if that negates a negative value is abs: after `d = e`, the assignment `d = abs(e)`",
    'def f(x, y):\n    return abs(x - y) * 2\n',
    'javascript',
    'function f(x, y) {\n  let d = x - y;\n  if (d < 0) d = -d;\n  return d * 2;\n}\n',
    'function f(x, y) {\n  let d = x - y;\n  if (d < 1) d = -d;\n  return d * 2;\n}\n',
    'abs-if',
  ],
  [
    "a best-so-far loop (go's `i == 0 ||` takes the first element) is max of the list it would build",
    'def f(xs):\n    return max([x * 3 for x in xs])\n',
    'go',
    'func F(xs []int) int {\n\tbest := 0\n\tfor i, x := range xs {\n\t\td := x * 3\n\t\tif i == 0 || d > best {\n\t\t\tbest = d\n\t\t}\n\t}\n\treturn best\n}\n',
    'func F(xs []int) int {\n\tbest := 0\n\tfor i, x := range xs {\n\t\td := x * 4\n\t\tif i == 0 || d > best {\n\t\t\tbest = d\n\t\t}\n\t}\n\treturn best\n}\n',
    'best-so-far',
  ],
  [
    "js's reduce((m, x) => Math.max(m, e), -Infinity) is max of the list of e",
    'def f(xs):\n    return max(abs(x - 1) for x in xs)\n',
    'javascript',
    'function f(xs) {\n  return xs.reduce((m, x) => Math.max(m, Math.abs(x - 1)), -Infinity);\n}\n',
    'function f(xs) {\n  return xs.reduce((m, x) => Math.min(m, Math.abs(x - 1)), -Infinity);\n}\n',
    'best-so-far',
  ],
  [
    "a loop's tuple read by position is the same in every language (`for a, b in ps`, go's p[0], p[1])",
    'def f(ps):\n    return [b - a for a, b in ps]\n',
    'go',
    'func F(ps [][]int) []int {\n\tout := []int{}\n\tfor _, p := range ps {\n\t\tout = append(out, p[1]-p[0])\n\t}\n\treturn out\n}\n',
    'func F(ps [][]int) []int {\n\tout := []int{}\n\tfor _, p := range ps {\n\t\tout = append(out, p[1]-p[1])\n\t}\n\treturn out\n}\n',
    'element-unpack',
  ],
  [
    "go's index loop over xs that reads ys[i] too walks zip(xs, ys)",
    'def f(a, b):\n    return tuple(x ^ y for x, y in zip(a, b))\n',
    'go',
    'func F(a, b []int) []int {\n\tres := make([]int, len(a))\n\tfor i := range a {\n\t\tres[i] = a[i] ^ b[i]\n\t}\n\treturn res\n}\n',
    'func F(a, b []int) []int {\n\tres := make([]int, len(a))\n\tfor i := range a {\n\t\tres[i] = a[i] | b[i]\n\t}\n\treturn res\n}\n',
    'index-zip',
  ],
  [
    "js's xs.map((x, i) => f(x, ys[i])) is the comprehension over zip(xs, ys)",
    'def f(a, b):\n    return [x - y for x, y in zip(a, b)]\n',
    'javascript',
    'function f(a, b) {\n  return a.map((x, i) => x - b[i]);\n}\n',
    'function f(a, b) {\n  return a.map((x, i) => x + b[i]);\n}\n',
    'index-zip',
  ],
  [
    "python's map(lambda x, y: e, xs, ys) is the comprehension over zip(xs, ys)",
    'def f(a, b):\n    return list(map(lambda x, y: x / y, a, b))\n',
    'javascript',
    'function f(a, b) {\n  return a.map((x, i) => x / b[i]);\n}\n',
    'function f(a, b) {\n  return a.map((x, i) => x * b[i]);\n}\n',
    'index-zip',
  ],
  [
    'a counted loop from 1 reading xs[i - 1] and xs[i] walks the adjacent pairs',
    'def f(t):\n    return tuple(i + j for i, j in zip(t, t[1:]))\n',
    'go',
    'func F(t []int) []int {\n\tvar sums []int\n\tfor i := 1; i < len(t); i++ {\n\t\tsums = append(sums, t[i-1]+t[i])\n\t}\n\treturn sums\n}\n',
    'func F(t []int) []int {\n\tvar sums []int\n\tfor i := 1; i < len(t); i++ {\n\t\tsums = append(sums, t[i-1]-t[i])\n\t}\n\treturn sums\n}\n',
    'pairs-from-one',
  ],
  [
    'the least of three picked by an if/elif chain is min of the three',
    'def f(a, b, c):\n    if (a <= b) and (a <= c):\n        smallest = a\n    elif (b <= a) and (b <= c):\n        smallest = b\n    else:\n        smallest = c\n    return smallest\n',
    'javascript',
    'function f(a, b, c) {\n  return Math.min(a, b, c);\n}\n',
    'function f(a, b, c) {\n  return Math.max(a, b, c);\n}\n',
    'extreme-chain',
  ],
  [
    "go's clamps one after another are min of all the values",
    'def f(a, b, c):\n    return min(a, b, c)\n',
    'go',
    'func F(a, b, c int) int {\n\ts := a\n\tif b < s {\n\t\ts = b\n\t}\n\tif c < s {\n\t\ts = c\n\t}\n\treturn s\n}\n',
    'func F(a, b, c int) int {\n\ts := a\n\tif b < s {\n\t\ts = b\n\t}\n\tif c > s {\n\t\ts = c\n\t}\n\treturn s\n}\n',
    'extreme-chain',
  ],
  [
    "js's reduce with any operator is the loop that folds with it from the start value",
    'def f(arr):\n    x = 0\n    for i in range(len(arr)):\n        x = x ^ arr[i]\n    return x\n',
    'javascript',
    'function f(arr) {\n  return arr.reduce((acc, v) => acc ^ v, 0);\n}\n',
    'function f(arr) {\n  return arr.reduce((acc, v) => acc | v, 0);\n}\n',
    'reduce-loop',
  ],
  [
    "a nested comprehension over a pair is js's flatMap to that pair",
    'def f(xs, e):\n    return [v for x in xs for v in (e, x)]\n',
    'javascript',
    'function f(xs, e) {\n  return xs.flatMap((x) => [e, x]);\n}\n',
    'function f(xs, e) {\n  return xs.flatMap((x) => [e, x + 1]);\n}\n',
    'multi-append',
  ],
  [
    "go's append of two values is the nested comprehension's loop",
    'def f(xs, e):\n    return [v for x in xs for v in (e, x)]\n',
    'go',
    'func F(xs []int, e int) []int {\n\tout := make([]int, 0, 2*len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, e, x)\n\t}\n\treturn out\n}\n',
    'func F(xs []int, e int) []int {\n\tout := make([]int, 0, 2*len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, e, x, x)\n\t}\n\treturn out\n}\n',
    'multi-append',
  ],
  [
    "python's counting while loop is js's counted for loop",
    'def f(xs):\n    t = 0\n    i = len(xs) - 1\n    while i >= 0:\n        t = t * 2 + xs[i]\n        i -= 1\n    return t\n',
    'javascript',
    'function f(xs) {\n  let t = 0;\n  for (let i = xs.length - 1; i >= 0; i--) {\n    t = t * 2 + xs[i];\n  }\n  return t;\n}\n',
    'function f(xs) {\n  let t = 0;\n  for (let i = xs.length - 1; i >= 0; i--) {\n    t = t * 3 + xs[i];\n  }\n  return t;\n}\n',
    'counting-while',
  ],
  [
    'an index loop reading three sequences at i walks zip of the three',
    'def f(a, b, c):\n    out = []\n    for x, y, z in zip(a, b, c):\n        out.append(x + y * z)\n    return out\n',
    'go',
    'func F(a, b, c []int) []int {\n\tout := []int{}\n\tfor i := range a {\n\t\tout = append(out, a[i]+b[i]*c[i])\n\t}\n\treturn out\n}\n',
    'func F(a, b, c []int) []int {\n\tout := []int{}\n\tfor i := range a {\n\t\tout = append(out, a[i]+b[i]-c[i])\n\t}\n\treturn out\n}\n',
    'many-zip',
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

test('loop-forms: a go clause loop and a js one meet; dead-store keeps what is read', () => {
  const js = 'function f(l, s) {\n  let i = 0;\n  for (i = 0; i + s.length <= l.length; i += 2) {\n    if (l[i] === s[0]) return i;\n  }\n  return -1;\n}\n';
  const go = 'func F(l, s []int) int {\n\ti := 0\n\tfor i = 0; i+len(s) <= len(l); i += 2 {\n\t\tif l[i] == s[0] {\n\t\t\treturn i\n\t\t}\n\t}\n\treturn -1\n}\n';
  assert.is(similarity(js, go, 'javascript', { langB: 'go' }), 1);
  assert.ok(similarity(js, go, 'javascript', { langB: 'go', off: ['loop-forms'] }) < 1);
  // the initial value is read when the loop may not run: not dead
  const read = 'def f(xs):\n    m = 0\n    for x in xs:\n        m = x\n    return m\n';
  assert.ok(S(read, 'def f(xs):\n    m = 5\n    for x in xs:\n        m = x\n    return m\n', 'python') < 1);
  // parallel assignment that reads its own targets is a swap, not two assignments
  assert.ok(S('def f(a, b):\n    x, y = a, b\n    x, y = y, x\n    return x - y\n', 'def f(a, b):\n    x, y = a, b\n    x = y\n    y = x\n    return x - y\n', 'python') < 1);
  // a product of different factors, or of calls, is not a power
  assert.ok(S('def f(a, b):\n    return a * b\n', 'def f(a, b):\n    return a ** 2\n', 'python') < 1);
  assert.ok(S('def f(a, b):\n    return g(a) * g(a)\n', 'def f(a, b):\n    return g(a) ** 2\n', 'python') < 1);
});

test('search-break: not when the kept value is read again or the loop goes on', () => {
  const ret = 'def f(xs, b):\n    for x in xs:\n        if x > b:\n            return x\n    return -1\n';
  assert.is(S('def f(xs, b):\n    r = -1\n    for x in xs:\n        if x > b:\n            r = x\n            break\n    return r\n', ret, 'python'), 1);
  // no break: the last match is kept, not the first
  assert.ok(S('def f(xs, b):\n    r = -1\n    for x in xs:\n        if x > b:\n            r = x\n    return r\n', ret, 'python') < 1);
  // r read in the loop: more than a search
  assert.ok(S('def f(xs, b):\n    r = -1\n    for x in xs:\n        if x > r + b:\n            r = x\n            break\n    return r\n', 'def f(xs, b):\n    for x in xs:\n        if x > -1 + b:\n            return x\n    return -1\n', 'python') < 1);
});

test('named-constant and min-max: not for a changing local, a one-function snippet, or another body', () => {
  // a let that is assigned again is no constant
  assert.ok(S('def f(r):\n    return 3 * r\n', 'function f(r) {\n  let k = 3;\n  if (r > 1) k = 4;\n  return k * r;\n}\n', 'javascript') < 1);
  // the function itself is not a helper: its graph stays
  const own = 'func Min(a, b int) int {\n\tif a <= b {\n\t\treturn a\n\t}\n\treturn b\n}\n';
  assert.is(S('def Min(a, b):\n    return min(a, b)\n', own, 'go'), 1);
  // a negated comparison: `not a < b` is `a >= b`, so returning a first is max
  assert.is(S('def f(a, b):\n    if not a < b:\n        return a\n    return b\n', 'function f(a, b) {\n  return Math.max(b, a);\n}\n', 'javascript'), 1);
  // returning a value other than the compared operands is not min
  assert.ok(S('def f(a, b):\n    if a <= b:\n        return a\n    return b + 1\n', 'def f(a, b):\n    return min(a, b + 1)\n', 'python') < 1);
  // abs helper
  assert.is(S('def f(xs):\n    return [abs(x - 3) for x in xs]\n', 'func abs(x int) int {\n\tif x < 0 {\n\t\treturn -x\n\t}\n\treturn x\n}\n\nfunc F(xs []int) []int {\n\tout := []int{}\n\tfor _, x := range xs {\n\t\tout = append(out, abs(x-3))\n\t}\n\treturn out\n}\n', 'go'), 1);
});

test('fill-loop: not when the index is read or the slice is read in the loop', () => {
  const comp = 'def f(xs):\n    return [x * 2 for x in xs]\n';
  const fill = (body: string) => `func F(xs []int) []int {\n\tout := make([]int, len(xs))\n\tfor i, x := range xs {\n${body}\n\t}\n\treturn out\n}\n`;
  assert.is(S(comp, fill('\t\tout[i] = x * 2'), 'go'), 1);
  // the single-name range reading xs[i] is the element loop too
  assert.is(S(comp, 'func F(xs []int) []int {\n\tout := make([]int, len(xs))\n\tfor i := range xs {\n\t\tout[i] = xs[i] * 2\n\t}\n\treturn out\n}\n', 'go'), 1);
  // the index is read: an enumerate, not the plain comprehension
  assert.ok(S(comp, fill('\t\tout[i] = x * i'), 'go') < 1);
  // the slice is read in the loop (a running value): not a fill
  assert.ok(S(comp, fill('\t\tout[i] = x * 2\n\t\tif i > 0 {\n\t\t\tout[i] += out[i-1]\n\t\t}'), 'go') < 1);
});

test('abs-if: alone it is v = abs(v); not another condition or value', () => {
  const py = 'def f(x, y):\n    x = abs(x)\n    return x * y\n';
  const go = (body: string) => `func F(x, y int) int {\n${body}\n\treturn x * y\n}\n`;
  assert.is(S(py, go('\tif x < 0 {\n\t\tx = -x\n\t}'), 'go'), 1);
  assert.is(S(py, go('\tif 0 >= x {\n\t\tx = -x\n\t}'), 'go'), 1);
  assert.ok(S(py, go('\tif x < 0 {\n\t\tx = -x\n\t}'), 'go', ['abs-if']) < 1);
  // -abs, another value, or an else: not abs
  assert.ok(S(py, go('\tif x > 0 {\n\t\tx = -x\n\t}'), 'go') < 1);
  assert.ok(S(py, go('\tif x < 0 {\n\t\tx = -y\n\t}'), 'go') < 1);
  assert.ok(S(py, go('\tif x < 0 {\n\t\tx = -x\n\t} else {\n\t\tx = 0\n\t}'), 'go') < 1);
});

test('best-so-far: the python loop forms; not a start value that may win, a value read in the loop, or the other extreme', () => {
  // the loop's own element: max(xs) itself; another value: max of the list of it
  const comp = 'def f(xs):\n    return max(xs)\n';
  const loop = (init: string, upd: string, extra = '') => `def f(xs):\n    m = ${init}\n    for x in xs:\n${extra}        ${upd}\n    return m\n`;
  assert.is(S(comp, loop('xs[0]', 'if x > m:\n            m = x'), 'python'), 1);
  assert.is(S(comp, loop("float('-inf')", 'm = max(m, x)'), 'python'), 1);
  assert.is(S('def f(xs):\n    return min(xs)\n', loop('xs[0]', 'if m > x:\n            m = x'), 'python'), 1);
  assert.is(S('def f(xs):\n    return max([x * 2 for x in xs])\n', loop("float('-inf')", 'm = max(m, x * 2)'), 'python'), 1);
  assert.ok(S(comp, loop('xs[0]', 'if x > m:\n            m = x'), 'python', ['best-so-far']) < 1);
  // a start of 0 may win over negative elements: not max of the list alone
  assert.ok(S(comp, loop('0', 'if x > m:\n            m = x'), 'python') < 1);
  // the other extreme, or m read elsewhere in the loop
  assert.ok(S(comp, loop('xs[0]', 'if x < m:\n            m = x'), 'python') < 1);
  assert.ok(S(comp, loop('xs[0]', 'if x > m:\n            m = x', '        print(m)\n'), 'python') < 1);
  // go's first-element guard on an index read elsewhere: not the plain fold
  const go = (extra: string) => `func F(xs []int) int {\n\tbest := 0\n\tfor i, x := range xs {\n${extra}\t\tif i == 0 || x > best {\n\t\t\tbest = x\n\t\t}\n\t}\n\treturn best\n}\n`;
  assert.is(S(comp, go(''), 'go'), 1);
  assert.ok(S(comp, go('\t\tx += i\n'), 'go') < 1);
  // a fold of the loop's own element over all of xs is max(xs) itself: the loop goes
  const whole = 'function f(xs) {\n  return Math.max(...xs);\n}\n';
  assert.is(S(loop('xs[0]', 'if x > m:\n            m = x'), whole, 'javascript'), 1);
  const goFold = (init: string) => `func F(xs []int) int {\n\tm := ${init}\n\tfor _, x := range xs[1:] {\n\t\tif x > m {\n\t\t\tm = x\n\t\t}\n\t}\n\treturn m\n}\n`;
  assert.is(similarity(goFold('xs[0]'), whole, 'go', { langB: 'javascript' }), 1);
  assert.ok(S(loop('xs[0]', 'if x > m:\n            m = x'), whole, 'javascript', ['best-so-far']) < 1);
  // from -inf over xs[1:] it is max(xs[1:]), not max(xs)
  assert.ok(similarity(goFold('math.MinInt'), whole, 'go', { langB: 'javascript' }) < 1);
  // python's index loop from 1 after xs[0] (through a named length) is max(xs) too
  assert.is(S('def f(xs):\n    n = len(xs)\n    m = xs[0]\n    for i in range(1, n):\n        m = max(m, xs[i])\n    return m\n', whole, 'javascript'), 1);
  // from index 2 it is not
  assert.ok(S('def f(xs):\n    m = xs[0]\n    for i in range(2, len(xs)):\n        m = max(m, xs[i])\n    return m\n', whole, 'javascript') < 1);
  // ruby's block loop and `[m, x].max`
  assert.is(S(comp, 'def f(xs)\n  m = xs[0]\n  xs.each do |x|\n    m = [m, x].max\n  end\n  m\nend\n', 'ruby'), 1);
});

test('element-unpack: only literal positions of an element read nowhere else, not a zip', () => {
  const py = 'def f(ps):\n    return [a * b for a, b in ps]\n';
  const go = (e: string) => `func F(ps [][]int) []int {\n\tout := []int{}\n\tfor _, p := range ps {\n\t\tout = append(out, ${e})\n\t}\n\treturn out\n}\n`;
  assert.is(S(py, go('p[0] * p[1]'), 'go'), 1);
  assert.is(S(py, 'function f(ps) {\n  return ps.map(([a, b]) => a * b);\n}\n', 'javascript'), 1);
  assert.ok(S(py, go('p[0] * p[1]'), 'go', ['element-unpack']) < 1);
  // p read whole: not an unpacked tuple
  assert.ok(S(py, go('p[0] * len(p)'), 'go') < 1);
  // positions matter: b - a is not a - b
  assert.ok(S('def f(ps):\n    return [b - a for a, b in ps]\n', go('p[0] - p[1]'), 'go') < 1);
});

test('index-zip: the index read only as ys[i], one other sequence, no filter before; a comprehension index loop', () => {
  const zip = 'def f(a, b):\n    return [x - y for x, y in zip(a, b)]\n';
  assert.is(S(zip, 'def f(a, b):\n    return [a[i] - b[i] for i in range(len(a))]\n', 'python'), 1);
  // the index read as a number too, a third sequence, or the same sequence: not a zip
  assert.ok(S(zip, 'function f(a, b) {\n  return a.map((x, i) => x - b[i] * i);\n}\n', 'javascript') < 1);
  assert.ok(S(zip, 'function f(a, b, c) {\n  return a.map((x, i) => x - b[i] - c[i]);\n}\n', 'javascript') < 1);
  assert.ok(S(zip, 'function f(a, b) {\n  return a.map((x, i) => x - a[i]);\n}\n', 'javascript') < 1);
  // after a filter the index counts the kept elements
  assert.ok(S('def f(a, b):\n    return [x - y for x, y in zip([x for x in a if x > 0], b)]\n', 'function f(a, b) {\n  return a.filter((x) => x > 0).map((x, i) => x - b[i]);\n}\n', 'javascript') < 1);
});

test('pairs-from-one: python range(1, len(xs)) too; not another offset', () => {
  const zip = 'def f(xs):\n    return [b - a for a, b in zip(xs, xs[1:])]\n';
  const idx = (e: string) => `def f(xs):\n    out = []\n    for i in range(1, len(xs)):\n        out.append(${e})\n    return out\n`;
  assert.is(S(zip, idx('xs[i] - xs[i - 1]'), 'python'), 1);
  assert.ok(S(zip, idx('xs[i] - xs[i - 1]'), 'python', ['pairs-from-one']) < 1);
  // xs[i + 1] from 1 is another pair (and runs past the end)
  assert.ok(S(zip, idx('xs[i + 1] - xs[i]'), 'python') < 1);
});

test('named-length: a name bound to len(xs) is the length where read; not when xs changes; from 1 reading xs[i] walks xs[1:]', () => {
  const direct = 'def f(xs):\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i] * 2\n    return t\n';
  const named = (extra: string) => `def f(xs):\n    n = len(xs)\n${extra}    t = 0\n    for i in range(n):\n        t += xs[i] * 2\n    return t\n`;
  assert.is(S(direct, named(''), 'python'), 1);
  assert.is(S(direct, 'function f(xs) {\n  const n = xs.length;\n  let t = 0;\n  for (let i = 0; i < n; i++) t += xs[i] * 2;\n  return t;\n}\n', 'javascript'), 1);
  assert.ok(S(direct, named(''), 'python', ['named-length']) < 1);
  // xs grows after its length was taken: n is not len(xs) where read
  assert.ok(S(direct, named('    xs.append(1)\n'), 'python') < 1);
  const tail = 'def f(xs):\n    t = 0\n    for x in xs[1:]:\n        t += x * 2\n    return t\n';
  assert.is(S(tail, 'func F(xs []int) int {\n\tt := 0\n\tfor i := 1; i < len(xs); i++ {\n\t\tt += xs[i] * 2\n\t}\n\treturn t\n}\n', 'go'), 1);
});

test('inline-helper: a one-return helper called once from the entry is its body at the call; not twice, recursive, from a helper, or off', () => {
  const py = "def count_vowels(s):\n    n = 0\n    for c in s:\n        if c in 'aeiou':\n            n += 1\n    return n\n";
  const js = (pred: string) => `function isVowel(c) {\n  return ${pred};\n}\nfunction countVowels(s) {\n  let n = 0;\n  for (const c of s) {\n    if (isVowel(c)) n += 1;\n  }\n  return n;\n}\n`;
  const go = (pred: string) => `func isVowel(c rune) bool {\n\treturn ${pred}\n}\n\nfunc CountVowels(s string) int {\n\tn := 0\n\tfor _, c := range s {\n\t\tif isVowel(c) {\n\t\t\tn += 1\n\t\t}\n\t}\n\treturn n\n}\n`;
  assert.is(S(py, js("'aeiou'.includes(c)"), 'javascript'), 1);
  assert.is(S(py, go('strings.ContainsRune("aeiou", c)'), 'go'), 1);
  // switched off, the helper is a function of its own: the pair separates as before
  assert.ok(S(py, js("'aeiou'.includes(c)"), 'javascript', ['inline-helper']) < 0.8);
  assert.ok(S(py, go('strings.ContainsRune("aeiou", c)'), 'go', ['inline-helper']) < 0.8);
  // a named closure in the entry (js arrow, python lambda or nested def) called once likewise
  const jsClosure = (pred: string) => `function countVowels(s) {\n  const isVowel = (c) => ${pred};\n  let n = 0;\n  for (const c of s) {\n    if (isVowel(c)) n += 1;\n  }\n  return n;\n}\n`;
  assert.is(S(py, jsClosure("'aeiou'.includes(c)"), 'javascript'), 1);
  assert.ok(S(py, jsClosure("'aeiou'.includes(c)"), 'javascript', ['inline-helper']) < 0.8);
  assert.ok(S(py, jsClosure("'aeio'.includes(c)"), 'javascript') < 1);
  assert.is(S(py, "def count_vowels(s):\n    def is_vowel(c):\n        return c in 'aeiou'\n    n = 0\n    for c in s:\n        if is_vowel(c):\n            n += 1\n    return n\n", 'python'), 1);
  assert.is(S(py, "def count_vowels(s):\n    is_vowel = lambda c: c in 'aeiou'\n    n = 0\n    for c in s:\n        if is_vowel(c):\n            n += 1\n    return n\n", 'python'), 1);
  // a closure passed as a value as well as called is not inlined
  const asValue = jsClosure("'aeiou'.includes(c)").replace('return n;', 'return n + [...s].filter(isVowel).length;');
  assert.is(S(py, asValue, 'javascript'), S(py, asValue, 'javascript', ['inline-helper']));
  // a mutant inside the helper does not meet
  assert.ok(S(py, js("'aeiou'.startsWith(c)"), 'javascript') < 1);
  assert.ok(S(py, go('strings.ContainsRune("aeiu", c)'), 'go') < 1);
  // arguments flow into the parameters by position: a * a + b at sq(x, 1) is x * x + 1
  const pyh = (call: string) => `def sq(a, b):\n    return a * a + b\n\ndef f(xs):\n    out = []\n    for x in xs:\n        out.append(${call})\n    return out\n`;
  const inline = 'function f(xs) {\n  const out = [];\n  for (const x of xs) out.push(x * x + 1);\n  return out;\n}\n';
  assert.is(similarity(pyh('sq(x, 1)'), inline, 'python', { langB: 'javascript' }), 1);
  assert.ok(similarity(pyh('sq(1, x)'), inline, 'python', { langB: 'javascript' }) < 1);
  // a python keyword argument goes to the parameter it names
  assert.is(similarity(pyh('sq(b=1, a=x)'), inline, 'python', { langB: 'javascript' }), 1);
  // called twice, recursive, or called from another helper: not inlined (as with the rule off)
  const twice = "def is_vowel(c):\n    return c in 'aeiou'\n\ndef f(s, t):\n    return is_vowel(s) and is_vowel(t)\n";
  const twiceInline = "def f(s, t):\n    return s in 'aeiou' and t in 'aeiou'\n";
  assert.is(S(twice, twiceInline, 'python'), S(twice, twiceInline, 'python', ['inline-helper']));
  assert.ok(S(twice, twiceInline, 'python') < 1);
  const viaHelper = "def is_vowel(c):\n    return c in 'aeiou'\n\ndef g(c):\n    return is_vowel(c)\n\ndef f(s):\n    return g(s)\n";
  // g is inlined into f (`return g(s)`: its `return is_vowel(c)` is f's statement), then is_vowel, now called
  // once from f, is too: a chain of helpers each called once reads as the code written inline
  assert.is(S(viaHelper, "def f(s):\n    return s in 'aeiou'\n", 'python'), 1);
  // is_vowel called from a helper that is not inlined (g called twice) is not inlined either
  const viaTwice = "def is_vowel(c):\n    return c in 'aeiou'\n\ndef g(c):\n    return is_vowel(c)\n\ndef f(s, t):\n    return g(s) or g(t)\n";
  const viaTwiceInline = "def f(s, t):\n    return s in 'aeiou' or t in 'aeiou'\n";
  assert.is(S(viaTwice, viaTwiceInline, 'python'), S(viaTwice, viaTwiceInline, 'python', ['inline-helper']));
  assert.is(S("def g(c):\n    return c in 'aeiou'\n\ndef f(s):\n    return g(s)\n", "def f(s):\n    return s in 'aeiou'\n", 'python'), 1);
  const rec = 'def h(n):\n    return n if n < 2 else h(n - 1)\n\ndef f(n):\n    return h(n) + 1\n';
  assert.is(S(rec, 'def f(n):\n    return n + 1\n', 'python'), S(rec, 'def f(n):\n    return n + 1\n', 'python', ['inline-helper']));
});

test("inline-helper: a call's arguments are the tree's (a comma inside a list or a string separates none)", () => {
  const listArg = 'def top(xs):\n    return max(xs)\n\ndef f(a, b):\n    return top([a, b]) * 2\n';
  assert.is(S(listArg, 'def f(a, b):\n    return max([a, b]) * 2\n', 'python'), 1);
  assert.ok(S(listArg, 'def f(a, b):\n    return min([a, b]) * 2\n', 'python') < 1);
  assert.ok(S(listArg, 'def f(a, b):\n    return max([a, b]) * 2\n', 'python', ['inline-helper']) < 1);
  const strArg = "def is_sep(c, seps):\n    return c in seps\n\ndef count_seps(s):\n    n = 0\n    for c in s:\n        if is_sep(c, ',;'):\n            n += 1\n    return n\n";
  const js = (seps: string) => `function countSeps(s) {\n  let n = 0;\n  for (const c of s) {\n    if ('${seps}'.includes(c)) n += 1;\n  }\n  return n;\n}\n`;
  assert.is(S(strArg, js(',;'), 'javascript'), 1);
  assert.ok(S(strArg, js(',:'), 'javascript') < 1);
  // a named closure called with fewer arguments than it has parameters (a default left out) is not
  // inlined, and so not lost: a change in its body is seen
  const closure = 'def f(xs):\n    g = lambda x, k=1: x * 3 + k\n    t = 0\n    for x in xs:\n        t += g(x)\n    return t\n';
  assert.ok(S(closure, closure.replace('x * 3 + k', 'x * 5 - k'), 'python') < 1);
});

test('inline-helper, several statements: a helper called once is its statements at the call (return h(x), y = h(x), if h(x):); not twice, recursive, multi-return in a statement, or off', () => {
  const py = (k: number) => `def f(xs, k):\n    total = 0\n    for x in xs:\n        if x > k:\n            total += x * ${k}\n    return max(total, k)\n`;
  // (a) the wrapper (the validity probe extract-helper): f returns the helper's call
  const wrapped = (k: number) => py(k).replace('def f(', 'def f_impl(') + 'def f(xs, k):\n    return f_impl(xs, k)\n';
  assert.is(similarity(py(2), wrapped(2), 'python'), 1);
  assert.ok(similarity(py(2), wrapped(2), 'python', { off: ['inline-helper'] }) < 0.7);
  assert.ok(similarity(py(2), wrapped(3), 'python') < 1); // a mutant inside the helper
  // (a) in javascript and go: the helper's early returns are the caller's returns
  const first = 'def first_even(xs):\n    for x in xs:\n        if x % 2 == 0:\n            return x\n    return -1\n';
  const js = (k: number) => `function find(xs) {\n  for (const x of xs) {\n    if (x % ${k} === 0) return x;\n  }\n  return -1;\n}\nfunction firstEven(xs) {\n  return find(xs);\n}\n`;
  const go = (k: number) => `func find(xs []int) int {\n\tfor _, x := range xs {\n\t\tif x%${k} == 0 {\n\t\t\treturn x\n\t\t}\n\t}\n\treturn -1\n}\n\nfunc FirstEven(xs []int) int {\n\treturn find(xs)\n}\n`;
  const arrow = 'function firstEven(xs) {\n  const find = (ys) => {\n    for (const y of ys) {\n      if (y % 2 === 0) return y;\n    }\n    return -1;\n  };\n  return find(xs);\n}\n';
  for (const [code, lang] of [[js(2), 'javascript'], [go(2), 'go'], [arrow, 'javascript']] as const) {
    assert.is(S(first, code, lang), 1, lang);
    assert.ok(S(first, code, lang, ['inline-helper']) < 0.7, lang);
  }
  assert.ok(S(first, js(3), 'javascript') < 1);
  assert.ok(S(first, go(3), 'go') < 1);
  // (b) `if is_prime(x):`, a loop-bodied helper with one return, vs the loop written inline in js and go
  const prime = 'def is_prime(n):\n    ok = n >= 2\n    for d in range(2, n):\n        if n % d == 0:\n            ok = False\n            break\n    return ok\n\ndef count_primes(xs):\n    c = 0\n    for x in xs:\n        if is_prime(x):\n            c += 1\n    return c\n';
  const jsPrime = (k: number) => `function countPrimes(xs) {\n  let c = 0;\n  for (const x of xs) {\n    let ok = x >= 2;\n    for (let d = 2; d < x; d++) {\n      if (x % d === ${k}) { ok = false; break; }\n    }\n    if (ok) c++;\n  }\n  return c;\n}\n`;
  const goPrime = 'func countPrimes(xs []int) int {\n\tc := 0\n\tfor _, x := range xs {\n\t\tok := x >= 2\n\t\tfor d := 2; d < x; d++ {\n\t\t\tif x%d == 0 {\n\t\t\t\tok = false\n\t\t\t\tbreak\n\t\t\t}\n\t\t}\n\t\tif ok {\n\t\t\tc++\n\t\t}\n\t}\n\treturn c\n}\n';
  assert.is(S(prime, jsPrime(0), 'javascript'), 1);
  assert.is(S(prime, goPrime, 'go'), 1);
  assert.ok(S(prime, jsPrime(0), 'javascript', ['inline-helper']) < 0.5);
  assert.ok(S(prime, goPrime, 'go', ['inline-helper']) < 0.5);
  assert.ok(S(prime, jsPrime(1), 'javascript') < 1);
  // (b) `t = total(xs)`: a non-name argument is bound (then folds as a temporary); clashing locals renamed
  const pyB = 'def total(ys):\n    t = 0\n    for y in ys:\n        t += y\n    return t\n\ndef f(s, zs):\n    t = total(s.split())\n    for x in zs:\n        t += x * 2\n    return t\n';
  const inlineB = 'def f(s, zs):\n    a = 0\n    for y in s.split():\n        a += y\n    t = a\n    for x in zs:\n        t += x * 2\n    return t\n';
  assert.is(similarity(pyB, inlineB, 'python'), 1);
  assert.ok(similarity(pyB, inlineB, 'python', { off: ['inline-helper'] }) < 0.7);
  // an assigned parameter in (b) is a copy: the caller's n is not the one counted down
  const digits = 'def digits(n):\n    c = 0\n    while n > 0:\n        n //= 10\n        c += 1\n    return c\n\ndef f(n):\n    d = digits(n)\n    return d + n\n';
  const copy = 'def f(n):\n    m = n\n    c = 0\n    while m > 0:\n        m //= 10\n        c += 1\n    return c + n\n';
  const shared = 'def f(n):\n    c = 0\n    while n > 0:\n        n //= 10\n        c += 1\n    return c + n\n';
  assert.is(similarity(digits, copy, 'python'), 1);
  assert.ok(similarity(digits, shared, 'python') < 0.9);
  // not inlined (scores as with the rule off): called twice, recursive, several returns under (b)
  const twice = 'def total(ys):\n    t = 0\n    for y in ys:\n        t += y\n    return t\n\ndef f(xs, zs):\n    return total(xs) + total(zs)\n';
  const twiceMut = twice.replace('t += y', 't += 2 * y');
  assert.is(similarity(twice, twiceMut, 'python'), similarity(twice, twiceMut, 'python', { off: ['inline-helper'] }));
  const rec = 'def fact(n):\n    if n < 2:\n        return 1\n    r = n * fact(n - 1)\n    return r\n\ndef f(n):\n    return fact(n)\n';
  const recInline = 'def f(n):\n    if n < 2:\n        return 1\n    r = n * f(n - 1)\n    return r\n';
  assert.is(similarity(rec, recInline, 'python'), similarity(rec, recInline, 'python', { off: ['inline-helper'] }));
  const early = prime.replace('    ok = n >= 2\n    for d in range(2, n):\n        if n % d == 0:\n            ok = False\n            break\n    return ok\n', '    if n < 2:\n        return False\n    for d in range(2, n):\n        if n % d == 0:\n            return False\n    return True\n');
  assert.is.not(early, prime);
  assert.is(S(early, jsPrime(0), 'javascript'), S(early, jsPrime(0), 'javascript', ['inline-helper']));
  // (b) the call inside the statement's value: `out.append(h(x))`, `return h(x) + 1`, `if h(x) > 3:` meet the inline code
  const sq = 'def total(ys):\n    t = 0\n    for y in ys:\n        t += y * y\n    return t - 1\n\n';
  const inside: [string, string][] = [
    [sq + 'def f(xss):\n    out = []\n    for xs in xss:\n        out.append(total(xs))\n    return out\n', 'def f(xss):\n    out = []\n    for xs in xss:\n        t = 0\n        for y in xs:\n            t += y * y\n        out.append(t - 1)\n    return out\n'],
    [sq + 'def f(xs):\n    return total(xs) * 2\n', 'def f(xs):\n    t = 0\n    for y in xs:\n        t += y * y\n    return (t - 1) * 2\n'],
    [sq + 'def f(xs):\n    if total(xs) > 3:\n        return 1\n    return 0\n', 'def f(xs):\n    t = 0\n    for y in xs:\n        t += y * y\n    if t - 1 > 3:\n        return 1\n    return 0\n'],
  ];
  for (const [a, b] of inside) {
    assert.is(similarity(a, b, 'python'), 1);
    assert.ok(similarity(a, b, 'python', { off: ['inline-helper'] }) < 0.6);
  }
  // not there: under and/or (h may not run), on an assignment's target side (the value runs first), or after a read
  // of an argument h may change (h's statements would now run before that read)
  for (const code of [
    sq + 'def f(xs):\n    return len(xs) > 0 and total(xs) > 3\n',
    sq + 'def f(xs, d):\n    d[total(xs)] = len(d)\n    return d\n',
    'def grow(ys):\n    ys.append(1)\n    return len(ys)\n\ndef f(xs):\n    return len(xs) + grow(xs)\n',
  ]) {
    const other = code.replace('return', 'return 1 +');
    assert.is(similarity(code, other, 'python'), similarity(code, other, 'python', { off: ['inline-helper'] }), code);
  }
  // `return h(x)` inside a loop, h may fall off its end (returning None): inline, the loop would run on
  const falls = 'def h(x):\n    if x > 5:\n        return x\n    print(x)\n\ndef f(xs):\n    for x in xs:\n        if x > 0:\n            return h(x)\n    return 0\n';
  const fallsInline = 'def f(xs):\n    for x in xs:\n        if x > 0:\n            if x > 5:\n                return x\n            print(x)\n    return 0\n';
  assert.is(similarity(falls, fallsInline, 'python'), similarity(falls, fallsInline, 'python', { off: ['inline-helper'] }));
  assert.ok(similarity(falls, fallsInline, 'python') < 1);
});

test('extreme-chain: later candidates must all be tested, earlier ones only non-strictly; one direction', () => {
  const min3 = 'def f(a, b, c):\n    return min(a, b, c)\n';
  const chain = (c1: string, c2: string, ret = true) =>
    ret
      ? `def f(a, b, c):\n    if ${c1}:\n        return a\n    elif ${c2}:\n        return b\n    else:\n        return c\n`
      : `def f(a, b, c):\n    if ${c1}:\n        m = a\n    elif ${c2}:\n        m = b\n    else:\n        m = c\n    return m\n`;
  // the short form (b against the later c only), either direction of each test, strict later tests
  assert.is(S(min3, chain('a <= b and a <= c', 'b <= c'), 'python'), 1);
  assert.is(S(min3, chain('b >= a and c > a', 'c >= b'), 'python'), 1);
  assert.is(S(min3, chain('a < b and a < c', 'b < c', false), 'python'), 1);
  assert.is(S('def f(a, b, c):\n    return max(c, a, b)\n', chain('a >= b and a >= c', 'b >= a and b >= c'), 'python'), 1);
  assert.ok(S(min3, chain('a <= b and a <= c', 'b <= c'), 'python', ['extreme-chain']) < 1);
  // two candidates assigned: min of two (strict or not, a tie is one value)
  const two = (op: string) => `def f(a, b):\n    if a ${op} b:\n        m = a\n    else:\n        m = b\n    return m\n`;
  assert.is(S(two('<'), 'function f(a, b) {\n  return Math.min(a, b);\n}\n', 'javascript'), 1);
  assert.is(S(two('>='), 'function f(a, b) {\n  return Math.max(b, a);\n}\n', 'javascript'), 1);
  assert.ok(S(two('<'), 'function f(a, b) {\n  return Math.max(a, b);\n}\n', 'javascript') < 1);
  // a strict test against an earlier candidate skips the least on a tie (a = b < c gives c): not min
  assert.ok(S(min3, chain('a < b and a < c', 'b < a and b < c'), 'python') < 1);
  // a later candidate untested, the two directions mixed, another candidate returned: not min
  assert.ok(S(min3, chain('a <= b', 'b <= c'), 'python') < 1);
  assert.ok(S(min3, chain('a <= b and a >= c', 'b <= c'), 'python') < 1);
  assert.ok(S(min3, 'def f(a, b, c):\n    if a <= b and a <= c:\n        return a\n    elif b <= c:\n        return c\n    else:\n        return b\n', 'python') < 1);
  // go clamps of both directions in a row are not one min
  const go = (op2: string) => `func F(a, b, c int) int {\n\ts := a\n\tif b < s {\n\t\ts = b\n\t}\n\tif c ${op2} s {\n\t\ts = c\n\t}\n\treturn s\n}\n`;
  assert.is(S(min3, go('<='), 'go'), 1);
  assert.ok(S(min3, go('>'), 'go') < 1);
  assert.ok(S(min3, go('<'), 'go', ['extreme-chain']) < 1);
});

test('reduce-loop: the start value and the operand order count; after a map only the element', () => {
  const loop = (init: string, upd: string) => `def f(xs):\n    a = ${init}\n    for x in xs:\n        a = ${upd}\n    return a\n`;
  const red = (body: string, start: string, base = 'xs') => `function f(xs) {\n  return ${base}.reduce((a, x) => ${body}, ${start});\n}\n`;
  assert.is(S(loop('1', 'a * x'), red('x * a', '1'), 'javascript'), 1);
  assert.is(S(loop('10', 'a + x'), red('a + x', '10'), 'javascript'), 1);
  assert.is(S(loop('100', 'a - x * 2'), red('a - x * 2', '100'), 'javascript'), 1);
  assert.ok(S(loop('1', 'a * x'), red('x * a', '1'), 'javascript', ['reduce-loop']) < 1);
  // another start value, or `x - a` (not a -= x)
  assert.ok(S(loop('1', 'a * x'), red('a * x', '2'), 'javascript') < 1);
  assert.ok(S(loop('100', 'a - x'), red('x - a', '100'), 'javascript') < 1);
  // after a map the element is folded: the mapped value
  assert.is(S('def f(xs):\n    a = 1\n    for x in xs:\n        a = a * (x + 1)\n    return a\n', red('a * x', '1', 'xs.map((y) => y + 1)'), 'javascript'), 1);
});

test('multi-append: the values in order, the inner display last and yielded as is; extend of a display; js push', () => {
  const comp = 'def f(xs, e):\n    return [v for x in xs for v in (e, x)]\n';
  const loop = (stmt: string) => `def f(xs, e):\n    out = []\n    for x in xs:\n        ${stmt}\n    return out\n`;
  assert.is(S(comp, loop('out.extend([e, x])'), 'python'), 1);
  assert.is(S(comp, 'function f(xs, e) {\n  const out = [];\n  for (const x of xs) out.push(e, x);\n  return out;\n}\n', 'javascript'), 1);
  assert.ok(S(comp, loop('out.extend([e, x])'), 'python', ['multi-append']) < 1);
  // the other order, a filter on the inner values, a value computed from v: not the multi-append
  assert.ok(S(comp, loop('out.extend([x, e])'), 'python') < 1);
  assert.ok(S('def f(xs, e):\n    return [v for x in xs for v in (e, x) if v > 0]\n', loop('out.extend([e, x])'), 'python') < 1);
  assert.ok(S('def f(xs, e):\n    return [v * 2 for x in xs for v in (e, x)]\n', loop('out.extend([e, x])'), 'python') < 1);
  // a filter before flatMap is the comprehension's if
  assert.is(S('def f(xs, e):\n    return [v for x in xs if x > 0 for v in (e, x)]\n', 'function f(xs, e) {\n  return xs.filter((x) => x > 0).flatMap((x) => [e, x]);\n}\n', 'javascript'), 1);
});

test('counting-while: the update last and alone, no continue, an invariant bound, the index not read after', () => {
  // the while with `body` (+ `i += 1` last unless `own`) against the range loop with the same body (what the rule would make of it)
  const fr = (body: string, after = '', bound = 'n') => `def f(xs, n):\n    t = 0\n    for i in range(${bound}):\n${body}    return t${after}\n`;
  const wh = (body: string, after = '', bound = 'n', own = false) => `def f(xs, n):\n    t = 0\n    i = 0\n    while i < ${bound}:\n${body}${own ? '' : '        i += 1\n'}    return t${after}\n`;
  const plain = '        t += xs[i] * i\n';
  assert.is(S(fr(plain), wh(plain), 'python'), 1);
  assert.is(S(fr(plain), 'function f(xs, n) {\n  let t = 0;\n  let i = 0;\n  while (i < n) {\n    t += xs[i] * i;\n    i++;\n  }\n  return t;\n}\n', 'javascript'), 1);
  assert.is(S(fr(plain, '', 'len(xs)'), wh(plain, '', 'len(xs)'), 'python'), 1);
  assert.ok(S(fr(plain), wh(plain), 'python', ['counting-while']) < 1);
  // a continue skips the update; i changed in the body; i read after the loop; the bound changed in the body: not the range loop
  const cont = '        if xs[i] < 0:\n            continue\n' + plain;
  assert.ok(S(fr(cont), wh(cont), 'python') < 1);
  const bump = plain + '        i += xs[i]\n';
  assert.ok(S(fr(bump), wh(bump), 'python') < 1);
  assert.ok(S(fr(plain, ' + i'), wh(plain, ' + i'), 'python') < 1);
  const shrink = plain + '        n -= 1\n';
  assert.ok(S(fr(shrink), wh(shrink), 'python') < 1);
  const grow = plain + '        xs.append(t)\n';
  assert.ok(S(fr(grow, '', 'len(xs)'), wh(grow, '', 'len(xs)'), 'python') < 1);
  // the update first: i runs from 1 to n (another loop)
  assert.ok(S(fr(plain), wh('        i += 1\n' + plain, '', 'n', true), 'python') < 1);
});

test('many-zip and multi-append: the index read only as xs[i], ys[i], zs[i]; a zip tuple flattened is its values in order', () => {
  const zip3 = 'def f(a, b, c):\n    out = []\n    for x, y, z in zip(a, b, c):\n        out.append(x + y * z)\n    return out\n';
  const go = (e: string) => `func F(a, b, c []int) []int {\n\tout := []int{}\n\tfor i := range a {\n\t\tout = append(out, ${e})\n\t}\n\treturn out\n}\n`;
  // the index read as a number too, or a sequence at another index: not a zip
  assert.ok(S(zip3, go('a[i]+b[i]*c[i]*i'), 'go') < 1);
  assert.ok(S(zip3, go('a[i]+b[i]*c[i+1]'), 'go') < 1);
  const flat = 'def f(a, b, c):\n    return [el for t in zip(a, b, c) for el in t]\n';
  assert.is(S(flat, go('a[i], b[i], c[i]'), 'go'), 1);
  assert.ok(S(flat, go('a[i], b[i]'), 'go') < 1);
  assert.ok(S(flat, go('a[i], b[i], c[i]'), 'go', ['multi-append']) < 1);
  // the tuple read again (its length counted): not only its values
  assert.ok(S('def f(a, b, c):\n    return [el for t in zip(a, b, c) for el in t if len(t) > 0]\n', go('a[i], b[i], c[i]'), 'go') < 1);
});

test.run();
