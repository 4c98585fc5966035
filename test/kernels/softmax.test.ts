// softmax / log-softmax forward and backward vs float64, ragged shapes, every row layout.
// Tolerance: 1e-5 absolute + 1e-4 relative (probabilities), log-probs 1e-4 + 1e-5 relative.
import { test } from 'uvu';
import { getGpu, getGpuFamily, rng, randn, upload, download, assertClose, type Gpu } from './helpers.js';
import { softmax, softmaxBackward, type RowPlan } from '../../src/kernels/softmax.js';
import { refSoftmax, refSoftmaxBackward } from '../../src/kernels/reference/softmax.js';

const shapes: [number, number][] = [[1, 1], [3, 5], [7, 64], [130, 33], [17, 1000], [2, 4096], [200, 12]];
const plans: (RowPlan | undefined)[] = [undefined, { tpr: 1, wg: 32, vw: 1 }, { tpr: 8, wg: 32, vw: 1 }, { tpr: 64, wg: 64, vw: 1 }];

async function one(gpu: Gpu, rows: number, cols: number, log: boolean, plan: RowPlan | undefined, seed: number, inPlace: boolean) {
  const r = rng(seed);
  const x = randn(r, rows * cols, 3);
  const dy = randn(r, rows * cols);
  const X = upload(gpu, x), O = inPlace ? X : gpu.alloc(rows * cols * 4);
  softmax(gpu, { x: X, out: O, rows, cols, log, plan });
  const y = await download(gpu, O, rows * cols);
  const label = `${log ? 'log' : ''}softmax ${rows}x${cols} plan=${JSON.stringify(plan)} inPlace=${inPlace}`;
  assertClose(y, refSoftmax(x, rows, cols, log), log ? 1e-4 : 1e-5, 1e-4, label);
  const Y = upload(gpu, y), DY = upload(gpu, dy), DX = inPlace ? DY : gpu.alloc(rows * cols * 4);
  softmaxBackward(gpu, { y: Y, dy: DY, dx: DX, rows, cols, log, plan });
  const dx = await download(gpu, DX, rows * cols);
  assertClose(dx, refSoftmaxBackward(y, dy, rows, cols, log), 1e-4, 1e-4, label + ' backward');
  for (const b of new Set([X, O, Y, DY, DX])) gpu.free(b);
}

test('forward and backward on ragged shapes with every row layout', async () => {
  const gpu = await getGpu();
  let seed = 1;
  for (const log of [false, true]) {
    for (const plan of plans) {
      for (const [rows, cols] of shapes) {
        const pl = plan && { ...plan, vw: (cols % 4 === 0 ? plan.vw : 1) as 1 | 4 };
        await one(gpu, rows, cols, log, pl, seed++, false);
      }
    }
    await one(gpu, 130, 64, log, { tpr: 4, wg: 32, vw: 4 }, seed++, false);
  }
});

test('gpu family (forced): default plans on ragged shapes up to a vocabulary row', async () => {
  const gpu = await getGpuFamily();
  let seed = 200;
  for (const log of [false, true]) {
    for (const [rows, cols] of [[1, 1], [5, 3], [33, 200], [3, 2049], [2, 5000], [4, 4093]] as [number, number][]) {
      await one(gpu, rows, cols, log, undefined, seed++, false);
    }
  }
  await one(gpu, 9, 2100, true, undefined, seed++, true);
});

test('in place (out = x, dx = dy)', async () => {
  const gpu = await getGpu();
  await one(gpu, 9, 20, false, undefined, 77, true);
  await one(gpu, 9, 21, true, undefined, 78, true);
});

test('extreme logits stay finite', async () => {
  const gpu = await getGpu();
  const x = new Float32Array([1e30, -1e30, 0, 5, -3e38, -3e38, -3e38, -3e38]);
  const X = upload(gpu, x), O = gpu.alloc(x.byteLength);
  softmax(gpu, { x: X, out: O, rows: 2, cols: 4 });
  const y = await download(gpu, O, 8);
  assertClose(y, [1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25], 1e-6, 0, 'extreme');
});

test.run();
