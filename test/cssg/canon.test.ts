// CSSG v2 (metric 'cssg'): each canonicalisation makes an equivalent pair meet (S = 1)
// while a one-token mutant of the same code does not (S < 1); labels see operators,
// operand order, constants and argument order; the parse-error penalty and its cap;
// calibration (stub and unrelated near 0); identity and symmetry in every language.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LANGS, type Lang } from '../../src/lang/parser.js';
import { similarity, graphOf } from '../../src/cssg/index.js';
import { FLOOR, PARSE_SLOPE } from '../../src/cssg/score.js';
import { negateCanon, binaryCanon } from '../../src/cssg/build.js';
import { type Normalisation } from '../../src/cssg/options.js';
import { genProgram, print } from './gen.js';

const S = (a: string, b: string, lang: Lang = 'python') => similarity(a, b, lang);
const py = (body: string, params = 'a, b') => `def f(${params}):\n${body.split('\n').map((l) => '    ' + l).join('\n')}\n`;

// [name, original, equivalent rewrite, one-token mutant of the original]
const CASES: [string, string, string, string][] = [
  ['commutative operands', py('return a * b + 1'), py('return 1 + b * a'), py('return a * b - 1')],
  // (the branches return a + 1, not a: `if a > b: return a` + `return b` is max(a, b), which 'min-max' reads whatever the comparison's direction)
  ['comparison direction', py('if a > b:\n    return a + 1\nreturn b'), py('if b < a:\n    return a + 1\nreturn b'), py('if a >= b:\n    return a + 1\nreturn b')],
  ['negated comparison', py('if not a < b:\n    return a + 1\nreturn b'), py('if a >= b:\n    return a + 1\nreturn b'), py('if not a <= b:\n    return a + 1\nreturn b')],
  ['x op= y is x = x op y', py('s = 0\nfor x in a:\n    s += x * b\nreturn s'), py('s = 0\nfor x in a:\n    s = s + x * b\nreturn s'), py('s = 0\nfor x in a:\n    s -= x * b\nreturn s')],
  ['single-use temporary', py('t = a * b\nreturn t + 1'), py('return a * b + 1'), py('t = a * b\nreturn t + 2')],
  ['if/else swapped under negation', py('if a != b:\n    x = 1\nelse:\n    x = 2\nreturn x'), py('if a == b:\n    x = 2\nelse:\n    x = 1\nreturn x'), py('if a != b:\n    x = 2\nelse:\n    x = 1\nreturn x')],
  ['independent statements reordered', py('x = a + 1\ny = b * 2\nreturn x - y'), py('y = b * 2\nx = a + 1\nreturn x - y'), py('x = a + 1\ny = b * 2\nreturn y - x')],
  ['list comprehension is its loop', py('out = []\nfor x in a:\n    if x % 2 == 0:\n        out.append(x * b)\nreturn out'), py('return [x * b for x in a if x % 2 == 0]'), py('out = []\nfor x in a:\n    if x % 3 == 0:\n        out.append(x * b)\nreturn out')],
  ['set comprehension is its loop', py('out = set()\nfor x in a:\n    out.add(x + b)\nreturn out'), py('return {x + b for x in a}'), py('out = set()\nfor x in a:\n    out.add(x - b)\nreturn out')],
  ['sum of a generator is an accumulator loop', py('s = 0\nfor x in a:\n    if x > b:\n        s += x * x\nreturn s'), py('return sum(x * x for x in a if x > b)'), py('s = 0\nfor x in a:\n    if x > b:\n        s += x * b\nreturn s')],
  ['any in a return is a search loop', py('for x in a:\n    if x % b == 0:\n        return True\nreturn False'), py('return any(x % b == 0 for x in a)'), py('for x in a:\n    if x % b == 1:\n        return True\nreturn False')],
  ['all in a return is a search loop', py('for x in a:\n    if x >= b:\n        return False\nreturn True'), py('return all(x < b for x in a)'), py('for x in a:\n    if x > b:\n        return False\nreturn True')],
  ["''.join of a generator is string accumulation", py("out = ''\nfor ch in a:\n    if ch != b:\n        out += ch.lower()\nreturn out"), py("return ''.join(ch.lower() for ch in a if ch != b)"), py("out = ''\nfor ch in a:\n    if ch != b:\n        out += ch.upper()\nreturn out")],
  ['sep.join of a generator joins the list its loop builds', py("out = []\nfor w in a:\n    if w != b:\n        out.append(w)\nreturn ';'.join(out)"), py("return ';'.join(w for w in a if w != b)"), py("out = []\nfor w in a:\n    if w != b:\n        out.append(w)\nreturn ','.join(out)")],
  ['len of a filtered list is a count', py('c = 0\nfor x in a:\n    if x > b:\n        c += 1\nreturn c'), py('return len([x for x in a if x > b])'), py('c = 0\nfor x in a:\n    if x >= b:\n        c += 1\nreturn c')],
  ['next with a default is a search loop', py('for x in a:\n    if x % b == 0:\n        return x * x\nreturn -1'), py('return next((x * x for x in a if x % b == 0), -1)'), py('for x in a:\n    if x % b == 0:\n        return x * x\nreturn 1')],
  ['index loop is an element loop', py('t = 0\nfor i in range(len(a)):\n    if a[i] > b:\n        t += a[i]\nreturn t'), py('t = 0\nfor x in a:\n    if x > b:\n        t += x\nreturn t'), py('t = 0\nfor i in range(len(a)):\n    if a[i] < b:\n        t += a[i]\nreturn t')],
  ['adjacent-pair index loop is a zip loop', py('c = 0\nfor i in range(len(a) - 1):\n    if a[i + 1] - a[i] > b:\n        c += 1\nreturn c'), py('return sum(1 for x, y in zip(a, a[1:]) if y - x > b)'), py('c = 0\nfor i in range(len(a) - 1):\n    if a[i + 1] - a[i] >= b:\n        c += 1\nreturn c')],
  ['parallel index loop is a zip loop', py('t = 0\nfor i in range(min(len(a), len(b))):\n    t += a[i] * b[i]\nreturn t'), py('t = 0\nfor x, y in zip(a, b):\n    t += x * y\nreturn t'), py('t = 0\nfor i in range(min(len(a), len(b))):\n    t += a[i] + b[i]\nreturn t')],
  ['enumerate with an unused index', py('for i, x in enumerate(a):\n    if x > b:\n        return x\nreturn 0'), py('for x in a:\n    if x > b:\n        return x\nreturn 0'), py('for i, x in enumerate(a):\n    if x > b:\n        return i\nreturn 0')],
  ['conditional return is if/elif/else', py('if a < 0:\n    return a - 9\nelif a % 5 == 0:\n    return b\nelse:\n    return 2 * a'), py('return a - 9 if a < 0 else b if a % 5 == 0 else 2 * a'), py('if a < 0:\n    return a - 9\nelif a % 5 == 0:\n    return b\nelse:\n    return 3 * a')],
  ['locals renamed', py('total = 0\nfor v in a:\n    total += v\nreturn total'), py('acc = 0\nfor item in a:\n    acc += item\nreturn acc'), py('total = 1\nfor v in a:\n    total += v\nreturn total')],
];

