// All 164 HumanEval canonical solutions pass in the sandbox; wrong completions fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, loadHumanEval } from '../../src/data/benchmarks.js';
import { evaluate, referenceCompletions } from '../../src/eval/harness.js';

const have = existsSync(join(datasetsDir(), 'HumanEval.jsonl.gz'));
// Generous timeout: this checks correctness of the harness on a loaded CI machine, not speed.
const TIMEOUT = 15_000;

test('all 164 canonical solutions pass', async () => {
  if (!have) return console.log(`  skipped: ${datasetsDir()}/HumanEval.jsonl.gz not found`);
  const bench = loadHumanEval();
  assert.is(bench.problems.length, 164);
  const rep = await evaluate(bench, referenceCompletions(bench), { parallel: 2, timeoutMs: TIMEOUT });
  const bad = rep.results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.status} ${r.stderrTail.slice(-200)}`);
  assert.equal(bad, []);
  assert.is(rep.passAtK['pass@1'], 1);
});

test('wrong, crashing and non-compiling completions fail with the right status', async () => {
  if (!have) return;
  const bench = loadHumanEval();
  bench.problems = bench.problems.slice(0, 6);
  const c = new Map<string, string[]>();
  for (const p of bench.problems) c.set(p.id, ['    return None\n', '    return (\n', '    raise RuntimeError("boom")\n', p.reference!]);
  const rep = await evaluate(bench, c, { parallel: 2, timeoutMs: TIMEOUT });
  for (const r of rep.results) {
    const want = ['failed', 'compile-error', 'failed', 'passed'][r.sample];
    assert.is(r.status, want, `${r.id}#${r.sample}: ${r.stderrTail.slice(-300)}`);
  }
  // 1 of 4 samples correct on every problem: pass@1 = 0.25, pass@4 = 1
  assert.is(rep.passAtK['pass@1'], 0.25);
});

test.run();
