// Decoding with the KV cache gives the same logits as one full forward pass, at every
// position; left padding does not change a row's real positions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from '../../src/gpu/index.js';
import { headDim } from '../../src/nn/config.js';
import { KVCache } from '../../src/nn/kv-cache.js';
import * as T from '../../src/tensor/index.js';
import { hfPositions, randomModel, relErr } from './helpers.js';

const V = 96;

test('prefill + one-token decoding equals a full forward at every position (with left padding)', async () => {
  const gpu = await getGpu();
  const model = randomModel(gpu);
  const c = model.config;
  const B = 2, Tn = 9, P = 4;
  // row 1 is left-padded by 2
  const ids = Int32Array.from([5, 17, 33, 2, 90, 41, 7, 7, 60, 0, 0, 12, 71, 3, 88, 19, 45, 23]);
  const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  const pos = hfPositions(mask, B, Tn);
  const full = await T.noGrad(() => model.forward(ids, B, Tn, { keyValid: mask, positions: pos })).toFloat32Array();

  const cache = new KVCache(gpu, c.num_hidden_layers, B, c.num_key_value_heads, Tn, headDim(c));
  const cols = (a: Float32Array | Int32Array, t0: number, t1: number) => {
    const out = new (a.constructor as Float32ArrayConstructor)(B * (t1 - t0));
    for (let b = 0; b < B; b++) out.set(a.subarray(b * Tn + t0, b * Tn + t1), b * (t1 - t0));
    return out;
  };
  const got: Float32Array[] = [];
  const pre = T.noGrad(() => model.forward(cols(ids, 0, P) as unknown as Int32Array, B, P, { cache, keyValid: cols(mask, 0, P), positions: cols(pos, 0, P) }));
  got.push(await pre.toFloat32Array());
  pre.dispose();
  for (let t = P; t < Tn; t++) {
    const step = T.noGrad(() =>
      model.forward(Int32Array.from(cols(ids, t, t + 1)), B, 1, { cache, keyValid: cols(mask, 0, t + 1), positions: cols(pos, t, t + 1) }),
    );
    got.push(await step.toFloat32Array());
    step.dispose();
  }
  assert.is(cache.length, Tn);
  cache.dispose();
  // reassemble [B, Tn, V] from the prefill block and the single steps
  const asm = new Float32Array(B * Tn * V);
  for (let b = 0; b < B; b++) {
    asm.set(got[0].subarray(b * P * V, (b + 1) * P * V), b * Tn * V);
    for (let t = P; t < Tn; t++) asm.set(got[t - P + 1].subarray(b * V, (b + 1) * V), (b * Tn + t) * V);
  }
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < Tn; t++) {
      const at = (b * Tn + t) * V;
      const e = relErr(asm.subarray(at, at + V), full.subarray(at, at + V));
      assert.ok(e < 1e-4, `row ${b} position ${t}: cached decoding differs from the full forward by ${e.toExponential(2)}`);
    }
  }
  model.dispose();
});

test('left padding leaves a row\'s logits unchanged', async () => {
  const gpu = await getGpu();
  const model = randomModel(gpu);
  const row = [9, 31, 4, 77, 50];
  const alone = await T.noGrad(() => model.forward(Int32Array.from(row), 1, 5)).toFloat32Array();
  const padded = Int32Array.from([0, 0, 0, ...row]);
  const mask = Float32Array.from([0, 0, 0, 1, 1, 1, 1, 1]);
  const withPad = await T.noGrad(() => model.forward(padded, 1, 8, { keyValid: mask, positions: hfPositions(mask, 1, 8) })).toFloat32Array();
  const e = relErr(withPad.subarray(3 * V), alone);
  assert.ok(e < 1e-4, `padded vs unpadded: ${e.toExponential(2)}`);
  for (const v of withPad) assert.ok(Number.isFinite(v), 'padding positions stay finite');
  model.dispose();
});

test.run();