for (const [name, orig, rewrite, mutant] of CASES) {
  test(`canonicalisation: ${name}`, () => {
    assert.is(S(orig, rewrite), 1, `rewrite\n${orig}\n${rewrite}`);
    const m = S(orig, mutant);
    assert.ok(m < 1 && m > 0.3, `mutant scored ${m}\n${mutant}`);
  });
}

// the normalisation that makes each pair meet: with it switched off, the pair does not
const BY_NORMALISATION: [string, Normalisation][] = [
  ['commutative operands', 'commutative'],
  ['comparison direction', 'comparison-direction'],
  ['x op= y is x = x op y', 'update-form'],
  ['single-use temporary', 'temporaries'],
  ['if/else swapped under negation', 'if-swap'],
  ['list comprehension is its loop', 'comprehension-loop'],
  ['set comprehension is its loop', 'comprehension-loop'],
  ['sum of a generator is an accumulator loop', 'accumulator'],
  ['any in a return is a search loop', 'accumulator'],
  ['all in a return is a search loop', 'accumulator'],
  ["''.join of a generator is string accumulation", 'accumulator'],
  ['sep.join of a generator joins the list its loop builds', 'comprehension-loop'],
  ['len of a filtered list is a count', 'accumulator'],
  ['next with a default is a search loop', 'accumulator'],
  ['index loop is an element loop', 'index-loop'],
  ['adjacent-pair index loop is a zip loop', 'index-loop'],
  ['parallel index loop is a zip loop', 'index-loop'],
  ['enumerate with an unused index', 'index-loop'],
  ['conditional return is if/elif/else', 'ternary-return'],
];

test('options: switching a normalisation off separates its pair again; unknown names are an error', () => {
  for (const [name, norm] of BY_NORMALISATION) {
    const c = CASES.find((x) => x[0] === name)!;
    const off = similarity(c[1], c[2], 'python', { off: [norm] });
    assert.ok(off < 1, `${name} with ${norm} off scored ${off}`);
  }
  assert.throws(() => similarity('x = 1', 'x = 1', 'python', { off: ['no-such' as Normalisation] }), /unknown CSSG normalisation 'no-such'/);
});

