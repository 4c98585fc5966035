// The autotuner: picks one of the candidates, persists the choice per adapter and shape class
// in $BATCODER_CACHE, and matmul then uses it (results stay correct whatever it picked).
// No wall-clock assertions: only where the choice goes and that it is honoured.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getGpu, rng, randn, upload, download, assertClose } from './helpers.js';
import { tuneMatmul, matmulConfigFor, matmulShapeClass, resetAutotuneCache, cacheFile, adapterKey, defaultMatmulConfig, matmulCandidates, SHARED_BK, type MatmulConfig } from '../../src/kernels/autotune.js';
import type { Gpu } from '../../src/gpu/index.js';
import { matmul } from '../../src/kernels/matmul.js';
import { refMatmul } from '../../src/kernels/reference/matmul.js';

const dir = mkdtempSync(join(tmpdir(), 'batcoder-autotune-'));

test('without a cache entry the adapter default is used', async () => {
  const gpu = await getGpu();
  process.env.BATCODER_CACHE = dir;
  delete process.env.BATCODER_AUTOTUNE;
  resetAutotuneCache();
  assert.equal(matmulConfigFor(gpu, { M: 40, N: 40, K: 40 }), defaultMatmulConfig(gpu));
});

test('tuning writes the winner to the cache and matmul uses it', async () => {
  const gpu = await getGpu();
  process.env.BATCODER_CACHE = dir;
  delete process.env.BATCODER_AUTOTUNE;
  resetAutotuneCache();
  const cands: MatmulConfig[] = [
    { tm: 2, tn: 4, wgx: 4, wgy: 4, ku: 4, shared: false },
    { tm: 4, tn: 4, wgx: 4, wgy: 4, ku: 4, shared: false },
  ];
  const shape = { M: 40, N: 40, K: 40 };
  const A = gpu.alloc(1600 * 4), B = gpu.alloc(1600 * 4), O = gpu.alloc(1600 * 4);
  let runs = 0;
  const res = await tuneMatmul(gpu, [shape], (s, c) => { runs++; matmul(gpu, { a: A, b: B, out: O, batch: 1, ...s, config: c }); }, { candidates: cands, reps: 1 });
  assert.is(runs, 4); // warm-up + 1 rep per candidate
  assert.ok(cands.some((c) => JSON.stringify(c) === JSON.stringify(res[0].best)));
  assert.ok(existsSync(cacheFile()));
  const saved = JSON.parse(readFileSync(cacheFile(), 'utf8'));
  assert.equal(saved.matmul[adapterKey(gpu)][matmulShapeClass(shape)], res[0].best);
  assert.equal(matmulConfigFor(gpu, shape), res[0].best);
  // and a matmul of that class is still right
  const r = rng(1);
  const a = randn(r, 1600), b = randn(r, 1600);
  gpu.write(A, a); gpu.write(B, b);
  matmul(gpu, { a: A, b: B, out: O, batch: 1, ...shape });
  assertClose(await download(gpu, O, 1600), refMatmul({ a, b, batch: 1, ...shape }), 1e-3, 1e-3, 'tuned matmul');
});

test('a corrupt or hostile cache file falls back to the default', async () => {
  const gpu = await getGpu();
  process.env.BATCODER_CACHE = dir;
  writeFileSync(cacheFile(), JSON.stringify({ matmul: { [adapterKey(gpu)]: { [matmulShapeClass({ M: 40, N: 40, K: 40 })]: { tm: 0, tn: 3 } } } }));
  resetAutotuneCache();
  assert.equal(matmulConfigFor(gpu, { M: 40, N: 40, K: 40 }), defaultMatmulConfig(gpu));
  writeFileSync(cacheFile(), '{not json');
  resetAutotuneCache();
  assert.equal(matmulConfigFor(gpu, { M: 40, N: 40, K: 40 }), defaultMatmulConfig(gpu));
});

test('candidates: workgroup-memory tilings first for the gpu family (up to 128 x 128), last for lavapipe; none over the workgroup-memory limit', async () => {
  const gpu = await getGpu();
  const as = (kernelFamily: string, maxShared: number) =>
    ({ kernelFamily, limits: { ...gpu.limits, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupStorageSize: maxShared } }) as unknown as Gpu;
  const g = matmulCandidates(as('gpu', 49152));
  const firstReg = g.findIndex((c) => !c.shared);
  assert.ok(firstReg > 0 && g.slice(firstReg).every((c) => !c.shared), 'gpu family: every shared tiling before every register one');
  assert.ok(g.some((c) => c.shared && c.tm * c.wgy === 128 && c.tn * c.wgx === 128), 'a 128 x 128 tile is tried');
  const l = matmulCandidates(as('lavapipe', 49152));
  assert.ok(!l[0].shared && l.at(-1)!.shared, 'lavapipe: register tilings first');
  assert.is(l.length, g.length);
  // 8 KiB of workgroup memory: the 128 x 128 tile (16 KiB per K slice) is left out
  const small = matmulCandidates(as('gpu', 8192)).filter((c) => c.shared);
  assert.ok(small.length > 0 && small.every((c) => (c.tm * c.wgy + c.tn * c.wgx) * SHARED_BK * 4 <= 8192));
  assert.ok(!small.some((c) => c.tm * c.wgy === 128 && c.tn * c.wgx === 128));
});

test.run();
