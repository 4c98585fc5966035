// End to end: `train --quick` runs phase 0, phase 1 and evaluation; a run interrupted
// and resumed reproduces the uninterrupted run's metrics exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, renameSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { repoRoot } from '../../src/util/paths.js';

const cli = join(repoRoot(), 'dist', 'cli.js');
const small = ['--quick', '--sft-steps', '4', '--sft-tasks', '60', '--eval-tasks', '2', '--eval-every', '0', '--checkpoint-every', '1'];

function train(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, 'train', ...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

function metrics(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

const tmp = mkdtempSync(join(tmpdir(), 'batcoder-train-'));

test('train --quick runs end to end and writes config, metrics, checkpoint and evaluations', () => {
  const dir = join(tmp, 'full');
  const r = train([...small, '--steps', '2', '--out', dir]);
  assert.is(r.status, 0, r.out);
  for (const f of ['config.json', 'metrics.jsonl', 'checkpoint/model.safetensors', 'checkpoint/optimizer.safetensors', 'checkpoint/training_state.json', 'checkpoint/tokenizer.json', 'eval-phase0.json', 'eval-final.json']) {
    assert.ok(existsSync(join(dir, f)), `${f} missing\n${r.out}`);
  }
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.is(cfg.steps, 2);
  assert.is(cfg.k, 4);
  const phase1 = metrics(dir).filter((m) => m.phase === 1 && m.eval === undefined);
  assert.is(phase1.length, 2);
  for (const row of phase1) {
    // the step's time split: sampling + rewards + update never exceed the step
    const parts = ['sample_seconds', 'reward_seconds', 'update_seconds'].map((k) => row[k] as number);
    assert.ok(parts.every((x) => typeof x === 'number' && x >= 0), JSON.stringify(row));
    assert.ok(parts.reduce((a, b) => a + b, 0) <= (row.step_seconds as number) + 1e-6, JSON.stringify(row));
    // the policy's rewards over every sampled group, of which the kept batch is a part
    assert.ok((row.sampled_groups as number) >= (row.groups as number), JSON.stringify(row));
    for (const k of ['sampled_reward_code2doc', 'sampled_format_valid']) assert.is(typeof row[k], 'number', k);
  }
  // the schedule counts the updates really taken: the run's last update is at the floor
  const last = phase1[phase1.length - 1];
  if (typeof last.loss === 'number') assert.ok(Math.abs((last.lr_last as number) - cfg.lr * cfg.minLrFrac) < 1e-12, `lr_last ${last.lr_last}`);
  assert.match(r.out, /phase 0: /);
  assert.match(r.out, /phase 1: BatCoder/);
  // what the policy wrote: 2 groups per step by default
  const rolls = readFileSync(join(dir, 'rollouts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rolls.map((g) => g.step), [1, 1, 2, 2]);
  for (const g of rolls) {
    assert.is(g.docs.length, cfg.k);
    assert.ok(typeof g.code === 'string' && g.code.length > 0);
    for (const d of g.docs) assert.ok([0, 0.5, 1].includes(d.rDoc), JSON.stringify(d));
  }
});

test('an interrupted run resumed with --resume matches the uninterrupted one', () => {
  const dir = join(tmp, 'resumed');
  const a = train([...small, '--steps', '1', '--out', dir]);
  assert.is(a.status, 0, a.out);
  const b = train([...small, '--steps', '2', '--resume', dir]);
  assert.is(b.status, 0, b.out);
  assert.match(b.out, /resumed .* at phase 1, step 1/);
  const full = metrics(join(tmp, 'full')).filter((m) => m.phase === 1 && m.eval === undefined);
  const res = metrics(dir).filter((m) => m.phase === 1 && m.eval === undefined);
  assert.is(res.length, 2);
  for (const key of ['reward_doc2code', 'reward_code2doc', 'format_valid', 'loss', 'groups']) {
    assert.equal(res[1][key], full[1][key], `${key} at step 2`);
  }
  // the resumed run wrote the same docs and reconstructions (and kept none of the redone step twice)
  const rolls = (d: string) => readFileSync(join(d, 'rollouts.jsonl'), 'utf8').trim().split('\n');
  assert.equal(rolls(dir), rolls(join(tmp, 'full')));
});

test('a changed locked hyperparameter refuses to resume', () => {
  const r = train([...small, '--steps', '3', '--k', '2', '--resume', join(tmp, 'resumed')]);
  assert.is.not(r.status, 0);
  assert.match(r.out, /'k' was 4 .* now 2/);
});

test('resume falls back to the last complete checkpoint and removes unfinished saves', () => {
  const dir = join(tmp, 'resumed');
  renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.old-1-abcd')); // killed between the two renames
  mkdirSync(join(dir, 'checkpoint.tmp-2-dead')); // killed while writing
  const r = train([...small, '--steps', '2', '--resume', dir]);
  assert.is(r.status, 0, r.out);
  assert.match(r.out, /removed .*checkpoint\.tmp-2-dead, an unfinished checkpoint save/);
  assert.match(r.out, /falling back to the last complete checkpoint, .*checkpoint\.old-1-abcd/);
  assert.match(r.out, /resumed .* at phase 1, step 2/);
  assert.not.ok(existsSync(join(dir, 'checkpoint.tmp-2-dead')));
});

test('--kl-coef > 0 runs against the saved start model', () => {
  const dir = join(tmp, 'kl');
  const r = train([...small, '--steps', '1', '--kl-coef', '0.1', '--out', dir]);
  assert.is(r.status, 0, r.out);
  assert.ok(existsSync(join(dir, 'reference', 'model.safetensors')));
});

test('a diverging phase 0 (--sft-lr 1e30) stops with a clear message and saves no checkpoint', () => {
  const dir = join(tmp, 'diverged');
  const r = train(['--quick', '--sft-steps', '20', '--sft-tasks', '60', '--sft-lr', '1e30', '--eval-tasks', '0', '--checkpoint-every', '1', '--out', dir]);
  assert.is.not(r.status, 0, r.out);
  assert.match(r.out, /phase 0 step \d+: (the loss exploded|3 consecutive updates skipped)/);
  assert.not.ok(existsSync(join(dir, 'checkpoint')), r.out);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