test('index loop: not where the index means more than element access', () => {
  const elem = py('t = 0\nfor x in a:\n    t += x\nreturn t');
  // the index itself is read
  assert.ok(S(py('t = 0\nfor i in range(len(a)):\n    t += i * a[i]\nreturn t'), elem) < 1);
  // the element is written
  assert.ok(S(py('t = 0\nfor i in range(len(a)):\n    a[i] = 0\n    t += a[i]\nreturn t'), py('t = 0\nfor x in a:\n    x = 0\n    t += x\nreturn t')) < 1);
  // another sequence is indexed
  assert.ok(S(py('t = 0\nfor i in range(len(a)):\n    t += b[i]\nreturn t'), elem) < 1);
  // pairs: the index loop runs to the last element, zip(a, a[1:]) stops one short
  assert.ok(S(py('c = 0\nfor i in range(len(a)):\n    c += a[i]\nreturn c'), py('c = 0\nfor x, y in zip(a, a[1:]):\n    c += x\nreturn c')) < 1);
  // the index is read after the loop
  assert.ok(S(py('t = 0\nfor i in range(len(a)):\n    t += a[i]\nreturn t + i'), py('t = 0\nfor x in a:\n    t += x\nreturn t + x')) < 1);
});

test('language-neutral labels: one program printed in python, javascript and go meets itself', () => {
  // counted C-style loops are range loops, xs.length is len(xs), xs[i] is one index operation
  for (let seed = 1; seed <= 12; seed++) {
    const p = genProgram(seed);
    for (const lang of ['javascript', 'go'] as const) assert.is(similarity(print(p, 'python'), print(p, lang), 'python', { langB: lang }), 1, `seed ${seed}, ${lang}`);
  }
  const js = 'function f(xs, n) {\n  let t = 0;\n  for (let i = 0; i < xs.length; i++) {\n    t += xs[i] * n;\n  }\n  return t;\n}\n';
  const go = 'func f(xs []int, n int) int {\n\tt := 0\n\tfor i := 0; i < len(xs); i++ {\n\t\tt += xs[i] * n\n\t}\n\treturn t\n}\n';
  const pyIdx = py('t = 0\nfor i in range(len(a)):\n    t += a[i] * b\nreturn t');
  assert.is(similarity(js, go, 'javascript', { langB: 'go' }), 1);
  // a mutant (<= bound) does not meet
  assert.ok(similarity(js, js.replace('i < xs.length', 'i <= xs.length'), 'javascript') < 1);
  assert.ok(similarity(pyIdx, js, 'python', { langB: 'javascript' }) > 0.5);
});

