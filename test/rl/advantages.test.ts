import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeAdvantages, shapeRewards, klEstimate } from '../../src/rl/advantages.js';
import { close, closeAll } from './close.js';

test('reward sits on the last action token and gamma = 1 spreads it to every token', () => {
  const r = computeAdvantages(
    [
      { reward: 1, groupId: 0, mask: [1, 1, 1] },
      { reward: 0.5, groupId: 0, mask: [1, 1, 0, 0] }, // right padding
    ],
    { normalizeBy: 'none' },
  );
  assert.equal(r.returns, [[1, 1, 1], [0.5, 0.5, 0, 0]]);
  assert.equal(r.advantages, r.returns);
});

test('gamma < 1 discounts from the last action token backwards', () => {
  const r = computeAdvantages([{ reward: 1, groupId: 0, mask: [1, 1, 1, 0] }], { gamma: 0.5, normalizeBy: 'none' });
  closeAll(r.returns[0]!, [0.25, 0.5, 1, 0]);
});

test('global normalisation over all action tokens (longer responses weigh more)', () => {
  // tokens: 1,1,1 | 0,0  -> mean 0.6, population var 0.24
  const r = computeAdvantages(
    [
      { reward: 1, groupId: 'a', mask: [1, 1, 1] },
      { reward: 0, groupId: 'b', mask: [1, 1, 0] },
    ],
    { normalizeBy: 'global' },
  );
  const s = Math.sqrt(0.24);
  closeAll(r.advantages[0]!, [0.4 / s, 0.4 / s, 0.4 / s]);
  closeAll(r.advantages[1]!, [-0.6 / s, -0.6 / s, 0]);
  close(r.norm['']!.mean, 0.6);
  close(r.norm['']!.std, s);
  assert.is(r.norm['']!.tokens, 5);
  // normalised advantages have mean 0 and variance 1 over action tokens
  const flat = [...r.advantages[0]!, r.advantages[1]![0]!, r.advantages[1]![1]!];
  close(flat.reduce((a, b) => a + b) / 5, 0, 1e-12);
  close(flat.reduce((a, b) => a + b * b, 0) / 5, 1, 1e-12);
});

test('normalisation is global by default (OpenRLHF), per stage on request', () => {
  const items = [
    { reward: 1, groupId: 0, mask: [1], stage: 'code2doc' },
    { reward: 0, groupId: 0, mask: [1], stage: 'code2doc' },
    { reward: 5, groupId: 1, mask: [1], stage: 'doc2code' },
    { reward: 3, groupId: 1, mask: [1], stage: 'doc2code' },
  ];
  const r = computeAdvantages(items, { normalizeBy: 'per-stage' });
  assert.equal(r.advantages.map((a) => a[0]), [1, -1, 1, -1]);
  close(r.norm['code2doc']!.mean, 0.5);
  close(r.norm['doc2code']!.mean, 4);
  // together (the default): mean 2.25, std sqrt(3.6875)
  const all = computeAdvantages(items);
  const s = Math.sqrt(3.6875);
  closeAll(all.advantages.map((a) => a[0]!), [1, 0, 5, 3].map((x) => (x - 2.25) / s));
  assert.equal(Object.keys(all.norm), ['']);
});

test('variance floor: equal returns give zero advantages, not NaN', () => {
  const r = computeAdvantages([
    { reward: 0.7, groupId: 0, mask: [1, 1] },
    { reward: 0.7, groupId: 0, mask: [1] },
  ]);
  // (rounding of the mean, amplified by 1 / 1e-4, leaves ~1e-12)
  closeAll(r.advantages[0]!, [0, 0], 1e-9);
  closeAll(r.advantages[1]!, [0], 1e-9);
  close(r.norm['']!.std, 1e-4);
});

