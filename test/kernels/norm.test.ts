// RMSNorm / LayerNorm forward and backward (dx, dweight, dbias) vs float64, plus a
// finite-difference check of the reference. Tolerances: y 1e-5 + 1e-4 rel; dx 1e-4 + 1e-4
// rel; dweight/dbias (sums over rows) 1e-4 * sqrt(rows) + 1e-4 rel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, getGpuFamily, rng, randn, upload, download, assertClose, type Gpu } from './helpers.js';
import { rmsNorm, rmsNormBackward, layerNorm, layerNormBackward } from '../../src/kernels/norm.js';
import { refNorm, refNormBackward } from '../../src/kernels/reference/norm.js';
import type { RowPlan } from '../../src/kernels/softmax.js';

async function check(gpu: Gpu, kind: 'rms' | 'layer', rows: number, cols: number, seed: number, plan?: RowPlan, shift = 0) {
  const r = rng(seed);
  const x = randn(r, rows * cols).map((v) => v + shift), w = randn(r, cols), b = randn(r, cols), dy = randn(r, rows * cols);
  const eps = 1e-5;
  const X = upload(gpu, x), W = upload(gpu, w), BI = upload(gpu, b), Y = gpu.alloc(rows * cols * 4), RS = gpu.alloc(rows * 4), MU = gpu.alloc(rows * 4);
  const fw = kind === 'rms' ? rmsNorm : layerNorm;
  fw(gpu, { x: X, weight: W, bias: kind === 'layer' ? BI : undefined, out: Y, rstd: RS, mean: MU, rows, cols, eps, plan });
  const want = refNorm(kind, x, w, kind === 'layer' ? b : null, rows, cols, eps);
  const label = `${kind} ${rows}x${cols} plan=${JSON.stringify(plan)} shift=${shift}`;
  assertClose(await download(gpu, Y, rows * cols), want.y, 1e-5 + 1e-6 * shift, 1e-4, label + ' y');
  assertClose(await download(gpu, RS, rows), want.rstd, 1e-5, 1e-4, label + ' rstd');
  const DY = upload(gpu, dy), DX = gpu.alloc(rows * cols * 4);
  const init = randn(r, cols);
  const DW = upload(gpu, init), DB = upload(gpu, init);
  const bw = kind === 'rms' ? rmsNormBackward : layerNormBackward;
  bw(gpu, { x: X, weight: W, rstd: RS, mean: MU, dy: DY, dx: DX, dweight: DW, dbias: kind === 'layer' ? DB : undefined, rows, cols, plan, accumulate: true });
  const g = refNormBackward(kind, x, w, dy, rows, cols, eps);
  assertClose(await download(gpu, DX, rows * cols), g.dx, 1e-4, 1e-4, label + ' dx');
  const tw = 1e-4 * Math.sqrt(rows);
  assertClose(await download(gpu, DW, cols), g.dw.map((v, i) => v + init[i]), tw, 1e-4, label + ' dweight');
  if (kind === 'layer') assertClose(await download(gpu, DB, cols), g.db.map((v, i) => v + init[i]), tw, 1e-4, label + ' dbias');
  for (const buf of [X, W, BI, Y, RS, MU, DY, DX, DW, DB]) gpu.free(buf);
}

test('reference backward matches finite differences', () => {
  const r = rng(2);
  for (const kind of ['rms', 'layer'] as const) {
    const rows = 2, cols = 5, x = Array.from(randn(r, 10)), w = Array.from(randn(r, 5)), dy = Array.from(randn(r, 10));
    const f = (xx: number[], ww: number[]) => refNorm(kind, xx, ww, null, rows, cols, 1e-5).y.reduce((s, v, i) => s + v * dy[i], 0);
    const g = refNormBackward(kind, x, w, dy, rows, cols, 1e-5);
    const h = 1e-6;
    for (let i = 0; i < x.length; i++) { const p = x.slice(), m = x.slice(); p[i] += h; m[i] -= h; assert.ok(Math.abs((f(p, w) - f(m, w)) / (2 * h) - g.dx[i]) < 1e-5, `${kind} dx${i}`); }
    for (let i = 0; i < w.length; i++) { const p = w.slice(), m = w.slice(); p[i] += h; m[i] -= h; assert.ok(Math.abs((f(x, p) - f(x, m)) / (2 * h) - g.dw[i]) < 1e-5, `${kind} dw${i}`); }
  }
});

test('forward and backward, ragged shapes, row layouts, multi-chunk parameter gradients', async () => {
  const gpu = await getGpu();
  let seed = 10;
  for (const kind of ['rms', 'layer'] as const) {
    for (const [rows, cols] of [[1, 1], [3, 7], [130, 64], [5000, 12], [9, 1001]]) await check(gpu, kind, rows, cols, seed++);
    await check(gpu, kind, 20, 96, seed++, { tpr: 8, wg: 32, vw: 4 });
    await check(gpu, kind, 20, 33, seed++, { tpr: 16, wg: 64, vw: 1 });
  }
  await check(gpu, 'layer', 17, 256, seed++, undefined, 1000); // large mean, small spread
});

test('gpu family (forced): default plans, ragged rows and columns, two-pass parameter gradients', async () => {
  const gpu = await getGpuFamily();
  let seed = 400;
  for (const kind of ['rms', 'layer'] as const) {
    for (const [rows, cols] of [[1, 1], [7, 3], [65, 896], [3000, 12], [5, 2051]]) await check(gpu, kind, rows, cols, seed++);
  }
});

test.run();