// Cross-language: [name, python, the same in another language, that language, a
// one-token mutant of it, the normalisation that makes the pair meet]
const js = (body: string) => `function f(a, b) {\n${body}\n}\n`;
const go = (body: string, ret = 'int') => `func f(a []int, b int) ${ret} {\n${body}\n}\n`;
const gos = (body: string, ret = 'string') => `func f(a string, b string) ${ret} {\n${body}\n}\n`;
const XCASES: [string, string, string, 'javascript' | 'go', string, Normalisation | null][] = [
  ['js counted index loop is an element loop', py('t = 0\nfor x in a:\n    if x > b:\n        t += x\nreturn t'), js('let t = 0;\nfor (let i = 0; i < a.length; i++) {\n  if (a[i] > b) t += a[i];\n}\nreturn t;'), 'javascript', js('let t = 0;\nfor (let i = 0; i < a.length; i++) {\n  if (a[i] < b) t += a[i];\n}\nreturn t;'), 'index-loop'],
  ['go counted index loop is an element loop', py('t = 0\nfor x in a:\n    if x > b:\n        t += x\nreturn t'), go('t := 0\nfor i := 0; i < len(a); i++ {\n\tif a[i] > b {\n\t\tt += a[i]\n\t}\n}\nreturn t'), 'go', go('t := 0\nfor i := 0; i < len(a); i++ {\n\tif a[i] > b {\n\t\tt -= a[i]\n\t}\n}\nreturn t'), 'index-loop'],
  ['go index range loop is an element loop', py('t = 0\nfor x in a:\n    t += x * b\nreturn t'), go('t := 0\nfor i := range a {\n\tt += a[i] * b\n}\nreturn t'), 'go', go('t := 0\nfor i := range a {\n\tt += a[i] + b\n}\nreturn t'), 'index-loop'],
  ['js adjacent-pair index loop is a zip loop', py('c = 0\nfor x, y in zip(a, a[1:]):\n    if y - x > b:\n        c += 1\nreturn c'), js('let c = 0;\nfor (let i = 0; i < a.length - 1; i++) {\n  if (a[i + 1] - a[i] > b) c++;\n}\nreturn c;'), 'javascript', js('let c = 0;\nfor (let i = 0; i < a.length - 1; i++) {\n  if (a[i + 1] - a[i] >= b) c++;\n}\nreturn c;'), 'index-loop'],
  ['go index loop naming its element is an element loop', py('out = []\nfor x in a:\n    if x < b:\n        out.append(3 * x)\nreturn out'), go('out := []int{}\nfor i := 0; i < len(a); i++ {\n\tx := a[i]\n\tif x < b {\n\t\tout = append(out, 3 * x)\n\t}\n}\nreturn out', '[]int'), 'go', go('out := []int{}\nfor i := 0; i < len(a); i++ {\n\tx := a[i]\n\tif x > b {\n\t\tout = append(out, 3 * x)\n\t}\n}\nreturn out', '[]int'), 'index-loop'],
  ['js i + 1 < n is the adjacent-pair loop', py('c = 0\nfor x, y in zip(a, a[1:]):\n    if x == y:\n        c += 1\nreturn c'), js('let c = 0;\nfor (let i = 0; i + 1 < a.length; i++) {\n  if (a[i] === a[i + 1]) c++;\n}\nreturn c;'), 'javascript', js('let c = 0;\nfor (let i = 0; i + 1 < a.length; i++) {\n  if (a[i] !== a[i + 1]) c++;\n}\nreturn c;'), 'index-loop'],
  ['descending counted loop is a descending range (always on)', py('for i in range(len(a) - 1, -1, -1):\n    if a[i] > b:\n        return i\nreturn -1'), js('for (let i = a.length - 1; i >= 0; i--) {\n  if (a[i] > b) return i;\n}\nreturn -1;'), 'javascript', js('for (let i = a.length - 1; i > 0; i--) {\n  if (a[i] > b) return i;\n}\nreturn -1;'), null],
  ['go condition switch is if/elif/else', py('if b < 0:\n    return b - 9\nelif b % 5 == 0:\n    return b\nelse:\n    return 2 * b'), go('switch {\ncase b < 0:\n\treturn b - 9\ncase b % 5 == 0:\n\treturn b\ndefault:\n\treturn 2 * b\n}'), 'go', go('switch {\ncase b < 0:\n\treturn b - 9\ncase b % 5 == 0:\n\treturn b\ndefault:\n\treturn 3 * b\n}'), 'switch-if'],
  ['go append loop is the comprehension', py('return [x * b for x in a if x % 2 == 0]'), go('out := []int{}\nfor _, x := range a {\n\tif x % 2 == 0 {\n\t\tout = append(out, x * b)\n\t}\n}\nreturn out', '[]int'), 'go', go('out := []int{}\nfor _, x := range a {\n\tif x % 3 == 0 {\n\t\tout = append(out, x * b)\n\t}\n}\nreturn out', '[]int'), 'append-call'],
  ['js filter/map chain is the comprehension', py('return [x * b for x in a if x % 2 == 0]'), js('return a.filter((x) => x % 2 === 0).map((x) => x * b);'), 'javascript', js('return a.filter((x) => x % 3 === 0).map((x) => x * b);'), 'comprehension-loop'],
  ['js reduce to a sum is sum()', py('return sum(x * x for x in a if x > b)'), js('return a.filter((x) => x > b).map((x) => x * x).reduce((s, y) => s + y, 0);'), 'javascript', js('return a.filter((x) => x > b).map((x) => x * b).reduce((s, y) => s + y, 0);'), 'accumulator'],
  ['js filtered length is a count', py('return len([x for x in a if x > b])'), js('return a.filter((x) => x > b).length;'), 'javascript', js('return a.filter((x) => x >= b).length;'), 'comprehension-loop'],
  ['js some is any', py('return any(x % b == 0 for x in a)'), js('return a.some((x) => x % b === 0);'), 'javascript', js('return a.some((x) => x % b === 1);'), 'accumulator'],
  ['js every is all', py('return all(x < b for x in a)'), js('return a.every((x) => x < b);'), 'javascript', js('return a.every((x) => x <= b);'), 'accumulator'],
  ['js find ?? d is next', py('return next((x for x in a if x > b), -1)'), js('return a.find((x) => x > b) ?? -1;'), 'javascript', js('return a.find((x) => x > b) ?? 1;'), 'accumulator'],
  ["js map and join('') is ''.join", py("return ''.join(ch.lower() for ch in a if ch != b)"), js("return [...a].filter((ch) => ch !== b).map((ch) => ch.toLowerCase()).join('');"), 'javascript', js("return [...a].filter((ch) => ch !== b).map((ch) => ch.toUpperCase()).join('');"), 'accumulator'],
  ['go strings.Split/Join are the methods', py("return b.join(a.split(','))"), gos('return strings.Join(strings.Split(a, ","), b)'), 'go', gos('return strings.Join(strings.Split(a, ";"), b)'), 'method-call'],
  ['go flag and break is any', py('return any(x % b == 0 for x in a)'), go('ok := false\nfor _, x := range a {\n\tif x % b == 0 {\n\t\tok = true\n\t\tbreak\n\t}\n}\nreturn ok', 'bool'), 'go', go('ok := false\nfor _, x := range a {\n\tif x % b == 1 {\n\t\tok = true\n\t\tbreak\n\t}\n}\nreturn ok', 'bool'), 'flag-break'],
  ['js flag and break is all', py('return all(x < b for x in a)'), js('let ok = true;\nfor (const x of a) {\n  if (x >= b) {\n    ok = false;\n    break;\n  }\n}\nreturn ok;'), 'javascript', js('let ok = true;\nfor (const x of a) {\n  if (x > b) {\n    ok = false;\n    break;\n  }\n}\nreturn ok;'), 'flag-break'],
  ['go strings.Builder is string accumulation', py("out = ''\nfor ch in a:\n    if ch != b:\n        out += ch.lower()\nreturn out"), gos('var sb strings.Builder\nfor _, ch := range a {\n\tif ch != b {\n\t\tsb.WriteString(strings.ToLower(ch))\n\t}\n}\nreturn sb.String()'), 'go', gos('var sb strings.Builder\nfor _, ch := range a {\n\tif ch != b {\n\t\tsb.WriteString(strings.ToUpper(ch))\n\t}\n}\nreturn sb.String()'), 'string-builder'],
  ['js two comparisons are the chained comparison', py('return [x for x in a if 2 <= x <= b]'), js('return a.filter((x) => x >= 2 && x <= b);'), 'javascript', js('return a.filter((x) => x > 2 && x <= b);'), 'chained-comparison'],
  ['go character range is isdigit', py('c = 0\nfor ch in a:\n    if ch.isdigit():\n        c += 1\nreturn c'), gos("c := 0\nfor _, ch := range a {\n\tif ch >= '0' && ch <= '9' {\n\t\tc++\n\t}\n}\nreturn c", 'int'), 'go', gos("c := 0\nfor _, ch := range a {\n\tif ch >= '0' && ch <= '8' {\n\t\tc++\n\t}\n}\nreturn c", 'int'), 'char-class'],
  ['js filter by index is a stepped slice', py('return sum(x * x for x in a[::2])'), js('return a.filter((_, i) => i % 2 === 0).map((x) => x * x).reduce((s, y) => s + y, 0);'), 'javascript', js('return a.filter((_, i) => i % 3 === 0).map((x) => x * x).reduce((s, y) => s + y, 0);'), 'step-slice'],
  ['go stepping append loop is a stepped slice', py('t = 0\nfor x in a[::2]:\n    t += x * b\nreturn t'), go('part := []int{}\nfor i := 0; i < len(a); i += 2 {\n\tpart = append(part, a[i])\n}\nt := 0\nfor _, x := range part {\n\tt += x * b\n}\nreturn t'), 'go', go('part := []int{}\nfor i := 0; i < len(a); i += 3 {\n\tpart = append(part, a[i])\n}\nt := 0\nfor _, x := range part {\n\tt += x * b\n}\nreturn t'), 'step-slice'],
  ['js index from the end is a negative index', py('return a[-1] + a[-2]'), js('return a[a.length - 1] + a[a.length - 2];'), 'javascript', js('return a[a.length - 1] + a[a.length - 3];'), 'negative-index'],
  ['go slice from the end is a negative slice', py('return a[-b:]', 'a, b'), go('return a[len(a)-b:]', '[]int'), 'go', go('return a[len(a)-b-1:]', '[]int'), 'negative-index'],
  ['go sequence named then index-looped folds into the loop', py("c = 0\nfor w in a.split(' '):\n    if len(w) < 4:\n        c += 1\nreturn c"), gos('c := 0\nparts := strings.Split(a, " ")\nfor i := 0; i < len(parts); i++ {\n\tw := parts[i]\n\tif len(w) < 4 {\n\t\tc++\n\t}\n}\nreturn c', 'int'), 'go', gos('c := 0\nparts := strings.Split(a, " ")\nfor i := 0; i < len(parts); i++ {\n\tw := parts[i]\n\tif len(w) < 5 {\n\t\tc++\n\t}\n}\nreturn c', 'int'), 'temporaries'],
  ['go clamp by an if is min', py('n = min(len(a), b)\nreturn n * 2'), go('n := len(a)\nif n > b {\n\tn = b\n}\nreturn n * 2'), 'go', go('n := len(a)\nif n < b {\n\tn = b\n}\nreturn n * 2'), 'clamp'],
  ['go index loops that each declare i are element loops', py('t = 0\nfor x in a:\n    t += x\nfor y in a:\n    t -= y * b\nreturn t'), go('t := 0\nfor i := 0; i < len(a); i++ {\n\tt += a[i]\n}\nfor i := 0; i < len(a); i++ {\n\tt -= a[i] * b\n}\nreturn t'), 'go', go('t := 0\nfor i := 0; i < len(a); i++ {\n\tt += a[i]\n}\nfor i := 0; i < len(a); i++ {\n\tt -= a[i] + b\n}\nreturn t'), 'index-loop'],
  ['go range loop with a length guard is zip', py('t = 0\nfor x, y in zip(a, c):\n    t += x * y\nreturn t', 'a, c'), 'func f(a []int, c []int) int {\nt := 0\nfor i := range a {\n\tif i >= len(c) {\n\t\tbreak\n\t}\n\tt += a[i] * c[i]\n}\nreturn t\n}\n', 'go', 'func f(a []int, c []int) int {\nt := 0\nfor i := range a {\n\tif i >= len(c) {\n\t\tbreak\n\t}\n\tt += a[i] + c[i]\n}\nreturn t\n}\n', 'index-loop'],
  ['js findIndex is next over enumerate', py('return next((i for i, x in enumerate(a) if x > b), -1)'), js('return a.findIndex((x) => x > b);'), 'javascript', js('return a.findIndex((x) => x >= b);'), 'accumulator'],
  ['js includes is in', py('return b in a'), js('return a.includes(b);'), 'javascript', js('return a.startsWith(b);'), 'method-call'],
];

