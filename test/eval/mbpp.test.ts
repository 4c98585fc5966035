// MBPP test split references pass, including task 367 (its setup code needs the
// completion's Node class, so the harness runs setup after the completion).
// CI runs a seeded sample of 60 problems; BATCODER_FULL_MBPP=1 runs all 500.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, loadMbpp } from '../../src/data/benchmarks.js';
import { evaluate, referenceCompletions } from '../../src/eval/harness.js';
import { Rng } from '../../src/util/rng.js';

const have = existsSync(join(datasetsDir(), 'mbpp_test.jsonl')) && existsSync(join(datasetsDir(), 'mbpp.jsonl'));

test('MBPP test split: 500 problems, reference solutions pass (sampled unless BATCODER_FULL_MBPP=1)', async () => {
  if (!have) return console.log(`  skipped: MBPP files not found in ${datasetsDir()}`);
  const bench = loadMbpp('test');
  assert.is(bench.problems.length, 500);
  if (!process.env.BATCODER_FULL_MBPP) {
    const rng = new Rng(367);
    const keep = new Set(['367', ...rng.shuffle(bench.problems.map((p) => p.id)).slice(0, 59)]);
    bench.problems = bench.problems.filter((p) => keep.has(p.id));
  }
  const rep = await evaluate(bench, referenceCompletions(bench), { parallel: 2, timeoutMs: 20_000 });
  const bad = rep.results.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.status} ${r.stderrTail.slice(-200)}`);
  assert.equal(bad, []);
  console.log(`  ${rep.samples} MBPP references passed in ${rep.seconds.toFixed(1)} s`);
});

test('task 367 passes; the same program with setup first would not', async () => {
  if (!have) return;
  const bench = loadMbpp('test');
  const p = bench.problems.find((x) => x.id === '367')!;
  const prog = p.assemble(p.reference!);
  assert.ok(prog.indexOf('class Node') < prog.indexOf('root = Node(1)'));
  const rep = await evaluate({ ...bench, problems: [p] }, new Map([['367', [p.reference!, 'def is_tree_balanced(root):\n    return True\n']]]), { timeoutMs: 20_000 });
  assert.equal(rep.results.map((r) => r.status), ['passed', 'failed']);
});

test('sanitized MBPP has 427 problems with imports; full MBPP 974', () => {
  if (!have || !existsSync(join(datasetsDir(), 'sanitized-mbpp.json'))) return;
  assert.is(loadMbpp('sanitized').problems.length, 427);
  assert.is(loadMbpp('full').problems.length, 974);
  const p = loadMbpp('test').problems[0];
  assert.ok(p.entryPoint.length > 0);
  assert.ok(p.prompt.startsWith('"""\n'));
});

test.run();
