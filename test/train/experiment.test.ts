// The experiment runner's plan and statistics, without training: which flags each arm gets
// (the compute BatCoder spent), refused options, and the table over seeds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { armArgs, checkOptions, summarise, type ArmSeedResult, type ExperimentOptions } from '../../src/train/experiment.js';

const opts = (o: Partial<ExperimentOptions> = {}): ExperimentOptions => ({
  arms: ['batcoder', 'sft', 'rft', 'freeze-stage1'], seeds: 3, steps: 10, out: '/tmp/x', parallel: 2, equalCompute: 'updates', trainArgs: ['--eval-tasks', '8'], entry: 'dist/train.js', ...o,
});
const flag = (args: string[], f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);

test('low resource: every arm starts from the shared phase 0', () => {
  const init = ['--low-resource', 'python:5000,ruby:200', '--init', '/tmp/x/phase0'];
  for (const arm of ['batcoder', 'sft']) {
    const a = armArgs(opts({ lowResource: 'python:5000,ruby:200' }), arm, 1, { updates: 5, sampledTokens: 10 }, init);
    assert.is(flag(a, '--init'), '/tmp/x/phase0');
    assert.is(flag(a, '--low-resource'), 'python:5000,ruby:200');
  }
});

test('equal updates: every arm but BatCoder stops at the updates BatCoder took', () => {
  const spent = { updates: 47, sampledTokens: 9000 };
  const bat = armArgs(opts(), 'batcoder', 2, null, []);
  assert.is(flag(bat, '--steps'), '10');
  assert.is(flag(bat, '--seed'), '2');
  assert.is(flag(bat, '--max-updates'), undefined);
  assert.not.ok(bat.includes('--no-start-eval'), 'BatCoder evaluates the start model');
  for (const arm of ['sft', 'rft', 'freeze-stage1']) {
    const a = armArgs(opts(), arm, 2, spent, []);
    assert.is(flag(a, '--max-updates'), '47', arm);
    assert.is(flag(a, '--seed'), '2');
    assert.is(flag(a, '--eval-tasks'), '8');
    assert.ok(Number(flag(a, '--steps')) >= 47, 'enough steps to spend the budget');
    assert.ok(a.includes('--no-start-eval'), `${arm} reuses BatCoder's start evaluation`);
  }
  assert.ok(armArgs(opts(), 'sft', 1, spent, []).includes('--sft-baseline'));
  assert.ok(armArgs(opts(), 'rft', 1, spent, []).includes('--rft-baseline'));
  assert.throws(() => armArgs(opts(), 'sft', 1, null, []), /BatCoder run's compute first/);
});

test('equal tokens: the sampling arms get the tokens, the SFT baseline (samples once) the updates', () => {
  const spent = { updates: 47, sampledTokens: 9000 };
  const o = opts({ equalCompute: 'tokens' });
  assert.is(flag(armArgs(o, 'rft', 1, spent, []), '--max-sampled-tokens'), '9000');
  assert.is(flag(armArgs(o, 'freeze-stage1', 1, spent, []), '--max-sampled-tokens'), '9000');
  assert.is(flag(armArgs(o, 'sft', 1, spent, []), '--max-updates'), '47');
  // none: equal steps
  assert.is(flag(armArgs(opts({ equalCompute: 'none' }), 'rft', 1, null, []), '--steps'), '10');
});

test('options the runner owns or cannot run are refused with the flag named', () => {
  assert.throws(() => checkOptions(opts({ arms: ['sft', 'rft'] })), /must include 'batcoder'/);
  assert.throws(() => checkOptions(opts({ arms: ['batcoder', 'ppo'] })), /unknown arm 'ppo'/);
  assert.throws(() => checkOptions(opts({ trainArgs: ['--seed', '3'] })), /--seed is set by the runner/);
  assert.throws(() => checkOptions(opts({ trainArgs: ['--sft-baseline'] })), /--sft-baseline is set by the runner/);
  assert.throws(() => checkOptions(opts({ lowResource: 'ruby' })), /--low-resource: expected/);
  checkOptions(opts());
  checkOptions(opts({ lowResource: 'python:5000,ruby:200' }));
});

const result = (arm: string, seed: number, formatValid: number, start = 0.2): ArmSeedResult => ({
  arm, seed, steps: 10, updates: 40 + seed, sampledTokens: 1000 * seed,
  final: { python: { formatValid, usableSimilarity: 0.5, passAt1: 0 } },
  start: { python: { formatValid: start } },
});

test('summary: t-intervals over seeds and paired differences, marked where they include zero', () => {
  // BatCoder 0.5/0.6/0.7, sft 0.4/0.5/0.5: differences 0.1/0.1/0.2 = 0.133 +- 4.303 x 0.0333
  const results = [result('batcoder', 1, 0.5), result('batcoder', 2, 0.6), result('batcoder', 3, 0.7), result('sft', 1, 0.4), result('sft', 2, 0.5), result('sft', 3, 0.5)];
  const s = summarise(opts({ arms: ['batcoder', 'sft'] }), results);
  const d = s.diffs.python.formatValid.sft;
  assert.ok(Math.abs(d.mean - 0.13333) < 1e-4 && Math.abs(d.lo - -0.01011) < 1e-3 && Math.abs(d.hi - 0.27678) < 1e-3, JSON.stringify(d));
  const b = s.perArm.python.formatValid.batcoder;
  assert.ok(Math.abs(b.mean - 0.6) < 1e-9 && Math.abs(b.hi - (0.6 + 4.303 * 0.1 / Math.sqrt(3))) < 1e-3);
  const row = s.markdown.split('\n').find((l) => l.startsWith('| doc format valid'))!;
  assert.match(row, /\| 20\.0% \[20\.0%, 20\.0%\] n=3 \| 60\.0% \[/); // the start model, then BatCoder
  assert.match(row, /\+13\.3% \[-1\.0%, 27\.7%\] n=3 \(includes 0\) \|$/);
  // equal compute: the updates row shows both arms' totals
  assert.match(s.markdown, /\| optimizer updates \| - \| 42 \[/);
  assert.match(s.markdown, /Held equal: optimizer updates/);
  // a difference that excludes zero is not marked
  const s2 = summarise(opts({ arms: ['batcoder', 'sft'] }), [...results.slice(0, 3), result('sft', 1, 0.4), result('sft', 2, 0.5), result('sft', 3, 0.6)]);
  assert.match(s2.markdown.split('\n').find((l) => l.startsWith('| doc format valid'))!, /\+10\.0% \[10\.0%, 10\.0%\] n=3 \|$/);
});

test.run();
