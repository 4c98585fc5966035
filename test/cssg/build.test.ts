// Structure of the graphs themselves: control and data dependence, calls, root, caps,
// and the language neutrality of the labels.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph as buildAny, MAX_NODES } from '../../src/cssg/build.js';
// these tests describe the version-1 graph (metric 'cssg-v1'); v2 labels: test/cssg/canon.test.ts
const buildGraph = (code: string, lang: Lang) => buildAny(code, lang, 1);
import { CTRL, DATA, CALL, signature, type Graph } from '../../src/cssg/graph.js';
import { LANGS, type Lang } from '../../src/lang/parser.js';

function edges(g: Graph, type: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < g.edges.length; i += 3) if (g.edges[i + 2] === type) out.push([g.edges[i], g.edges[i + 1]]);
  return out;
}
const has = (g: Graph, type: number, a: number, b: number) => edges(g, type).some(([x, y]) => x === a && y === b);
const find = (g: Graph, kind: string, feature?: string) => g.kinds.findIndex((k, i) => k === kind && (!feature || g.bags[i].has(feature)));

const sumOf: Record<Lang, string> = {
  python: 'def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n',
  ruby: 'def total(xs)\n  s = 0\n  xs.each do |x|\n    s += x\n  end\n  s\nend\n',
  go: 'func Total(xs []int) int {\n\ts := 0\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\n',
  javascript: 'function total(xs) {\n  let s = 0;\n  for (const x of xs) {\n    s += x;\n  }\n  return s;\n}\n',
};

test('the same function gives the same graph in all four languages', () => {
  const sigs = LANGS.map((l) => signature(buildGraph(sumOf[l], l)));
  for (const s of sigs) assert.is(s, sigs[0]);
  const g = buildGraph(sumOf.python, 'python');
  assert.equal(g.kinds, ['root', 'func', 'param', 'assign', 'loop', 'aug', 'return']);
});

test('control dependence: loop body on the loop, statements after an early return on its guard', () => {
  const g = buildGraph('def f(xs, t):\n    if t < 0:\n        return 0\n    n = 0\n    for x in xs:\n        if x == t:\n            break\n        n += 1\n    return n\n', 'python');
  const guard = find(g, 'if', 'lit:0');
  const assign = find(g, 'assign');
  const loop = find(g, 'loop');
  const inner = find(g, 'if', 'op:==');
  const aug = find(g, 'aug');
  assert.ok(has(g, CTRL, guard, assign), 'n = 0 runs only when the early return did not');
  assert.ok(has(g, CTRL, guard, loop));
  assert.ok(has(g, CTRL, loop, inner));
  assert.ok(has(g, CTRL, inner, aug), 'n += 1 runs only when break did not');
  assert.ok(has(g, CTRL, 0, 1), 'root -> function entry');
});

test('data dependence: reaching definitions, merged branches, loop-carried fixpoint', () => {
  const g = buildGraph('def f(a):\n    x = 1\n    if a:\n        x = 2\n    y = x\n    while y < 10:\n        z = y\n        y = z + 1\n    return y\n', 'python');
  const x1 = find(g, 'assign', 'lit:1');
  const x2 = find(g, 'assign', 'lit:2');
  const y = g.kinds.findIndex((k, i) => k === 'assign' && g.bags[i].get('v') === 1 && g.bags[i].size === 1);
  assert.ok(has(g, DATA, x1, y) && has(g, DATA, x2, y), 'both branches reach y = x');
  const z = g.kinds.findIndex((k, i) => i > y && k === 'assign' && g.bags[i].get('v') === 1 && g.bags[i].size === 1);
  const yInc = find(g, 'assign', 'op:+');
  assert.ok(has(g, DATA, y, z), 'first iteration');
  assert.ok(has(g, DATA, yInc, z), 'loop-carried: found only by iterating the loop');
  const ret = find(g, 'return');
  assert.ok(has(g, DATA, y, ret) && has(g, DATA, yInc, ret));
  assert.not.ok(has(g, DATA, x1, ret), 'x = 1 does not reach return y');
});

test('calls: edges from call sites to the callee entry; every function hangs off the root', () => {
  const g = buildGraph('function sq(x) { return x * x; }\nfunction f(a) { const b = sq(a); return sq(b) + 1; }\n', 'javascript');
  assert.is(g.funcs.length, 2);
  for (const f of g.funcs) assert.ok(has(g, CTRL, 0, f));
  const calls = edges(g, CALL);
  assert.is(calls.length, 2);
  for (const [, to] of calls) assert.is(to, g.funcs[0]);
  // recursion
  const r = buildGraph('def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)\n', 'python');
  assert.is(edges(r, CALL).length, 1);
});