for (const [name, p, other, lang, mutant, norm] of XCASES) {
  test(`cross-language: ${name}`, () => {
    const s = similarity(p, other, 'python', { langB: lang });
    assert.is(s, 1, `${p}\n${other}`);
    const m = similarity(p, mutant, 'python', { langB: lang });
    assert.ok(m < s, `mutant scored ${m}\n${mutant}`);
    if (norm) {
      const off = similarity(p, other, 'python', { langB: lang, off: [norm] });
      assert.ok(off < s, `with ${norm} off the pair still scored ${off}`);
    }
    assert.is(similarity(other, p, lang, { langB: 'python' }), s, 'symmetric');
  });
}

test('cross-language: not where the index, a second parameter or the order means more', () => {
  const elem = py('t = 0\nfor x in a:\n    t += x\nreturn t');
  // the index itself is read
  assert.ok(similarity(elem, js('let t = 0;\nfor (let i = 0; i < a.length; i++) t += i * a[i];\nreturn t;'), 'python', { langB: 'javascript' }) < 1);
  // the index is read after the loop
  assert.ok(similarity(py('t = 0\nfor x in a:\n    t += x\nreturn t + x'), go('t := 0\ni := 0\nfor i = 0; i < len(a); i++ {\n\tt += a[i]\n}\nreturn t + i'), 'python', { langB: 'go' }) < 1);
  // another sequence is indexed
  assert.ok(similarity(elem, go('t := 0\nfor i := range a {\n\tt += c[i]\n}\nreturn t'), 'python', { langB: 'go' }) < 1);
  // a filter reading the index is not a comprehension's if
  const comp = py('return [x for x in a if x > b]');
  assert.ok(similarity(comp, js('return a.filter((x, i) => x > b);'), 'python', { langB: 'javascript' }) < 1);
  // map before filter tests the mapped value
  assert.ok(similarity(py('return [x * 2 for x in a if x > b]'), js('return a.map((x) => x * 2).filter((x) => x > b);'), 'python', { langB: 'javascript' }) < 1);
  // a product is not a sum
  assert.ok(similarity(py('return sum(x for x in a if x > b)'), js('return a.filter((x) => x > b).reduce((s, y) => s * y, 0);'), 'python', { langB: 'javascript' }) < 1);
  // a case that breaks out of the switch is not an if
  assert.ok(similarity(py('if b < 0:\n    return 1\nreturn 2'), go('switch {\ncase b < 0:\n\tif b < -5 {\n\t\tbreak\n\t}\n\treturn 1\n}\nreturn 2'), 'python', { langB: 'go' }) < 1);
  // append(out, xs...) appends many
  assert.ok(similarity(py('out = []\nfor x in a:\n    out.append(x)\nreturn out'), go('out := []int{}\nfor _, x := range a {\n\tout = append(out, x...)\n}\nreturn out', '[]int'), 'python', { langB: 'go' }) < 1);
});

