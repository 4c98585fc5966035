// Policy-gradient sanity: the whole loop (format filter, rewards, dynamic sampling, buffer,
// advantages, padded batches, clipped loss + analytic gradient, AdamW, schedule) raises
// the reward of a toy task to its maximum. Seeded and deterministic; no wall-clock checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { trainToy, toyFormat, TOY_DEFAULTS } from '../../src/rl/toy.js';
import { TabularPolicy, TabularAdamW } from '../../src/rl/toy-policy.js';
import { padBatch, padResponses, unpadResponses } from '../../src/rl/buffer.js';
import { close } from './close.js';

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('toy format filter decisions', () => {
  const c = { codes: 4, proseTokens: 6 }; // codes 0..3, H = 4, prose 5..10
  assert.equal(toyFormat([5, 4], c), { score: 1, doc: [5, 4] });
  assert.equal(toyFormat([5, 7], c), { score: 0.5, doc: [5, 4] });
  assert.equal(toyFormat([5, 2], c), { score: 0, doc: [] }); // leaks a code token
  assert.equal(toyFormat([4, 4], c), { score: 0, doc: [] });
  assert.equal(toyFormat([5], c), { score: 0, doc: [] });
});

test('tabular policy: analytic log-prob gradient matches finite differences', async () => {
  const pol = new TabularPolicy(5);
  // set some non-uniform weights
  pol.probs([1, 2], 0);
  pol.probs([1, 2], 1);
  pol.weights.get('1,2|0')!.set([0.3, -0.2, 0.5, 0, 1]);
  pol.weights.get('1,2|1')!.set([-1, 0.1, 0.2, 0.7, 0]);
  const traj = { stage: 'code2doc' as const, groupId: 0, promptIds: [1, 2], responseIds: [3, 0], oldLogProbs: [-1, -1], mask: [1, 1], reward: 0 };
  const batch = padBatch([traj], { padId: 4 });
  const coef = [0.7, -1.3];
  const f = async () => {
    const p = await pol.forward(batch);
    const lp = unpadResponses(p.logProbs, batch)[0]!;
    return coef[0]! * lp[0]! + coef[1]! * lp[1]!;
  };
  const pass = await pol.forward(batch);
  await pass.backward(padResponses([coef], batch));
  for (const key of ['1,2|0', '1,2|1']) {
    const w = pol.weights.get(key)!;
    for (let v = 0; v < 5; v++) {
      const x = w[v]!;
      w[v] = x + 1e-6;
      const up = await f();
      w[v] = x - 1e-6;
      const dn = await f();
      w[v] = x;
      close(pol.grads.get(key)![v]!, (up - dn) / 2e-6, 1e-6, `${key}[${v}]`);
    }
  }
  await pass.backward(new Float64Array(batch.B * batch.T)).then(
    () => assert.unreachable('second backward must throw'),
    (e: Error) => assert.match(e.message, /backward called twice/),
  );
});

test('AdamW refuses a non-finite gradient and leaves the parameters untouched', async () => {
  const pol = new TabularPolicy(3);
  pol.probs([0], 0);
  pol.grads.set('0|0', new Float64Array([NaN, 0, 0]));
  await new TabularAdamW(pol).step(0.1, 1).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /gradient norm is NaN/),
  );
  assert.equal([...pol.weights.get('0|0')!], [0, 0, 0]);
});

test('bandit: reward rises from chance to its maximum', async () => {
  const r = await trainToy({ task: 'bandit', seed: 1, steps: 120 });
  const h = r.history.map((m) => m.rewardSampled);
  assert.ok(r.initial.reward < 0.2, `initial ${r.initial.reward}`);
  assert.ok(meanOf(h.slice(0, 10)) < 0.3, `first 10 steps ${meanOf(h.slice(0, 10))}`);
  assert.ok(meanOf(h.slice(-10)) > 0.9, `last 10 steps ${meanOf(h.slice(-10))}`);
  assert.is(r.final.reward, 1);
});

test('two-stage back-translation: round trip and format reach their maximum', async () => {
  const r = await trainToy({ seed: 1 });
  assert.is(TOY_DEFAULTS.steps, 250);
  const h = r.history;
  assert.is(r.initial.reward, 0);
  assert.ok(meanOf(h.slice(0, 20).map((m) => m.rewardSampled)) < 0.1);
  const late = meanOf(h.slice(-20).map((m) => m.rewardSampled));
  assert.ok(late > 0.9, `mean R_code2doc over the last 20 steps ${late}`);
  assert.ok(meanOf(h.slice(-20).map((m) => m.formatValid)) > 0.9);
  assert.equal(r.final, { reward: 1, formatExact: 1 });
  // several minibatches x 2 epochs: the ratio leaves 1 and the clip engages at times
  assert.ok(h.some((m) => m.clipFrac > 0));
  assert.ok(h.every((m) => Number.isFinite(m.loss) || m.groupsKept === 0));
});

test('deterministic: the same seed gives the same run; another seed differs', async () => {
  const a = await trainToy({ seed: 7, steps: 25 });
  const b = await trainToy({ seed: 7, steps: 25 });
  const c = await trainToy({ seed: 8, steps: 25 });
  assert.equal(a.history, b.history);
  assert.not.equal(a.history, c.history);
});

test('one epoch, one minibatch: ratio stays 1 (plain REINFORCE, nothing clipped)', async () => {
  const r = await trainToy({ seed: 2, steps: 20, epochs: 1, minibatchSize: 1000 });
  for (const m of r.history) {
    assert.is(m.clipFrac, 0);
    close(m.approxKl, 0, 1e-12);
  }
});

test('--freeze-stage1 ablation: stage 1 receives no gradient', async () => {
  const r = await trainToy({ seed: 1, steps: 30, freezeStage1: true });
  const M1 = TOY_DEFAULTS.codes + 1 + TOY_DEFAULTS.proseTokens;
  let stage1Rows = 0;
  for (const [key, w] of r.policy.weights) {
    if (key.startsWith(`${M1},`)) {
      stage1Rows++;
      assert.ok(w.every((x) => x === 0), key);
    }
  }
  assert.ok(stage1Rows > 0);
  assert.ok(r.history.some((m) => m.tokens > 0)); // stage 2 still trained
});

test.run();
