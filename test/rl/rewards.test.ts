import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleRewards, needsReconstruction } from '../../src/rl/rewards.js';
import { closeAll } from './close.js';

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

test.run();