test('labels: a lambda with an expression body keeps its operators and its parameter count', () => {
  // a comparison in an expression body (its operator is not in the feature bag)
  assert.ok(S(js('const k = a.findIndex((x) => x > b);\nreturn k + 1;'), js('const k = a.findIndex((x) => x < b);\nreturn k + 1;'), 'javascript') < 1);
  assert.ok(S(py('return sorted(a, key=lambda x: x > b)'), py('return sorted(a, key=lambda x: x < b)')) < 1);
  // the head is the parameter count in every language
  const head = (code: string, lang: Lang) => [...graphOf(code, lang).bags.flatMap((b) => [...b.keys()])].filter((k) => k.startsWith('x:closure:') || k.startsWith('x:loop:params'));
  assert.equal(head(py('return sorted(a, key=lambda x: abs(x - b))'), 'python'), ['x:closure:params1']);
  assert.equal(head(go('sort.Slice(a, func(i, j int) bool {\n\treturn a[i] < a[j]\n})\nreturn 0'), 'go'), ['x:closure:params2']);
  assert.equal(head(js('const k = a.findIndex((x) => x > b);\nreturn k + 1;'), 'javascript'), ['x:loop:params1']);
  assert.ok([...graphOf(py('return sorted(a, key=lambda x: abs(x - b))'), 'python').bags.flatMap((b) => [...b.keys()])].includes('x:return:abs(-(v,p1))'));
});

