import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleRewards, needsReconstruction, roundRewards, similarities, tokensReward, lexTokens, type RewardFn } from '../../src/rl/rewards.js';
import { close, closeAll } from './close.js';

test('R_code2doc = S * R_doc, R_doc2code = S; R_doc = 0 gets 0 and no reconstruction', () => {
  const r = assembleRewards([1, 0.5, 0, 1], [0.8, 0.6, null, 0]);
  closeAll(r.code2doc, [0.8, 0.3, 0, 0]);
  assert.equal(r.doc2code, [0.8, 0.6, null, 0]);
  assert.equal(r.similarity, [0.8, 0.6, null, 0]);
  assert.equal(needsReconstruction([1, 0.5, 0, 1]), [0, 1, 3]);
});

test('assembly refuses inconsistent inputs', () => {
  assert.throws(() => assembleRewards([0], [0.5]), /item 0 has R_doc = 0 but a similarity 0.5/);
  assert.throws(() => assembleRewards([1], [null]), /item 0 has R_doc = 1 but similarity null/);
  assert.throws(() => assembleRewards([0.7], [0.5]), /must be 0, 0.5 or 1, got 0.7/);
  assert.throws(() => assembleRewards([1], [1.5]), /expected a number in \[0, 1\]/);
  assert.throws(() => assembleRewards([1, 1], [1]), /2 R_doc values but 1 similarities/);
});

test('roundRewards calls the reward function once, only on usable docs', async () => {
  const calls: string[][] = [];
  const fn: RewardFn = async (o, rec) => {
    calls.push(rec);
    return rec.map((x) => (x === o[0] ? 1 : 0.25));
  };
  const r = await roundRewards(
    [
      { original: 'def f(): pass', lang: 'python', rDoc: 1, reconstruction: 'def f(): pass' },
      { original: 'def f(): pass', lang: 'python', rDoc: 0, reconstruction: 'never looked at' },
      { original: 'def f(): pass', lang: 'python', rDoc: 0.5, reconstruction: 'def g(): pass' },
    ],
    fn,
  );
  assert.equal(calls, [['def f(): pass', 'def g(): pass']]);
  assert.equal(r.code2doc, [1, 0, 0.125]);
  assert.equal(r.doc2code, [1, null, 0.25]);
  await roundRewards([{ original: 'x', lang: 'go', rDoc: 1 }], fn).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /item 0 has R_doc = 1 but no reconstruction/),
  );
});

test('a misbehaving reward function is caught with the index', async () => {
  const bad: RewardFn = async () => [0.5, NaN];
  await similarities(bad, ['a', 'b'], ['a', 'b'], ['python', 'ruby']).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /reward 1 is NaN .*lang ruby/),
  );
  const short: RewardFn = async () => [0.5];
  await similarities(short, ['a', 'b'], ['a', 'b'], ['go', 'go']).then(
    () => assert.unreachable('should throw'),
    (e: Error) => assert.match(e.message, /returned 1 values for 2 pairs/),
  );
  assert.equal(await similarities(short, [], [], []), []);
});

test('tokens reward: token multiset F1', async () => {
  assert.equal(lexTokens('x = f(a1, 2.5)'), ['x', '=', 'f', '(', 'a1', ',', '2.5', ')']);
  const fn = tokensReward();
  const s = await fn(['return a + b', 'a b', '', 'x'], ['return a + b', 'a a', '', 'y'], ['python', 'python', 'python', 'python']);
  close(s[0]!, 1);
  close(s[1]!, 0.5); // {a,b} vs {a,a}: one common token, 2*1/4
  close(s[2]!, 1);
  close(s[3]!, 0);
});

test.run();
