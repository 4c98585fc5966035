// Fused log-prob at vocab 32k vs log-softmax + gather (ours, and the naive kernel), and tfjs.
import type { Gpu } from '../src/gpu/device.js';
import { logprob } from '../src/kernels/logprob.js';
import { softmax } from '../src/kernels/softmax.js';
import { naiveSoftmax, gatherRows } from './naive.js';
import { gpuTime, time, row, fill, upload, type BenchOpts, type Row } from './harness.js';
import type { Tf } from './peers.js';

export async function benchLogprob(gpu: Gpu, o: BenchOpts, full: boolean, tf: Tf | null): Promise<Row[]> {
  const rows: Row[] = [];
  const V = 32000;
  for (const R of full ? [128, 512] : [256]) {
    const name = `[${R},${V}]`;
    const x = fill(R * V, 4);
    const t = Int32Array.from({ length: R }, (_, i) => (i * 7919) % V);
    const X = upload(gpu, x), T = upload(gpu, t), LP = gpu.alloc(R * 4), LSE = gpu.alloc(R * 4), ENT = gpu.alloc(R * 4), LS = gpu.alloc(R * V * 4);
    const bytes = 4 * R * V;
    rows.push(row('logprob', name, 'ours', await gpuTime(gpu, () => logprob(gpu, { logits: X, targets: T, logp: LP, lse: LSE, rows: R, vocab: V }), o), undefined, bytes));
    rows.push(row('logprob', name, 'ours+entropy', await gpuTime(gpu, () => logprob(gpu, { logits: X, targets: T, logp: LP, lse: LSE, entropy: ENT, rows: R, vocab: V }), o), undefined, bytes));
    rows.push(row('logprob', name, 'logsoftmax+gather', await gpuTime(gpu, () => { softmax(gpu, { x: X, out: LS, rows: R, cols: V, log: true }); gatherRows(gpu, LS, T, LP, R, V); }, o), undefined, bytes, { note: 'our log-softmax kernel' }));
    rows.push(row('logprob', name, 'naive', await gpuTime(gpu, () => { naiveSoftmax(gpu, X, LS, R, V, true); gatherRows(gpu, LS, T, LP, R, V); }, o), undefined, bytes, { note: 'naive log-softmax + gather' }));
    if (tf) {
      const tx = tf.tensor2d(x, [R, V]), tt = tf.tensor1d(t, 'int32');
      const tfT = await time(async () => {
        const r = tf.tidy(() => tf.gather(tf.reshape(tf.logSoftmax(tx), [R, V]), tf.reshape(tt, [R, 1]) as never, 1, 1));
        await r.data();
        r.dispose();
      }, o);
      rows.push(row('logprob', name, 'tfjs-webgpu', tfT, undefined, bytes, { note: 'logSoftmax + gather, includes readback' }));
      tx.dispose(); tt.dispose();
    }
    for (const b of [X, T, LP, LSE, ENT, LS]) gpu.free(b);
  }
  return rows;
}
