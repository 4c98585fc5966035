// The shipped warm start (assets/warmstart) loads, its tokenizer has BatCoder's special
// tokens, and it has learned the task: on held-out (test split) examples in both directions
// its next-token loss is far below an untrained model's (~ln 512 = 6.2), on new instances of
// training structures (split 'test') and on the held-out structures evaluation uses ('heldout').
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { getGpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { loadModel } from '../../src/nn/io.js';
import { Tokenizer } from '../../src/tokenizer/index.js';
import { Policy, sftLoss } from '../../src/train/policy.js';
import { warmStartDir } from '../../src/train/trainer.js';
import { buildExamples, packSft } from '../../src/train/sft.js';
import { generateTasks } from '../../src/data/tasks/index.js';

test('the warm start loads and predicts held-out code and docs (loss < 1.5 nats/token)', async () => {
  const gpu = await getGpu();
  const dir = warmStartDir();
  const tok = await Tokenizer.load(join(dir, 'tokenizer.json'));
  for (const s of ['<|endoftext|>', '<|code|>', '<|doc|>', '<|pad|>']) assert.ok(tok.tokenToId(s) !== undefined, s);
  const model = await loadModel(gpu, dir);
  const policy = new Policy(model, tok);
  for (const split of ['test', 'heldout'] as const) {
    const tasks = generateTasks({ seed: 4242, count: 8, split, langs: ['python'] });
    const pairs = tasks.map((t) => ({ code: t.code.python!, doc: t.description, lang: 'python' as const, signature: t.signature.python }));
    const { tokens, targets, B, T: Tn } = packSft(buildExamples(policy, pairs, 512), policy.padId);
    const loss = await T.noGrad(() => sftLoss(policy, tokens, targets, B, Tn)).item();
    console.log(`${split} loss ${loss.toFixed(3)}`);
    assert.ok(loss < 1.5, `${split} loss ${loss.toFixed(3)}`);
  }
  model.dispose();
});

test.run();
