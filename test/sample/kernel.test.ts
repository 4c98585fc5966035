// The GPU token-selection kernel on hand-made logits: draws follow the tempered,
// truncated distribution; top-k / top-p keep exactly the right sets; greedy breaks ties
// to the lowest id; the reported log-prob is log_softmax(logits / T) of the chosen id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, type Gpu } from '../../src/gpu/index.js';
import * as T from '../../src/tensor/index.js';
import { sampleTokens } from '../../src/kernels/sampling.js';
import { philoxKeys, rowSeeds } from '../../src/sample/seeds.js';

interface Opts { temperature: number; topK?: number; topP?: number; greedy?: boolean; step?: number }

/** Run the kernel on `rows` copies of one logits row; returns ids and log-probs. */
async function draw(gpu: Gpu, logits: number[], rows: number, o: Opts, seed = 1): Promise<{ ids: Int32Array; lps: Float32Array }> {
  const V = logits.length;
  const data = new Float32Array(rows * V);
  for (let r = 0; r < rows; r++) data.set(logits, r * V);
  const lt = T.tensor(gpu, data, [rows, V]);
  const st = T.tensor(gpu, philoxKeys(rowSeeds(seed, rows)), [2 * rows], 'u32');
  const out = gpu.alloc(8 * rows);
  sampleTokens(gpu, {
    logits: lt.storage!.buffer, offset: 0, rowStride: V, rows, vocab: V, seeds: st.storage!.buffer, step: o.step ?? 0,
    temperature: o.temperature, greedy: !!o.greedy, topK: o.topK ?? 0, topP: o.topP ?? 1, out,
  });
  const raw = await gpu.read(out, 0, 8 * rows);
  gpu.free(out);
  lt.dispose();
  st.dispose();
  return { ids: new Int32Array(raw.slice(0, 4 * rows)), lps: new Float32Array(raw.slice(4 * rows)) };
}

function logSoftmax(z: number[], t: number): number[] {
  const s = z.map((v) => v / t);
  const m = Math.max(...s);
  const lse = m + Math.log(s.reduce((a, v) => a + Math.exp(v - m), 0));
  return s.map((v) => v - lse);
}

/** counts within 5 standard deviations of rows * p (deterministic: seeded draws) */
function assertDistribution(ids: Int32Array, probs: number[], what: string): void {
  const n = ids.length;
  const counts = new Array(probs.length).fill(0);
  for (const i of ids) counts[i]++;
  probs.forEach((p, i) => {
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(counts[i] - n * p) <= 5 * sd + 1, `${what}: id ${i} drawn ${counts[i]} times of ${n}, expected ${(n * p).toFixed(1)}`);
    if (p === 0) assert.is(counts[i], 0, `${what}: id ${i} is outside the kept set but was drawn`);
  });
}

const Z = [2, 1, 0.5, 0, -1, 3, 0.2, -0.5];
const N = 3000;

test('temperature sampling follows softmax(z / T); log-probs are exact', async () => {
  const gpu = await getGpu();
  const t = 0.7;
  const { ids, lps } = await draw(gpu, Z, N, { temperature: t });
  const ls = logSoftmax(Z, t);
  assertDistribution(ids, ls.map(Math.exp), 'T=0.7');
  ids.forEach((id, r) => assert.ok(Math.abs(lps[r] - ls[id]) < 1e-5, `row ${r}: log-prob ${lps[r]} vs ${ls[id]}`));
});

test('top-k keeps the k largest (renormalised); log-probs stay those of the full tempered softmax', async () => {
  const gpu = await getGpu();
  const { ids, lps } = await draw(gpu, Z, N, { temperature: 1, topK: 3 });
  const keep = [0, 1, 5];
  const ls = logSoftmax(Z, 1);
  const mass = keep.reduce((a, i) => a + Math.exp(ls[i]), 0);
  assertDistribution(ids, ls.map((l, i) => (keep.includes(i) ? Math.exp(l) / mass : 0)), 'top-3');
  ids.forEach((id, r) => assert.ok(Math.abs(lps[r] - ls[id]) < 1e-5));
});

test('top-p keeps the smallest top set reaching mass p; top-k then top-p', async () => {
  const gpu = await getGpu();
  const ls = logSoftmax(Z, 1);
  const p = ls.map(Math.exp);
  // sorted: 5 (0.573), 0 (0.211), 1 (0.078), ...: p = 0.7 needs {5, 0}; 0.8 needs {5, 0, 1}
  const only = (keep: number[]) => {
    const m = keep.reduce((a, i) => a + p[i], 0);
    return p.map((v, i) => (keep.includes(i) ? v / m : 0));
  };
  assertDistribution((await draw(gpu, Z, N, { temperature: 1, topP: 0.7 })).ids, only([5, 0]), 'top-p 0.7');
  assertDistribution((await draw(gpu, Z, N, { temperature: 1, topP: 0.8 })).ids, only([5, 0, 1]), 'top-p 0.8');
  // top-k 4 leaves {5, 0, 1, 2}; renormalised, 0.9 of that mass needs {5, 0, 1}
  assertDistribution((await draw(gpu, Z, N, { temperature: 1, topK: 4, topP: 0.9 })).ids, only([5, 0, 1]), 'top-k 4 + top-p 0.9');
});

test('greedy, top-k = 1 and a tiny top-p all pick the argmax (lowest id on ties)', async () => {
  const gpu = await getGpu();
  const z = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 4);
  z[613] = 9;
  z[700] = 9; // tie: the lowest id wins
  for (const o of [{ greedy: true, temperature: 1 }, { temperature: 1, topK: 1 }, { temperature: 0.5, topP: 1e-6 }] as Opts[]) {
    const { ids, lps } = await draw(gpu, z, 4, o);
    const ls = logSoftmax(z, o.temperature);
    for (let r = 0; r < 4; r++) {
      if (o.greedy) assert.is(ids[r], 613, `greedy ${JSON.stringify(o)}`);
      else assert.ok(ids[r] === 613 || ids[r] === 700, `${JSON.stringify(o)} picked ${ids[r]}`);
      assert.ok(Math.abs(lps[r] - ls[ids[r]]) < 1e-5);
    }
  }
});

test('draws depend only on (row seed, step): reproducible, and steps differ', async () => {
  const gpu = await getGpu();
  const flat = new Array(50).fill(0);
  const a = await draw(gpu, flat, 64, { temperature: 1 }, 9);
  const b = await draw(gpu, flat, 64, { temperature: 1 }, 9);
  const c = await draw(gpu, flat, 64, { temperature: 1, step: 1 }, 9);
  assert.equal(a.ids, b.ids);
  assert.not.equal(a.ids, c.ids);
  // uniform over 50 ids: the draws spread out
  assert.ok(new Set(a.ids).size > 20);
});

test.run();
