// The matcher against exhaustive search: on small graphs, enumerate every node mapping
// that respects the constraints, take the cheapest edit path (the exact constrained
// GED under CSSG's costs), and check that the approximate matcher's path is never
// cheaper (it is a real path) and is usually optimal. Also the cost model by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph as buildAny } from '../../src/cssg/build.js';
import type { Lang } from '../../src/lang/parser.js';
// these tests describe the version-1 graph (metric 'cssg-v1'); v2 labels: test/cssg/canon.test.ts
const buildGraph = (code: string, lang: Lang) => buildAny(code, lang, 1);
import { gedCompare, editPathCost } from '../../src/cssg/ged.js';
import type { Graph } from '../../src/cssg/graph.js';

function exactGed(g1: Graph, g2: Graph): number {
  const n1 = g1.kinds.length;
  const n2 = g2.kinds.length;
  const map = new Int32Array(n1).fill(-1);
  map[0] = 0;
  const used = new Uint8Array(n2);
  used[0] = 1;
  let best = Infinity;
  const rec = (i: number) => {
    if (i === n1) {
      const c = editPathCost(g1, g2, map);
      best = Math.min(best, c.nodeCost + c.edgeCost);
      return;
    }
    map[i] = -1;
    rec(i + 1);
    for (let j = 1; j < n2; j++) {
      if (used[j] || (g1.kinds[i] === 'func') !== (g2.kinds[j] === 'func')) continue;
      used[j] = 1;
      map[i] = j;
      rec(i + 1);
      used[j] = 0;
    }
    map[i] = -1;
  };
  rec(1);
  return best;
}

const snippets = [
  'def f(a):\n    return a + 1\n',
  'def f(a):\n    b = a * 2\n    return b\n',
  'def f(a, b):\n    if a > b:\n        return a\n    return b\n',
  'def f(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n',
  'def f(xs):\n    m = xs[0]\n    for x in xs:\n        m = x\n    return m\n',
  'def f(n):\n    while n > 1:\n        n = n // 2\n    return n\n',
  'def f(a, b):\n    c = a - b\n    d = b - a\n    return c * d\n',
  'def f(a):\n    if a:\n        a = 0\n    else:\n        a = 1\n    return a\n',
];

test('never below the exact constrained GED, and equal to it on most small pairs', () => {
  const gs = snippets.map((s) => buildGraph(s, 'python'));
  let pairs = 0;
  let optimal = 0;
  for (let i = 0; i < gs.length; i++) {
    for (let j = i + 1; j < gs.length; j++) {
      const exact = exactGed(gs[i], gs[j]);
      const approx = gedCompare(gs[i], gs[j]).cost;
      assert.ok(approx >= exact - 1e-9, `pair ${i},${j}: approx ${approx} < exact ${exact}`);
      pairs++;
      if (approx <= exact + 1e-9) optimal++;
    }
  }
  if (process.env.BATCODER_TEST_VERBOSE) console.log(`optimal on ${optimal}/${pairs} pairs`);
  assert.ok(optimal / pairs >= 0.8, `optimal on ${optimal}/${pairs}`);
});

test('cost model by hand: one operator changed', () => {
  // same shape; the return's bag {p0, op:+, lit:1} vs {p0, op:-, lit:1}: weighted
  // Jaccard 2/4, substitution 2 * (1 - 1/2) = 1, everything else kept
  const a = buildGraph('def f(a):\n    return a + 1\n', 'python');
  const b = buildGraph('def f(a):\n    return a - 1\n', 'python');
  const r = gedCompare(a, b);
  assert.is(r.cost, 1);
  assert.is(r.total, 3 + 3 + 4 + 4);
  assert.is(r.score, 1 - 1 / 14);
  assert.is(r.nodesMatched, 3);
  assert.is(r.edgesUnmatched, 0);
});

test.run();
