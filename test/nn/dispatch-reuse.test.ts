// A training step repeated with the same shapes records the same dispatches over the same
// pooled buffers: from the second step on it compiles nothing and makes no bind group (the
// CPU-side cost of a dispatch is then a cache lookup; docs/gpu.md "Dispatch costs"), and
// its loss is bit-identical. With a last-in-first-out pool the buffers came out permuted
// from step to step and most of a transformer step's bind groups were made anew.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from '../../src/gpu/index.js';
import { PRESETS } from '../../src/nn/config.js';
import { Transformer } from '../../src/nn/model.js';
import * as T from '../../src/tensor/index.js';

test('a repeated transformer training step makes no bind group and compiles no kernel', async () => {
  const gpu = await getGpu();
  const config = PRESETS.micro;
  const model = Transformer.init(gpu, config, 5);
  model.setRequiresGrad(true);
  const B = 2, Tn = 16, V = config.vocab_size;
  const ids = Int32Array.from({ length: B * Tn }, (_, i) => (i * 31 + 7) % V);
  const targets = T.keep(T.tensor(gpu, Int32Array.from({ length: B * Tn }, (_, i) => (i * 17 + 3) % V), [B, Tn], 'i32'));
  const step = async (): Promise<{ loss: number; groups: number; compiles: number; dispatches: number }> => {
    const g0 = gpu.counters.bindGroups, c0 = gpu.counters.compiles, d0 = gpu.counters.dispatches;
    const loss = T.tidy(() => {
      const l = T.mul(T.sum(T.tokenLogProbFused(model.forward(ids, B, Tn), targets)), -1 / (B * Tn));
      l.backward();
      return l;
    });
    const out = { loss: await loss.item(), groups: gpu.counters.bindGroups - g0, compiles: gpu.counters.compiles - c0, dispatches: gpu.counters.dispatches - d0 };
    loss.dispose();
    for (const p of model.parameters()) { p.grad?.dispose(); p.grad = null; }
    return out;
  };
  const first = await step();
  await step();
  const third = await step();
  assert.ok(first.dispatches > 20, `a real step (${first.dispatches} dispatches)`);
  assert.is(third.dispatches, first.dispatches);
  assert.is(third.compiles, 0, 'no kernel compiled again');
  assert.is(third.groups, 0, `no bind group made (${third.groups} of ${third.dispatches} dispatches made one)`);
  assert.is(third.loss, first.loss, 'bit-identical loss');
  targets.dispose();
  model.dispose();
});

test.run();