test('slices: by position, the same in every language', () => {
  // python's three positions are three different slices
  const sl = (x: string) => py(`return a[${x}]`);
  assert.ok(S(sl('1:'), sl(':1')) < 1);
  assert.ok(S(sl('::2'), sl('2:')) < 1);
  assert.ok(S(sl('::2'), sl(':2')) < 1);
  assert.is(similarity(sl('1:'), js('return a.slice(1);'), 'python', { langB: 'javascript' }), 1);
  assert.is(similarity(sl(':b'), go('return a[:b]', '[]int'), 'python', { langB: 'go' }), 1);
  assert.ok(similarity(sl(':b'), go('return a[b:]', '[]int'), 'python', { langB: 'go' }) < 1);
  // negative-index only counts from the end of the sequence itself
  assert.ok(similarity(py('return a[-1]'), js('return a[b.length - 1];'), 'python', { langB: 'javascript' }) < 1);
  // a stepping loop whose index is read again, or that copies another sequence, stays a loop
  const stepped = py('t = 0\nfor x in a[::2]:\n    t += x\nreturn t');
  assert.ok(similarity(stepped, go('part := []int{}\nfor i := 0; i < len(a); i += 2 {\n\tpart = append(part, a[i+1])\n}\nt := 0\nfor _, x := range part {\n\tt += x\n}\nreturn t'), 'python', { langB: 'go' }) < 1);
  assert.ok(similarity(stepped, js('return a.filter((x, i) => i % 2 === x).reduce((s, y) => s + y, 0);'), 'python', { langB: 'javascript' }) < 1);
});

test('char-class and chained comparisons: only the exact ranges, in either order', () => {
  const isd = py('return [ch for ch in a if ch.isdigit()]');
  assert.is(S(isd, py("return [ch for ch in a if '0' <= ch <= '9']")), 1);
  assert.is(S(isd, py("return [ch for ch in a if ch <= '9' and '0' <= ch]")), 1);
  assert.ok(S(isd, py("return [ch for ch in a if '1' <= ch <= '9']")) < 1);
  assert.ok(S(isd, py("return [ch for ch in a if '0' <= ch <= '9']"), 'python') > similarity(isd, py("return [ch for ch in a if '0' <= ch <= '9']"), 'python', { off: ['char-class'] }));
  // a chain of three comparisons is two ands
  assert.is(S(py('return 0 < a < b <= 9'), py('return 0 < a and a < b and b <= 9')), 1);
  assert.ok(S(py('return 0 < a < b <= 9'), py('return 0 < a and a < b and b < 9')) < 1);
});

test('labels: operand order, constants and argument order are seen', () => {
  assert.ok(S(py('return a / b'), py('return b / a')) < 1);
  assert.ok(S(py('return a % 3 == 0'), py('return a % 7 == 0')) < 1);
  assert.ok(S(py('return pow(a, b)'), py('return pow(b, a)')) < 1);
  assert.ok(S(py("return a.split(',')"), py("return a.split(';')")) < 1);
  assert.ok(S(py('return a.lower()'), py('return a.upper()')) < 1);
  // ...and where the first metric was blind
  assert.is(similarity(py('return a / b'), py('return b / a'), 'python', { metric: 'cssg-v1' }), 1);
});

