// The KL penalty's reference log-probs (--kl-coef > 0): for the model that sampled the
// responses they equal the sampler's own log-probs (KL 0 at the start of phase 1), at the
// rollout temperature; for another model they differ and the penalty shapes the returns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { getGpu } from '../../src/gpu/index.js';
import { Transformer } from '../../src/nn/model.js';
import { PRESETS } from '../../src/nn/config.js';
import { Tokenizer } from '../../src/tokenizer/index.js';
import { Policy } from '../../src/train/policy.js';
import { fillReferenceLogProbs } from '../../src/train/reference.js';
import { warmStartDir } from '../../src/train/trainer.js';
import { ReplayBuffer, type Trajectory } from '../../src/rl/buffer.js';

test('reference log-probs of the sampling model equal the sampling log-probs; another model gives KL > 0', async () => {
  const gpu = await getGpu();
  const tok = await Tokenizer.load(join(warmStartDir(), 'tokenizer.json'));
  const config = { ...PRESETS.micro, vocab_size: tok.vocabSize };
  const policy = new Policy(Transformer.init(gpu, config, 3), tok);
  const other = new Policy(Transformer.init(gpu, config, 4), tok);
  const temperature = 0.8;
  const prompts = [policy.prompt('code2doc', 'def f(a):\n    return a\n', 'python'), policy.prompt('doc2code', 'Return a.', 'python'), [1, 2]];
  const g = await policy.generate('code2doc', prompts, { maxNewTokens: 6, temperature, seed: 7 });
  const trajs: Trajectory[] = prompts.map((p, i) => ({ stage: 'code2doc', groupId: 0, promptIds: p, responseIds: g.ids[i]!, oldLogProbs: g.logProbs[i]!, mask: g.ids[i]!.map(() => 1), reward: i }));
  await fillReferenceLogProbs(policy, trajs, temperature, 2);
  for (const t of trajs) t.refLogProbs!.forEach((v, j) => assert.ok(Math.abs(v - t.oldLogProbs[j]!) < 1e-4, `${v} vs ${t.oldLogProbs[j]}`));
  const same = new ReplayBuffer();
  same.addAll(trajs);
  assert.ok(same.computeAdvantages({ beta: 0.1, kl: 'k3' }).kl.every((k) => Math.abs(k) < 1e-4));
  await fillReferenceLogProbs(other, trajs, temperature, 2);
  const diff = new ReplayBuffer();
  diff.addAll(trajs);
  assert.ok(diff.computeAdvantages({ beta: 0.1, kl: 'k3' }).kl.every((k) => k > 1e-3));
  policy.model.dispose();
  other.model.dispose();
});

test.run();
