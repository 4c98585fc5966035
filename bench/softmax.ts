// Softmax over [4096, 1024] (and a vocab-sized row set): ours vs naive vs CPU JS vs tfjs.
import type { Gpu } from '../src/gpu/device.js';
import { softmax } from '../src/kernels/softmax.js';
import { refSoftmax } from '../src/kernels/reference/softmax.js';
import { naiveSoftmax } from './naive.js';
import { gpuTime, time, row, fill, upload, type BenchOpts, type Row } from './harness.js';
import type { Tf } from './peers.js';

export async function benchSoftmax(gpu: Gpu, o: BenchOpts, full: boolean, tf: Tf | null): Promise<Row[]> {
  const rows: Row[] = [];
  const shapes: [number, number][] = full ? [[4096, 1024], [256, 32000]] : [[4096, 1024]];
  for (const [R, C] of shapes) {
    const name = `[${R},${C}]`;
    const bytes = 8 * R * C;
    const x = fill(R * C, 3);
    const X = upload(gpu, x), O = gpu.alloc(R * C * 4);
    rows.push(row('softmax', name, 'ours', await gpuTime(gpu, () => softmax(gpu, { x: X, out: O, rows: R, cols: C }), o), undefined, bytes));
    rows.push(row('softmax', name, 'naive', await gpuTime(gpu, () => naiveSoftmax(gpu, X, O, R, C), o), undefined, bytes));
    rows.push(row('softmax', name, 'cpu-js', await time(() => refSoftmax(x, R, C), { timeMs: 0, iterations: 1 }), undefined, bytes, { note: 'float64 reference' }));
    if (tf) {
      const t = tf.tensor2d(x, [R, C]);
      rows.push(row('softmax', name, 'tfjs-webgpu', await time(async () => { const r = tf.softmax(t); await r.data(); r.dispose(); }, o), undefined, bytes, { note: 'includes readback' }));
      t.dispose();
    }
    gpu.free(X); gpu.free(O);
  }
  return rows;
}
