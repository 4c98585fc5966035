// Batched generation: left-padded batches equal one-by-one generation (greedy and
// sampled, with per-row seeds), top-k = 1 and a tiny top-p equal greedy, seeds reproduce,
// EOS and stop strings cut where they should, and the reported log-probs equal the
// teacher-forced recomputation (plain and differentiable).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../nn/helpers.js';
import { getGpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { generate, sequenceLogProbs, sequenceLogProbsTensor, type GenerateOptions } from '../../src/sample/index.js';
import { randomModel } from '../nn/helpers.js';

const gpu = await getGpu();
const model = randomModel(gpu);
const PROMPTS = [[5, 17, 33, 2 + 1, 90, 41], [12, 71], [3, 88, 19, 45]];
/** a toy detokenizer: id -> one letter (several ids share a letter, like merges do) */
const decode = (ids: number[]) => ids.map((i) => String.fromCharCode(97 + (i % 26))).join('');
const NEW = 10;

function close(a: number[][], b: number[][], tol: number, what: string): void {
  assert.is(a.length, b.length);
  a.forEach((row, r) => {
    assert.is(row.length, b[r].length, `${what}: row ${r} length`);
    row.forEach((v, i) => assert.ok(Math.abs(v - b[r][i]) <= tol, `${what}: row ${r} token ${i}: ${v} vs ${b[r][i]}`));
  });
}

async function oneByOne(opts: GenerateOptions, seeds?: number[]) {
  const rows = [];
  for (let r = 0; r < PROMPTS.length; r++) rows.push(await generate(model, [PROMPTS[r]], { ...opts, seed: seeds ? [seeds[r]] : opts.seed }));
  return { ids: rows.map((x) => x.ids[0]), logProbs: rows.map((x) => x.logProbs[0]) };
}

test('greedy: a left-padded batch equals one-by-one generation', async () => {
  const opts: GenerateOptions = { maxNewTokens: NEW, greedy: true, eosId: null };
  const batch = await generate(model, PROMPTS, opts);
  const single = await oneByOne(opts);
  assert.equal(batch.ids, single.ids);
  close(batch.logProbs, single.logProbs, 1e-4, 'greedy log-probs');
  assert.equal(batch.finishReason, ['length', 'length', 'length']);
  assert.ok(batch.ids.every((r) => r.length === NEW));
  // not a degenerate model: greedy continuations differ between prompts
  assert.ok(new Set(batch.ids.map((r) => r.join())).size === 3);
});

test('sampling: batch equals one-by-one with the same row seeds; seeds reproduce', async () => {
  const opts: GenerateOptions = { maxNewTokens: NEW, temperature: 0.8, topK: 40, topP: 0.95, seed: 1234, eosId: null };
  const batch = await generate(model, PROMPTS, opts);
  const again = await generate(model, PROMPTS, opts);
  assert.equal(again.ids, batch.ids, 'same seed, same tokens');
  const single = await oneByOne(opts, batch.seeds);
  assert.equal(single.ids, batch.ids);
  close(batch.logProbs, single.logProbs, 1e-4, 'sampled log-probs');
  const other = await generate(model, PROMPTS, { ...opts, seed: 99 });
  assert.not.equal(other.ids, batch.ids, 'another seed, other tokens');
  // the generator-drawn default seed is reproducible through T.manualSeed
  T.manualSeed(5);
  const g1 = await generate(model, PROMPTS, { ...opts, seed: undefined });
  T.manualSeed(5);
  const g2 = await generate(model, PROMPTS, { ...opts, seed: undefined });
  assert.equal(g1.ids, g2.ids);
});

test('top-k = 1 and top-p = 1e-6 equal greedy', async () => {
  const greedy = await generate(model, PROMPTS, { maxNewTokens: NEW, greedy: true, eosId: null });
  const k1 = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature: 1, topK: 1, seed: 3, eosId: null });
  const p0 = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature: 1, topP: 1e-6, seed: 4, eosId: null });
  assert.equal(k1.ids, greedy.ids);
  assert.equal(p0.ids, greedy.ids);
  close(k1.logProbs, greedy.logProbs, 1e-6, 'top-k 1 log-probs');
});