test('group baselines: mean, leave-one-out, GRPO (hand-computed)', () => {
  const rewards = [1, 0, 0.5, 0.5, 3, 0, 0];
  const groups = ['a', 'a', 'b', 'b', 'c', 'c', 'c'];
  closeAll(shapeRewards(rewards, groups, 'none'), rewards);
  closeAll(shapeRewards(rewards, groups, 'group-mean'), [0.5, -0.5, 0, 0, 2, -1, -1]);
  closeAll(shapeRewards(rewards, groups, 'leave-one-out'), [1, -1, 0, 0, 3, -1.5, -1.5]);
  const s3 = Math.sqrt(3); // unbiased std of [3,0,0]
  const g = shapeRewards(rewards, groups, 'grpo');
  closeAll(g.slice(4), [2 / (s3 + 1e-9), -1 / (s3 + 1e-9), -1 / (s3 + 1e-9)]);
  closeAll(g.slice(0, 2), [0.5 / (Math.SQRT1_2 + 1e-9), -0.5 / (Math.SQRT1_2 + 1e-9)]);
  closeAll(g.slice(2, 4), [0, 0]);
  // groups need not be contiguous
  closeAll(shapeRewards([1, 5, 0, 3], ['x', 'y', 'x', 'y'], 'group-mean'), [0.5, 1, -0.5, -1]);
  // a group of one carries no comparison
  assert.equal(shapeRewards([0.9], ['solo'], 'group-mean'), [0]);
  assert.equal(shapeRewards([0.9], ['solo'], 'grpo'), [0]);
});

test('group-mean baseline flows into the token advantages before normalisation', () => {
  const r = computeAdvantages(
    [
      { reward: 1, groupId: 'g', mask: [1, 1] },
      { reward: 0, groupId: 'g', mask: [1, 1] },
    ],
    { baseline: 'group-mean', normalizeBy: 'none' },
  );
  assert.equal(r.returns, [[0.5, 0.5], [-0.5, -0.5]]);
  assert.equal(r.shapedRewards, [0.5, -0.5]);
});

test('KL penalty k1/k2/k3 shapes per-token rewards (hand-computed)', () => {
  const item = { reward: 1, groupId: 0, mask: [1, 1], logProbs: [-1, -2], refLogProbs: [-1.5, -1] };
  // d = [0.5, -1]
  const k1 = computeAdvantages([item], { beta: 0.1, kl: 'k1', normalizeBy: 'none' });
  closeAll(k1.returns[0]!, [-0.05 + 1.1, 1.1]);
  close(k1.kl[0]!, -0.25);
  const k2 = computeAdvantages([item], { beta: 0.1, kl: 'k2', normalizeBy: 'none' });
  closeAll(k2.returns[0]!, [1 - 0.05 - 0.0125, 1 - 0.05]);
  const k3a = Math.exp(-0.5) - 1 + 0.5;
  const k3b = Math.exp(1) - 1 - 1;
  const k3 = computeAdvantages([item], { beta: 0.1, kl: 'k3', normalizeBy: 'none' });
  closeAll(k3.returns[0]!, [1 - 0.1 * k3b - 0.1 * k3a, 1 - 0.1 * k3b]);
  close(klEstimate(100, 'k1'), 10);
  close(klEstimate(0, 'k3'), 0);
  assert.throws(() => computeAdvantages([{ reward: 1, groupId: 0, mask: [1] }], { beta: 0.1 }), /needs logProbs and refLogProbs/);
});

test('beta = 0 ignores the reference entirely', () => {
  const r = computeAdvantages([{ reward: 2, groupId: 0, mask: [1, 1] }], { normalizeBy: 'none' });
  assert.equal(r.returns, [[2, 2]]);
  assert.equal(r.kl, [0]);
});

test('hostile input: NaN rewards and length mismatches are named', () => {
  assert.throws(() => computeAdvantages([{ reward: NaN, groupId: 0, mask: [1] }]), /reward 0 is NaN/);
  assert.throws(
    () => computeAdvantages([{ reward: 1, groupId: 0, mask: [1, 1], logProbs: [0], refLogProbs: [0, 0] }], { beta: 1 }),
    /item 0 has mask length 2, logProbs 1/,
  );
  // an all-masked response gets zeros and does not disturb the statistics
  const r = computeAdvantages([
    { reward: 1, groupId: 0, mask: [0, 0] },
    { reward: 1, groupId: 1, mask: [1] },
    { reward: 0, groupId: 1, mask: [1] },
  ]);
  assert.equal(r.advantages[0], [0, 0]);
  assert.is(r.norm['']!.tokens, 2);
});

test.run();
