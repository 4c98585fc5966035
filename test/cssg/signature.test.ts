// The matcher decides identical pairs and its canonical argument order by how two graph
// signatures compare (graph.ts compareSignatures), without building whole signatures:
// that comparison must agree with comparing the signature strings themselves, also where
// one node's part of a signature is a prefix of the other's and where node counts differ.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraph } from '../../src/cssg/build.js';
import { signature, compareSignatures, type Graph, type Kind } from '../../src/cssg/graph.js';
import { LANGS } from '../../src/lang/parser.js';
import { genProgram, print, variant } from './gen.js';

const sign = (x: number) => (x < 0 ? -1 : x > 0 ? 1 : 0);
const byText = (a: Graph, b: Graph) => sign(signature(a) < signature(b) ? -1 : signature(a) > signature(b) ? 1 : 0);

function graph(nodes: [Kind, [string, number][]][], edges: number[] = []): Graph {
  return { kinds: nodes.map((n) => n[0]), bags: nodes.map((n) => new Map(n[1])), edges, funcs: [], empty: false, capped: false, errorFrac: 0 };
}

test('compareSignatures orders generated graphs as their signature strings do', () => {
  const gs: Graph[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    for (const lang of LANGS) {
      const p = genProgram(seed, 3 + (seed % 5));
      gs.push(buildGraph(print(p, lang), lang));
      // a renamed variant has the same graph: signatures equal
      gs.push(buildGraph(print(p, lang, variant(seed, 'rename', p)), lang));
      gs.push(buildGraph(print(p, lang).slice(0, 120), lang));
    }
  }
  let equal = 0;
  for (const a of gs) {
    for (const b of gs) {
      // fresh copies: nothing remembered from an earlier comparison
      const c = compareSignatures(structuredClone(a), structuredClone(b));
      assert.is(sign(c), byText(a, b));
      if (c === 0) equal++;
    }
  }
  assert.ok(equal > gs.length, `${equal} equal pairs`);
});

test('compareSignatures: a part that is a prefix of the other, node counts, edges', () => {
  // 'assign{x=1}' is a prefix of 'assign{x=1}y=2}': the rest of the signatures decides
  const a = graph([['root', []], ['assign', [['x', 1]]]]);
  const b = graph([['root', []], ['assign', [['x=1}y', 2]]]]);
  const c = graph([['root', []], ['assign', [['x', 1]]], ['return', []]]);
  const d = graph([['root', []], ['assign', [['x', 1]]], ['return', []]], [0, 1, 0, 1, 2, 1]);
  const e = graph([['root', []], ['assign', [['x', 1]]], ['return', []]], [0, 1, 0, 1, 2, 0]);
  const all = [a, b, c, d, e];
  for (const x of all) for (const y of all) assert.is(sign(compareSignatures(structuredClone(x), structuredClone(y))), byText(x, y), `${signature(x)} vs ${signature(y)}`);
  assert.is(compareSignatures(d, structuredClone(d)), 0);
  assert.ok(compareSignatures(a, b) !== 0 && compareSignatures(d, e) !== 0);
});

test('compareSignatures: graphs the same as built are 0 at once; equal up to bag and edge order, or one count or key apart', () => {
  const base = graph([['root', []], ['assign', [['x', 1], ['y', 2]]], ['return', [['v', 1]]]], [0, 1, 0, 1, 2, 1]);
  const reordered = graph([['root', []], ['assign', [['y', 2], ['x', 1]]], ['return', [['v', 1]]]], [1, 2, 1, 0, 1, 0]);
  const count = graph([['root', []], ['assign', [['x', 1], ['y', 3]]], ['return', [['v', 1]]]], [0, 1, 0, 1, 2, 1]);
  const key = graph([['root', []], ['assign', [['x', 1], ['z', 2]]], ['return', [['v', 1]]]], [0, 1, 0, 1, 2, 1]);
  const kind = graph([['root', []], ['aug', [['x', 1], ['y', 2]]], ['return', [['v', 1]]]], [0, 1, 0, 1, 2, 1]);
  assert.is(compareSignatures(base, structuredClone(base)), 0);
  // bag order and edge order are not part of the signature
  assert.is(byText(base, reordered), 0);
  assert.is(compareSignatures(base, reordered), 0);
  for (const x of [count, key, kind]) {
    assert.ok(byText(base, x) !== 0);
    assert.is(sign(compareSignatures(structuredClone(base), structuredClone(x))), byText(base, x));
    assert.is(sign(compareSignatures(structuredClone(x), structuredClone(base))), byText(x, base));
  }
});

test.run();