test('EOS ends a row (kept in ids, not in text); stop strings cut the text', async () => {
  const base = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature: 1, seed: 77, eosId: null, decode });
  // pick as EOS the 4th token of row 0: row 0 must end at its first occurrence
  const eos = base.ids[0][3];
  const cut = base.ids[0].indexOf(eos) + 1;
  const withEos = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature: 1, seed: 77, eosId: eos, padId: 0, decode });
  assert.equal(withEos.ids[0], base.ids[0].slice(0, cut));
  assert.is(withEos.finishReason[0], 'eos');
  assert.is(withEos.text[0], decode(base.ids[0].slice(0, cut - 1)));
  close([withEos.logProbs[0]], [base.logProbs[0].slice(0, cut)], 1e-6, 'EOS row log-probs');
  // other rows continue unchanged until their own EOS (or the end)
  for (const r of [1, 2]) {
    const i = base.ids[r].indexOf(eos);
    assert.equal(withEos.ids[r], i >= 0 ? base.ids[r].slice(0, i + 1) : base.ids[r]);
    assert.is(withEos.finishReason[r], i >= 0 ? 'eos' : 'length');
  }
  // a stop string made of the text of row 1 at characters [4, 6)
  const stop = base.text[1].slice(4, 6);
  const at = base.text[1].indexOf(stop);
  const withStop = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature: 1, seed: 77, eosId: null, decode, stopStrings: ['@never', stop] });
  assert.is(withStop.finishReason[1], 'stop');
  assert.is(withStop.text[1], base.text[1].slice(0, at));
  // ids run up to the token that completed the stop string (one letter per token here)
  assert.equal(withStop.ids[1], base.ids[1].slice(0, at + stop.length));
});

test('sampling-time log-probs equal the teacher-forced recomputation', async () => {
  for (const temperature of [1, 0.7]) {
    const g = await generate(model, PROMPTS, { maxNewTokens: NEW, temperature, topK: 30, topP: 0.9, seed: 5, eosId: 2, padId: 0 });
    const re = await sequenceLogProbs(model, { prompts: PROMPTS, responses: g.ids }, { temperature });
    close(re, g.logProbs, 1e-4, `T=${temperature}`);
  }
});

test('differentiable log-probs: the gradient equals the cross-entropy gradient', async () => {
  const prompts = [[4, 9, 1], [30]];
  const responses = [[7, 8, 9, 10], [11, 12]];
  model.setRequiresGrad(true);
  const { logProbs, mask } = sequenceLogProbsTensor(model, { prompts, responses });
  assert.equal(logProbs.shape, [2, 4]);
  assert.equal(Array.from(await mask.toFloat32Array()), [1, 1, 1, 1, 1, 1, 0, 0]);
  const lp = await logProbs.toFloat32Array();
  assert.is(lp[6], 0);
  assert.is(lp[7], 0);
  T.sum(logProbs).backward();
  const g1 = new Map<string, Float32Array>();
  for (const [n, p] of model.params) {
    g1.set(n, await p.grad!.toFloat32Array());
    p.grad!.dispose();
    p.grad = null;
  }
  // reference: -sum CE over the same tokens, rows scored one at a time without padding
  for (let b = 0; b < 2; b++) {
    const seq = [...prompts[b], ...responses[b]];
    const L = seq.length - 1;
    const logits = model.forward(Int32Array.from(seq.slice(0, L)), 1, L);
    const tgt = Int32Array.from(seq.slice(1).map((t, i) => (i >= prompts[b].length - 1 ? t : -100)));
    const nll = T.crossEntropy(logits, T.tensor(gpu, tgt, [1, L], 'i32'), { reduction: 'sum' });
    T.neg(nll).backward();
  }
  for (const [n, p] of model.params) {
    const a = g1.get(n)!, b = await p.grad!.toFloat32Array();
    let num = 0, den = 0;
    for (let i = 0; i < a.length; i++) {
      num = Math.max(num, Math.abs(a[i] - b[i]));
      den = Math.max(den, Math.abs(b[i]));
    }
    assert.ok(num <= 1e-4 * den + 1e-7, `${n}: gradient differs by ${num} (scale ${den})`);
  }
  model.setRequiresGrad(false);
});

test('each step reads back only B ids and B log-probs (never the logits)', async () => {
  const sizes: number[] = [];
  const read = gpu.read.bind(gpu);
  gpu.read = (buf, off, bytes) => {
    sizes.push(bytes ?? buf.size - (off ?? 0));
    return read(buf, off, bytes);
  };
  try {
    const g = await generate(model, PROMPTS, { maxNewTokens: 6, temperature: 1, seed: 8, eosId: null });
    assert.equal(sizes, new Array(6).fill(8 * PROMPTS.length));
    assert.is(g.stats.decodeSteps, 5);
  } finally {
    gpu.read = read;
  }
});


test('bad inputs give clear errors', async () => {
  await rejects(() => generate(model, [[1, 2], []], { maxNewTokens: 2 }), /prompts\[1\] is empty/);
  await rejects(() => generate(model, [[1, 500]], { maxNewTokens: 2 }), /prompts\[0\]\[1\] = 500/);
  await rejects(() => generate(model, [[1]], { maxNewTokens: 2, topP: 0 }), /topP/);
  await rejects(() => generate(model, [[1]], { maxNewTokens: 2, stopStrings: ['x'] }), /decode/);
  await rejects(() => generate(model, [[1], [2]], { maxNewTokens: 2, seed: [1] }), /1 seeds for 2 prompts/);
});

test.run();
