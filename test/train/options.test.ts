// The trainer's advantages follow --adv-norm: global (the default, OpenRLHF's REINFORCE++)
// normalises both stages together, per-stage each stage alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { advantageOptions } from '../../src/train/trainer.js';
import { DEFAULTS } from '../../src/train/config.js';
import { ReplayBuffer, type Trajectory } from '../../src/rl/buffer.js';

const traj = (stage: Trajectory['stage'], groupId: number, reward: number): Trajectory => ({ stage, groupId, promptIds: [1], responseIds: [2, 3], oldLogProbs: [-1, -1], mask: [1, 1], reward });

function advantagesWith(advNorm: 'global' | 'per-stage'): number[] {
  const b = new ReplayBuffer();
  // stage 1 rewards are small (S * R_doc), stage 2 rewards large (S): the modes disagree
  b.addAll([traj('code2doc', 0, 0.1), traj('code2doc', 0, 0.3), traj('doc2code', 0, 0.9), traj('doc2code', 0, 0.7)]);
  b.computeAdvantages(advantageOptions({ ...DEFAULTS, advNorm }));
  return b.all().map((t) => t.advantages![0]!);
}

test('--adv-norm global is the default and normalises over the whole batch', () => {
  assert.is(DEFAULTS.advNorm, 'global');
  assert.is(advantageOptions(DEFAULTS).normalizeBy, 'global');
  const a = advantagesWith('global');
  // stage 1 below the batch mean, stage 2 above it
  assert.ok(a[0]! < 0 && a[1]! < 0 && a[2]! > 0 && a[3]! > 0, a.join());
  assert.ok(Math.abs(a.reduce((x, y) => x + y, 0)) < 1e-9);
});

test('--adv-norm per-stage normalises each stage alone', () => {
  assert.is(advantageOptions({ ...DEFAULTS, advNorm: 'per-stage' }).normalizeBy, 'per-stage');
  const a = advantagesWith('per-stage');
  // each stage has mean 0: the better doc of stage 1 gets a positive advantage
  assert.ok(a[0]! < 0 && a[1]! > 0 && a[2]! > 0 && a[3]! < 0, a.join());
  assert.ok(Math.abs(a[0]! + a[1]!) < 1e-9 && Math.abs(a[2]! + a[3]!) < 1e-9);
});

test.run();
