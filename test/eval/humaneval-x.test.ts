// HumanEval-X JavaScript: the reference solutions check the JavaScript runner on real
// benchmark programs. CI runs a seeded sample plus the three known-broken references;
// BATCODER_FULL_HUMANEVAL_X=1 runs all 164.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, HUMANEVAL_X_JS_BROKEN, loadHumanEvalXJs } from '../../src/eval/benchmarks.js';
import { evaluate, referenceCompletions } from '../../src/eval/harness.js';
import { Rng } from '../../src/data/tasks/rng.js';

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

test.run();
