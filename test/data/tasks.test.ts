// The built-in suite: deterministic, split-disjoint, held-out shapes never leak, documented
// in the fixed format, diverse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDoc } from '../../src/doc/index.js';
import { FAMILIES, generateLowResource, generateTasks, isHeldOutStructure, SPLITS, STYLES } from '../../src/data/tasks/index.js';

test('same seed -> same tasks; other seed -> other tasks', () => {
  const a = generateTasks({ seed: 5, count: 50, split: 'train' });
  const b = generateTasks({ seed: 5, count: 50, split: 'train' });
  const c = generateTasks({ seed: 6, count: 50, split: 'train' });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.not.equal(JSON.stringify(a.map((t) => t.code.python)), JSON.stringify(c.map((t) => t.code.python)));
});

test('splits: instances never shared; held-out shapes appear only in heldout', () => {
  const by: Record<string, ReturnType<typeof generateTasks>> = {};
  for (const s of SPLITS) by[s] = generateTasks({ seed: 1, count: 600, split: s, langs: ['python'] });
  for (const s of SPLITS) assert.ok(by[s].every((t) => t.split === s), s);
  const inst = (t: { shape: string; tests: unknown }) => t.shape + JSON.stringify(t.tests);
  const trainShapes = new Set(by.train.map((t) => t.shape));
  for (const t of by.heldout) {
    assert.ok(isHeldOutStructure(t.structure));
    assert.not.ok(trainShapes.has(t.shape), `held-out shape ${t.shape} in train`);
  }
  for (const s of ['train', 'validation', 'test']) assert.ok(by[s].every((t) => !isHeldOutStructure(t.structure)));
  const trainInst = new Set(by.train.map(inst));
  assert.ok(by.test.every((t) => !trainInst.has(inst(t))));
  // held-out shapes still use the same primitives as train (composition, not vocabulary, is new):
  // every step value (a predicate, map, output...) occurs in training, most in the same role
  const prims = (shape: string) => shape.split('/').slice(1);
  const trainPrims = new Set(by.train.flatMap((t) => prims(t.shape)));
  const heldPrims = by.heldout.flatMap((t) => prims(t.shape));
  assert.ok(heldPrims.filter((p) => trainPrims.has(p)).length / heldPrims.length > 0.9);
  const trainValues = new Set([...trainPrims].flatMap((p) => p.split('=')[1].split(',')));
  for (const p of heldPrims) for (const v of p.split('=')[1].split(',')) assert.ok(trainValues.has(v), `held-out step ${p} never in training`);
  // and held-out structures are never drawn for training
  const trainStructures = new Set(by.train.map((t) => t.structure));
  assert.ok(by.heldout.every((t) => !trainStructures.has(t.structure)));
});

test('every description follows the documentation format and names every parameter', () => {
  for (const t of generateTasks({ seed: 2, count: 400 })) {
    const c = checkDoc(t.description, t.code.python!, 'python');
    assert.is(c.score, 1, `${t.id} ${t.shape}: ${c.reasons.join('; ')}\n${t.description}`);
    const summary = t.description.split('\n')[0];
    assert.not.match(t.description, /\[object|undefined|null|NaN/, t.description);
    // the summary itself refers to every parameter by name
    for (const p of t.params) assert.ok(new RegExp(`\\b${p.name}\\b`).test(summary), `${t.shape}: '${p.name}' not in "${summary}"`);
  }
});

test('tasks are diverse: all families, many shapes, every style, names vary', () => {
  const ts = generateTasks({ seed: 3, count: 3000, langs: ['python'] });
  const fams = new Set(ts.map((t) => t.family));
  assert.is(fams.size, FAMILIES.length);
  const shapes = new Set(ts.map((t) => t.shape));
  assert.ok(shapes.size > 500, `${shapes.size} shapes`);
  const names = new Set(ts.map((t) => t.entryPoint.python));
  assert.ok(names.size > 300, `${names.size} names`);
  for (const t of ts.slice(0, 200)) {
    assert.is(t.variants.python!.length, STYLES);
    assert.not.equal(t.variants.python![0], t.variants.python![1], t.shape);
    // tests distinguish a constant function: not all expected values equal
    assert.ok(new Set(t.tests.map((c) => JSON.stringify(c.expected))).size > 1, t.id);
  }
});

test('prompts contain the doc and the signature in each language', () => {
  const [t] = generateTasks({ seed: 4, count: 1 });
  for (const lang of ['python', 'ruby', 'go', 'javascript'] as const) {
    assert.ok(t.prompt[lang]!.includes(t.signature[lang]!));
    assert.ok(t.prompt[lang]!.includes('Args:') || t.params.length === 0);
    assert.ok(t.prompt[lang]!.includes('Returns:'));
  }
});

test('low-resource configuration: many documented Python tasks, few Ruby, disjoint', () => {
  const { high, low } = generateLowResource({ seed: 9, high: { lang: 'python', count: 300 }, low: { lang: 'ruby', count: 20 } });
  assert.is(high.length, 300);
  assert.is(low.length, 20);
  assert.ok(high.every((t) => t.code.python && !t.code.ruby && t.description));
  assert.ok(low.every((t) => t.code.ruby && !t.code.python));
  const hk = new Set(high.map((t) => t.shape + JSON.stringify(t.tests)));
  assert.ok(low.every((t) => !hk.has(t.shape + JSON.stringify(t.tests))));
});

test('a thousand tasks in all four languages generate quickly enough for CI', () => {
  const ts = generateTasks({ seed: 10, count: 1000 });
  assert.is(ts.length, 1000);
  assert.is(new Set(ts.map((t) => t.id)).size, 1000);
});

test.run();
