import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplayBuffer, padBatch, unpadResponses, padResponses, type Trajectory } from '../../src/rl/buffer.js';
import { Rng } from '../../src/util/rng.js';
import { closeAll } from './close.js';

function traj(stage: Trajectory['stage'], groupId: number, prompt: number[], resp: number[], reward: number): Trajectory {
  return { stage, groupId, promptIds: prompt, responseIds: resp, oldLogProbs: resp.map((_, j) => -0.5 - j), mask: resp.map(() => 1), reward };
}

test('padBatch: right padding, shifted targets, response arrays at predicting positions', () => {
  const a = traj('code2doc', 0, [5, 6], [7, 8, 9], 1);
  const b = { ...traj('doc2code', 0, [4], [3], 0), advantages: [2.5] };
  a.mask = [1, 1, 0];
  const p = padBatch([a, b], { padId: 0, padMultiple: 4 });
  assert.is(p.B, 2);
  assert.is(p.T, 8); // max length 5 rounded up to 8
  assert.equal([...p.tokens], [5, 6, 7, 8, 9, 0, 0, 0, 4, 3, 0, 0, 0, 0, 0, 0]);
  assert.equal([...p.targets], [6, 7, 8, 9, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal([...p.attentionMask], [1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  // a: responses at columns 1..3 (predicted from positions P-1+j); b: column 0
  assert.equal([...p.actionMask], [0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  closeAll(p.oldLogProbs, [0, -0.5, -1.5, -2.5, 0, 0, 0, 0, -0.5, 0, 0, 0, 0, 0, 0, 0]);
  closeAll(p.advantages, [0, 0, 0, 0, 0, 0, 0, 0, 2.5, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(p.stages, ['code2doc', 'doc2code']);
  // the response token at column c is exactly targets[c]
  assert.equal(unpadResponses(p.targets, p), [[7, 8, 9], [3]]);
  const back = padResponses([[1, 2, 3], [4]], p);
  assert.equal(unpadResponses(back, p), [[1, 2, 3], [4]]);
});

test('padBatch refuses bad rows by name', () => {
  assert.throws(() => padBatch([traj('code2doc', 0, [], [1], 0)], { padId: 0 }), /row 0: empty prompt/);
  assert.throws(() => padBatch([traj('code2doc', 0, [1, 2], [1, 2, 3], 0)], { padId: 0, maxLen: 4 }), /row 0 has 5 tokens .* over maxLen 4/);
  const bad = traj('code2doc', 0, [1], [1, 2], 0);
  bad.oldLogProbs = [-1];
  assert.throws(() => padBatch([bad], { padId: 0 }), /oldLogProbs has length 1, responseIds 2/);
  const pos = traj('code2doc', 0, [1], [1], 0);
  pos.oldLogProbs = [0.3];
  assert.throws(() => new ReplayBuffer().add(pos), /trajectory 0: oldLogProbs\[0\] = 0.3/);
  assert.throws(() => padBatch([], { padId: 0 }), /empty minibatch/);
});

test('buffer advantages (per-stage normalisation here) keep groups within their stage', () => {
  const buf = new ReplayBuffer();
  buf.addAll([
    traj('code2doc', 1, [1], [2], 1),
    traj('code2doc', 1, [1], [3], 0),
    traj('doc2code', 1, [4], [5], 0.5),
    traj('doc2code', 1, [4], [6], 0.5),
  ]);
  const r = buf.computeAdvantages({ baseline: 'group-mean', normalizeBy: 'per-stage' });
  // code2doc: shaped [0.5, -0.5] -> normalised [1, -1]; doc2code: shaped [0, 0] -> [0, 0]
  assert.equal(buf.all().map((t) => t.advantages), [[1], [-1], [0], [0]]);
  assert.ok(r.norm['code2doc'] && r.norm['doc2code']);
  const s = buf.summary();
  assert.is(s.code2doc.count, 2);
  assert.is(s.doc2code.meanReward, 0.5);
});

test('minibatches: seeded shuffle, every trajectory exactly once, deterministic', () => {
  const buf = new ReplayBuffer();
  for (let i = 0; i < 10; i++) buf.add(traj('code2doc', i, [1], [i], i));
  const ids = (mbs: Trajectory[][]) => mbs.map((mb) => mb.map((t) => t.reward));
  const m1 = ids(buf.minibatches(4, new Rng(3)));
  const m2 = ids(buf.minibatches(4, new Rng(3)));
  const m3 = ids(buf.minibatches(4, new Rng(4)));
  assert.equal(m1, m2);
  assert.not.equal(m1, m3);
  assert.equal(m1.map((m) => m.length), [4, 4, 2]);
  assert.equal(m1.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(buf.minibatches(4, new Rng(3), { dropLast: true }).length, 2);
  buf.clear();
  assert.is(buf.size, 0);
});

test.run();
