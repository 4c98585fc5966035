// One stage-2 prompt: a training rollout and the evaluation give the model the same input
// for the same task and doc, with the signature hint (the default) and without it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleGroups } from '../../src/train/rollout.js';
import { evaluate } from '../../src/train/evaluate.js';
import { evalTasks } from '../../src/train/data.js';
import { DEFAULTS } from '../../src/train/config.js';
import { Rng } from '../../src/util/rng.js';
import type { Policy } from '../../src/train/policy.js';

const task = evalTasks(DEFAULTS.seed, 1, ['python'])[0]!;

/** A stand-in policy that records every doc -> code input and writes the task's own doc and code. */
function recordingPolicy(): { policy: Policy; stage2: string[] } {
  const stage2: string[] = [];
  const policy = {
    prompt(direction: string, input: string) {
      if (direction === 'doc2code') stage2.push(input);
      return [1, 2, 3];
    },
    async generate(direction: string, prompts: number[][]) {
      const text = direction === 'code2doc' ? task.description : task.code.python!;
      return { ids: prompts.map(() => [4]), logProbs: prompts.map(() => [-0.5]), text: prompts.map(() => text) };
    },
  } as unknown as Policy;
  return { policy, stage2 };
}

for (const signatureHint of [true, false]) {
  test(`stage-2 input identical in training and evaluation (signatureHint ${signatureHint})`, async () => {
    const cfg = { ...DEFAULTS, signatureHint, evalTasks: 1, k: 2 };
    const train = recordingPolicy();
    await sampleGroups(train.policy, [{ code: task.code.python!, lang: 'python', task }], cfg, new Rng(1), 't');
    const ev = recordingPolicy();
    await evaluate(ev.policy, cfg);
    assert.is(train.stage2.length, 2);
    // evaluation: the round trip from the generated doc, then pass@1 from the gold doc (the same text here)
    assert.equal(ev.stage2, [train.stage2[0], train.stage2[0]]);
    assert.equal(train.stage2[0]!.includes(task.signature.python!), signatureHint, train.stage2[0]);
  });
}

test('the signature hint is on by default (the tests call the function by name)', () => {
  assert.is(DEFAULTS.signatureHint, true);
});

test.run();
