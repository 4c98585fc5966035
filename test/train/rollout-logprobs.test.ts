// The log-probabilities a rollout stores (the sampler's, at sampling time) are the ones the
// trainer recomputes for the same tokens before any update: right-padded minibatch
// (src/rl/buffer.ts padBatch) through Policy.tokenLogProbs. If they differed, the
// importance ratios of the first update would not start at 1 and approx_kl would not start
// at 0 (a pilot run logged a mean k3 of 3.5e3 after its first step; this test is what showed
// that was real policy movement, not a mismatch). The shipped warm start, prompts of several
// lengths in one sampled batch (left-padded by the sampler, right-padded by the trainer).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { loadPolicy, clippedSurrogateLoss } from '../../src/train/policy.js';
import { warmStartDir } from '../../src/train/trainer.js';
import { padBatch } from '../../src/rl/buffer.js';
import { suiteCode } from '../../src/train/data.js';

test('sampled log-probs equal the trainer recomputation; the first update starts at ratio 1 and KL 0', async () => {
  const gpu = await getGpu();
  const policy = await loadPolicy(gpu, warmStartDir());
  const items = suiteCode(5, 4, ['python']);
  const prompts = items.flatMap((it) => [0, 1].map(() => policy.prompt('code2doc', it.code, it.lang)));
  assert.ok(new Set(prompts.map((p) => p.length)).size > 1, 'prompts of several lengths');
  const g = await policy.generate('code2doc', prompts, { maxNewTokens: 24, temperature: 1, seed: 3 });
  const trajs = g.ids
    .map((ids, i) => ({ stage: 'code2doc' as const, groupId: 'g', promptIds: prompts[i], responseIds: ids, oldLogProbs: g.logProbs[i], mask: ids.map(() => 1), reward: 0, advantages: ids.map(() => (i % 2 ? 1 : -1)) }))
    .filter((t) => t.responseIds.length > 0);
  assert.ok(trajs.length >= 4);
  const batch = padBatch(trajs, { padId: policy.padId });
  const lp = T.noGrad(() => policy.tokenLogProbs(batch));
  const now = await lp.toFloat32Array();
  let worst = 0, n = 0;
  for (let i = 0; i < now.length; i++) {
    if (!batch.actionMask[i]) continue;
    n++;
    worst = Math.max(worst, Math.abs(now[i] - batch.oldLogProbs[i]));
  }
  assert.ok(n > 40, `${n} action tokens`);
  assert.ok(worst < 1e-3, `sampler vs trainer log-prob: max |difference| ${worst}`);
  const stats = clippedSurrogateLoss(lp, batch, 0.2, 0.2);
  const [kl, clip] = [await stats.approxKl.item(), await stats.clipFrac.item()];
  assert.ok(kl < 1e-5, `approx_kl before any update: ${kl}`);
  assert.is(clip, 0);
  lp.dispose();
  policy.model.dispose();
});

test.run();
