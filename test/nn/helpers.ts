// Shared helpers for model tests: the fixture directory, a random Qwen2-shaped model with
// weights large enough that logits are not near-uniform, and error measures.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Gpu } from '../../src/gpu/index.js';
import { Transformer } from '../../src/nn/model.js';
import type { ModelConfig } from '../../src/nn/config.js';
import * as T from '../../src/tensor/index.js';

/** test/fixtures/nn in the source tree (tests run from dist/test/...). */
export const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'nn');

export const SMALL: ModelConfig = {
  model_type: 'qwen2', vocab_size: 96, hidden_size: 32, intermediate_size: 48, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 128, rope_theta: 10000,
  rms_norm_eps: 1e-6, tie_word_embeddings: true, attention_bias: true, eos_token_id: 2,
};

/**
 * A seeded random model whose next-token distributions are far from uniform and far from
 * one-hot (Transformer.init's 0.02 weights give near-uniform logits, where greedy ties
 * and sampling tests say little).
 */
export function randomModel(gpu: Gpu, config: ModelConfig = SMALL, seed = 1): Transformer {
  T.manualSeed(seed);
  const params = new Map<string, T.Tensor>();
  for (const [name, shape] of Transformer.parameterShapes(config)) {
    let t: T.Tensor;
    if (name.endsWith('norm.weight')) t = T.add(T.randn(gpu, shape, 0, 0.1), 1).realise();
    else if (name.endsWith('.bias')) t = T.randn(gpu, shape, 0, 0.1);
    else if (name.endsWith('embed_tokens.weight')) t = T.randn(gpu, shape, 0, 0.4);
    else t = T.randn(gpu, shape, 0, 1 / Math.sqrt(shape[1]));
    params.set(name, t);
  }
  return new Transformer(gpu, config, params);
}

/** max |a - b| / max |b|: the error relative to the tensor's scale. */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`relErr: ${got.length} vs ${want.length} elements`);
  let num = 0, den = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    num = Number.isNaN(d) ? Infinity : Math.max(num, d);
    den = Math.max(den, Math.abs(want[i]));
  }
  return den === 0 ? num : num / den;
}

/** HF position ids for a mask row-major [B, T]: cumsum(mask) - 1, padding slots 1. */
export function hfPositions(mask: ArrayLike<number>, B: number, Tn: number): Float32Array {
  const pos = new Float32Array(B * Tn);
  for (let b = 0; b < B; b++) {
    let c = 0;
    for (let t = 0; t < Tn; t++) {
      c += mask[b * Tn + t];
      pos[b * Tn + t] = mask[b * Tn + t] ? c - 1 : 1;
    }
  }
  return pos;
}

/** Assert that an async call rejects with a message matching `re`. */
export async function rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
}