test('canonical texts: negation is sound and involutive, comparisons point left', () => {
  assert.is(binaryCanon('>', 'p0', 'p1'), '<(p1,p0)');
  assert.is(binaryCanon('*', 'p1', 'p0'), '*(p0,p1)');
  assert.is(binaryCanon('-', 'p1', 'p0'), '-(p1,p0)');
  assert.is(binaryCanon('+', 'p1', 'p0'), '+(p1,p0)', 'string + is not commutative: unsorted without a numeric operand');
  assert.is(binaryCanon('+', 'p1', '1'), '+(1,p1)');
  assert.is(negateCanon('<(p0,p1)'), '<=(p1,p0)');
  for (const c of ['<(p0,p1)', '<=(p0,p1)', '==(p0,p1)', '!=(p0,p1)', 'f(p0)']) assert.is(negateCanon(negateCanon(c)), c);
});

test('parse errors cost: in proportion to the span, capped when mostly error', () => {
  const good = py('s = 0\nfor x in a:\n    if x > b:\n        s += x\nt = 1\nfor y in a:\n    t *= y + b\nu = [s, t]\nreturn u');
  assert.is(graphOf(good, 'python').errorFrac, 0);
  const small = good.replace('t = 1', 't = = 1');
  const e = graphOf(small, 'python').errorFrac;
  assert.ok(e > 0 && e < 0.1, `small error fraction ${e}`);
  const s = S(good, small);
  assert.ok(s < 1 && s > 0.5, `small error scored ${s}`);
  const larger = good.replace('return u', 'return u )');
  assert.ok(graphOf(larger, 'python').errorFrac > e && S(good, larger) < s, 'a larger error span costs more');
  const junk = good + ')) (( ]] '.repeat(40);
  assert.ok(graphOf(junk, 'python').errorFrac >= 0.5);
  assert.ok(S(good, junk) <= 1 - PARSE_SLOPE / 2 + 1e-12, `mostly error scored ${S(good, junk)}`);
  assert.ok(similarity(good, junk, 'python', { metric: 'cssg-v1' }) > S(good, junk));
});

test('calibration: stubs and unrelated functions score near 0, identical code 1', () => {
  let stub = 0;
  let unrelated = 0;
  const n = 24;
  for (let seed = 1; seed <= n; seed++) {
    const a = print(genProgram(seed), 'python');
    const sig = a.split('\n')[0];
    stub += S(a, `${sig}\n    return 0\n`);
    unrelated += S(a, print(genProgram(seed + 1000), 'python'));
    assert.is(S(a, a), 1);
  }
  assert.ok(stub / n <= 0.15, `stub mean ${stub / n}`);
  assert.ok(unrelated / n <= 0.15, `unrelated mean ${unrelated / n}`);
  assert.ok(FLOOR > 0 && FLOOR < 1);
});

test('identity and symmetry in every language', () => {
  for (const lang of LANGS) {
    for (let seed = 1; seed <= 6; seed++) {
      const a = print(genProgram(seed), lang);
      const b = print(genProgram(seed + 50), lang);
      assert.is(S(a, a, lang), 1, lang);
      const ab = S(a, b, lang);
      assert.is(ab, S(b, a, lang), lang);
      assert.ok(ab >= 0 && ab < 1, `${lang}: ${ab}`);
    }
  }
});

test('other languages: operators, constants and update spellings', () => {
  const js = (body: string) => `function f(a, b) {\n${body}\n}\n`;
  assert.ok(S(js('return a / b;'), js('return b / a;'), 'javascript') < 1);
  assert.is(S(js('let s = 0; for (const x of a) { s += x; } return s;'), js('let s = 0; for (const x of a) { s = s + x; } return s;'), 'javascript'), 1);
  const go = (body: string) => `func F(a int, b int) int {\n${body}\n}\n`;
  assert.ok(S(go('return a % 3'), go('return a % 7'), 'go') < 1);
  assert.is(S(go('if a > b {\n return a\n}\nreturn b'), go('if b < a {\n return a\n}\nreturn b'), 'go'), 1);
  const rb = (body: string) => `def f(a, b)\n${body}\nend\n`;
  assert.ok(S(rb('a - b'), rb('b - a'), 'ruby') < 1);
  assert.is(S(rb('s = 0\na.each { |x| s += x }\ns'), rb('s = 0\na.each { |x| s = s + x }\ns'), 'ruby'), 1);
});

test.run();
