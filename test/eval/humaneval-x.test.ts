// HumanEval-X JavaScript: the reference solutions check the JavaScript runner on real
// benchmark programs. CI runs a seeded sample plus the three known-broken references;
// BATCODER_FULL_HUMANEVAL_X=1 runs all 164.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, HUMANEVAL_X_JS_BROKEN, loadHumanEvalXGo, loadHumanEvalXJs } from '../../src/data/benchmarks.js';
import { unavailable } from '../../src/eval/languages.js';
import { fixGoImports } from '../../src/data/goimports.js';
import { evaluate, referenceCompletions } from '../../src/eval/harness.js';
import { Rng } from '../../src/util/rng.js';

test('humaneval-x-js references pass except the three broken upstream; wrong ones fail', async () => {
  if (!existsSync(join(datasetsDir(), 'humaneval-x_js.jsonl.gz'))) return console.log('  skipped: humaneval-x_js.jsonl.gz not found');
  const bench = loadHumanEvalXJs();
  assert.is(bench.problems.length, 164);
  if (!process.env.BATCODER_FULL_HUMANEVAL_X) {
    const keep = new Set([...HUMANEVAL_X_JS_BROKEN, ...new Rng(164).shuffle(bench.problems.map((p) => p.id)).slice(0, 30)]);
    bench.problems = bench.problems.filter((p) => keep.has(p.id));
  }
  const refs = referenceCompletions(bench);
  for (const p of bench.problems.slice(0, 5)) refs.get(p.id)!.push('  return undefined;\n}\n');
  const rep = await evaluate(bench, refs, { parallel: 2, timeoutMs: 20_000 });
  const bad = rep.results.filter((r) => (r.status === 'passed') !== (r.sample === 0 && !HUMANEVAL_X_JS_BROKEN.includes(r.id)));
  assert.equal(bad.map((r) => `${r.id}#${r.sample}: ${r.status} ${r.stderrTail.slice(-200)}`), []);
});

test('humaneval-x-go references pass (testify stand-in, merged imports); wrong ones fail', async () => {
  if (!existsSync(join(datasetsDir(), 'humaneval-x_go.jsonl.gz'))) return console.log('  skipped: humaneval-x_go.jsonl.gz not found');
  const bench = loadHumanEvalXGo();
  assert.is(bench.problems.length, 164);
  const why = unavailable('go');
  if (why) return console.log(`  ${why}`);
  if (!process.env.BATCODER_FULL_HUMANEVAL_X) {
    // the problems whose parts import inconsistently, plus a few others
    const keep = new Set(['Go/0', 'Go/20', 'Go/32', 'Go/38', 'Go/162']);
    bench.problems = bench.problems.filter((p) => keep.has(p.id));
  }
  const refs = referenceCompletions(bench);
  refs.get('Go/0')!.push('    return false\n}\n', '    return false +\n}\n');
  const rep = await evaluate(bench, refs, { parallel: 2, timeoutMs: 60_000 });
  const want = (r: { id: string; sample: number }) => (r.sample === 0 ? 'passed' : r.sample === 1 ? 'failed' : 'compile-error');
  assert.equal(rep.results.filter((r) => r.status !== want(r)).map((r) => `${r.id}#${r.sample}: ${r.status} ${r.stderrTail.slice(-300)}`), []);
});

test('fixGoImports merges, drops unused and adds missing standard packages', () => {
  const src = 'package main\n\nimport (\n    "testing"\n    "math"\n)\nimport "math"\nimport (\n  "strings" // unused\n)\n\nfunc F(x float64) int { s := "sort.Ints"; _ = s; return int(math.Sqrt(x)) + len(strconv.Itoa(1)) }\nfunc TestF(t *testing.T) {}\n';
  const out = fixGoImports(src);
  assert.match(out, /import \(\n\t"testing"\n\t"math"\n\t"strconv"\n\)/);
  assert.not.match(out, /"strings"|"sort"/);
  assert.is(out.match(/import/g)!.length, 1);
});

test.run();