test('comments and docstrings never count', () => {
  const a = buildGraph('def f(a):\n    return a + 1\n', 'python');
  const b = buildGraph('def f(a):\n    """Adds one.\n\n    More text."""\n    # a comment\n    return a + 1  # trailing\n', 'python');
  assert.is(signature(a), signature(b));
  const c = buildGraph('/** doc */\nfunction f(a) {\n  // hi\n  return a + 1; /* x */\n}\n', 'javascript');
  assert.is(signature(c), signature(a));
});

test('identifiers: locals by role, library names kept and canonicalised across languages', () => {
  const g = buildGraph('def f(xs):\n    n = len(xs)\n    return math.sqrt(n)\n', 'python');
  assert.ok(g.bags[find(g, 'assign')].has('n:len'));
  assert.ok(g.bags[find(g, 'return')].has('n:sqrt'));
  assert.not.ok(g.bags[find(g, 'return')].has('n:math'), 'namespaces say nothing the name does not');
  const j = buildGraph('function f(xs) { const n = xs.length; return Math.sqrt(n); }', 'javascript');
  assert.is(signature(j), signature(g));
});

test('each language: the usual constructs give their categories', () => {
  const src: Record<Lang, string> = {
    python: 'def f(a, b=1):\n    with open(a) as fh:\n        data = fh.read()\n    try:\n        x = int(data)\n    except ValueError as e:\n        raise e\n    finally:\n        print(x)\n    while x > 0:\n        x -= 1\n    match b:\n        case 1:\n            return [y * 2 for y in range(x) if y % 2]\n        case _:\n            return lambda q: q + b\n',
    ruby: 'def f(a)\n  r = 0\n  until r > a\n    r += 1\n  end\n  case a\n  when 1 then r = 2\n  else r = 3\n  end\n  begin\n    g(r)\n  rescue ArgumentError => e\n    raise e\n  end\n  r = a.select { |x| x > 0 }.map { |x| x * r }\n  unless r.empty? then r else nil end\nend\n',
    go: 'func F(a int) (int, error) {\n\tswitch {\n\tcase a > 1:\n\t\treturn 1, nil\n\tdefault:\n\t\tdefer cleanup()\n\t}\n\tm := map[string]int{}\n\tfor k, v := range m {\n\t\tif v == 0 {\n\t\t\tcontinue\n\t\t}\n\t\tm[k] = v + a\n\t}\n\tgo func() { fmt.Println(a) }()\n\tpanic(errors.New("x"))\n}\n',
    javascript: 'function f(a, b) {\n  let r = 0;\n  do { r++; } while (r < a);\n  switch (b) { case 1: r = 2; break; default: r = 3; }\n  try { g(r); } catch (e) { throw e; } finally { h(); }\n  for (const k in a) { if (!k) continue; r += k; }\n  return a.filter((x) => x > 0).map((x) => x * r);\n}\n',
  };
  const want: Record<Lang, string[]> = {
    python: ['with', 'try', 'catch', 'throw', 'loop', 'aug', 'switch', 'case', 'return', 'if', 'closure'],
    ruby: ['loop', 'aug', 'switch', 'case', 'try', 'catch', 'throw', 'if', 'return'],
    go: ['switch', 'case', 'return', 'expr', 'loop', 'if', 'continue', 'assign', 'closure'],
    javascript: ['loop', 'aug', 'switch', 'case', 'break', 'try', 'catch', 'throw', 'if', 'continue', 'return'],
  };
  for (const lang of LANGS) {
    const g = buildGraph(src[lang], lang);
    for (const k of want[lang]) assert.ok(g.kinds.includes(k as never), `${lang}: no ${k} in ${g.kinds.join(',')}`);
    assert.is(g.funcs.length, 1, lang);
    // every node but the root has a controller
    const ctrlTo = new Set(edges(g, CTRL).map(([, b]) => b));
    for (let i = 1; i < g.kinds.length; i++) assert.ok(ctrlTo.has(i), `${lang}: node ${i} (${g.kinds[i]}) has no controller`);
  }
});

test('closures see the definitions reaching their statement, not its own', () => {
  const g = buildGraph('def f(xs, r):\n    r = [x * r for x in xs]\n    return r\n', 'python');
  const stmt = find(g, 'assign');
  const elem = find(g, 'aug', 'n:append');
  assert.ok(has(g, DATA, 3, elem), 'r in the element comes from the parameter');
  assert.not.ok(has(g, DATA, stmt, elem));
  assert.ok(has(g, DATA, elem, stmt), 'the element flows into the statement');
});

test('size cap: huge inputs are cut at MAX_NODES and flagged', () => {
  const big = 'def f(a):\n' + Array.from({ length: 1000 }, (_, i) => `    a = a + ${i}`).join('\n') + '\n    return a\n';
  const g = buildGraph(big, 'python');
  assert.ok(g.kinds.length <= MAX_NODES);
  assert.ok(g.capped);
  assert.not.ok(g.empty);
});

test('partial parses still give graphs', () => {
  const g = buildGraph('def f(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s +\n', 'python');
  assert.not.ok(g.empty);
  assert.ok(g.kinds.includes('loop'));
});

test.run();
