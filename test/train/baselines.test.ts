// The ablation arms' compute, end to end: --max-updates holds the optimizer updates exactly
// (also inside a step), and the SFT baseline writes its (doc, code) pairs once, from the
// start model, then only trains (no sampling after its first step).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'batcoder-baselines-'));

function train(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, 'train', ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const steps = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.phase === 1 && m.eval === undefined);

test('--max-updates stops phase 1 at exactly that many optimizer updates, inside a step', () => {
  // 2 snippets x K=4 stage-1 docs in minibatches of 2: at least 4 updates a step, budget 3
  const dir = join(tmp, 'budget');
  const r = train(['--quick', '--sft-steps', '2', '--sft-tasks', '40', '--eval-tasks', '0', '--dynamic-sampling', 'none', '--minibatch', '2', '--max-updates', '3', '--steps', '5', '--out', dir]);
  assert.is(r.status, 0, r.out);
  const rows = steps(dir);
  assert.is(rows.length, 1, 'the budget, not --steps, ended phase 1');
  assert.is(rows[0].updates, 3);
  assert.is(rows[0].total_updates, 3);
  assert.ok(rows[0].sampled_tokens > 0 && rows[0].total_sampled_tokens === rows[0].sampled_tokens);
  assert.match(r.out, /phase 1: 1 steps, 3 optimizer updates/);
});

test('the SFT baseline generates its pairs once from the start model, then takes one update per step', () => {
  // from the shipped warm start (a from-scratch micro model writes no usable doc)
  const dir = join(tmp, 'sft');
  const args = ['--sft-baseline', '--sft-baseline-codes', '32', '--minibatch', '4', '--eval-tasks', '0', '--max-updates', '2', '--steps', '9', '--out', dir];
  const r = train(args);
  assert.is(r.status, 0, r.out);
  assert.is(r.out.match(/greedy docs once/g)?.length, 1, r.out);
  const saved = JSON.parse(readFileSync(join(dir, 'sft-pairs.json'), 'utf8'));
  assert.ok(saved.pairs.length >= 1 && saved.tokens > 0);
  const rows = steps(dir);
  assert.equal(rows.map((x) => x.updates), [1, 1]);
  // all sampling happened at the first step: the pairs were not regenerated
  assert.equal(rows.map((x) => x.sampled_tokens), [saved.tokens, 0]);
  assert.equal(rows.map((x) => x.total_sampled_tokens), [saved.tokens, saved.tokens]);
  assert.ok(!existsSync(join(dir, 'rollouts.jsonl')), 'no rollout was sampled');
  // the other arms are exclusive
  const both = train(['--sft-baseline', '--rft-baseline', '--steps', '1', '--out', join(tmp, 'both')]);
  assert.is.not(both.status, 0);
  assert.match(both.out, /choose one ablation arm/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
