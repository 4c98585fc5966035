// Fused causal attention vs the unfused composition (batched matmul QK^T -> softmax -> matmul
// PV, which materialises the [T, T] scores per head), forward, plus extra memory of each.
import type { Gpu } from '../src/gpu/device.js';
import { attentionKernels } from '../src/kernels/flash-attention.js';
import { matmul } from '../src/kernels/matmul.js';
import { softmax } from '../src/kernels/softmax.js';
import { gpuTime, row, fill, upload, type BenchOpts, type Row } from './harness.js';

export async function benchAttention(gpu: Gpu, o: BenchOpts, full: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const B = 1, H = 4, D = 64;
  // this device's family: lavapipe-shaped kernels, or flash attention on the gpu family
  const { forward: attention, backward: attentionBackward } = attentionKernels(gpu);
  for (const T of full ? [128, 256, 512, 1024, 2048] : [128, 512, 1024]) {
    const name = `B${B} H${H} T${T} D${D}`;
    const n = B * H * T * D;
    const Q = upload(gpu, fill(n, 5)), K = upload(gpu, fill(n, 6)), V = upload(gpu, fill(n, 7)), O = gpu.alloc(n * 4);
    const causalFlops = 4 * B * H * D * (T * (T + 1)) / 2;
    // fused: the only temporary is lse [B, H, T]
    let fusedPeak = 0;
    const tf = await gpuTime(gpu, () => {
      const before = gpu.memory().storage.inUseBytes;
      const lse = gpu.alloc(B * H * T * 4);
      fusedPeak = gpu.memory().storage.inUseBytes - before;
      attention(gpu, { q: Q, k: K, v: V, out: O, lse, B, Hq: H, Hkv: H, Tq: T, D });
      gpu.free(lse);
    }, o);
    rows.push(row('attention', name, 'fused fwd', tf, causalFlops, undefined, { peakBytes: fusedPeak }));
    // unfused: scores [B*H, T, T] (computed in full; the causal mask would add another pass)
    let unfusedPeak = 0;
    const tu = await gpuTime(gpu, () => {
      const before = gpu.memory().storage.inUseBytes;
      const S = gpu.alloc(B * H * T * T * 4);
      unfusedPeak = gpu.memory().storage.inUseBytes - before;
      matmul(gpu, { a: Q, b: K, out: S, batch: B * H, M: T, N: T, K: D, transB: true, alpha: 1 / Math.sqrt(D), aBatchStride: T * D, bBatchStride: T * D });
      softmax(gpu, { x: S, out: S, rows: B * H * T, cols: T });
      matmul(gpu, { a: S, b: V, out: O, batch: B * H, M: T, N: D, K: T, aBatchStride: T * T, bBatchStride: T * D });
      gpu.free(S);
    }, o);
    rows.push(row('attention', name, 'unfused fwd', tu, causalFlops, undefined, { peakBytes: unfusedPeak, note: 'no mask: full T x T' }));
    rows[rows.length - 2].vsUnfused = Math.round((tu.ms / tf.ms) * 1000) / 1000;
    if (T <= 1024 || full) {
      const LSE = gpu.alloc(B * H * T * 4), DO = upload(gpu, fill(n, 8)), DQ = gpu.alloc(n * 4), DK = gpu.alloc(n * 4), DV = gpu.alloc(n * 4);
      attention(gpu, { q: Q, k: K, v: V, out: O, lse: LSE, B, Hq: H, Hkv: H, Tq: T, D });
      const tb = await gpuTime(gpu, () => attentionBackward(gpu, { q: Q, k: K, v: V, out: O, lse: LSE, dout: DO, dq: DQ, dk: DK, dv: DV, B, Hq: H, Hkv: H, Tq: T, D }), { ...o, iterations: Math.min(o.iterations, 2) });
      rows.push(row('attention', name, 'fused bwd', tb, 2.5 * causalFlops));
      for (const b of [LSE, DO, DQ, DK, DV]) gpu.free(b);
    }
    for (const b of [Q, K, V, O]) gpu.free(b);
  }
  return rows;
}
