// Matmul: squares and transformer shapes; ours (autotuned or default variant) vs the naive
// kernel, a CPU JS loop, and tfjs-backend-webgpu when installed.
import type { Gpu } from '../src/gpu/device.js';
import { matmul } from '../src/kernels/matmul.js';
import { matmulConfigFor, configName } from '../src/kernels/autotune.js';
import { naiveMatmul } from './naive.js';
import { gpuTime, time, row, fill, upload, type BenchOpts, type Row } from './harness.js';
import type { Tf } from './peers.js';

export interface MatmulCase { name: string; M: number; N: number; K: number; transB?: boolean }

export function matmulCases(full: boolean): MatmulCase[] {
  const sq = (full ? [256, 512, 1024, 2048] : [256, 512, 1024]).map((n) => ({ name: `square ${n}`, M: n, N: n, K: n }));
  return [
    ...sq,
    // default model (d=512, ffn 4d) at T*B = 512 tokens: the FFN up-projection
    { name: 'ffn-up [512,512]x[512,2048]', M: 512, N: 2048, K: 512 },
    // its backward w.r.t. the input: dY [512,2048] x W^T with W stored [512,2048] -> transB
    { name: 'ffn-up dX [512,2048]x[2048,512]^T', M: 512, N: 512, K: 2048, transB: true },
    // a 0.5B model (d=896, ffn 4864; Qwen2.5-0.5B sizes) at 256 tokens
    ...(full ? [{ name: '0.5B ffn-up [256,896]x[896,4864]', M: 256, N: 4864, K: 896 }] : []),
  ];
}

/** CPU reference: f32 i-k-j loops in plain JS. */
function cpuMatmul(a: Float32Array, b: Float32Array, M: number, N: number, K: number): Float32Array {
  const o = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const av = a[i * K + k];
      const bo = k * N, oo = i * N;
      for (let j = 0; j < N; j++) o[oo + j] += av * b[bo + j];
    }
  }
  return o;
}

export async function benchMatmul(gpu: Gpu, o: BenchOpts, full: boolean, tf: Tf | null): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of matmulCases(full)) {
    const { M, N, K } = c;
    const flops = 2 * M * N * K, bytes = 4 * (M * K + K * N + M * N);
    const a = fill(M * K, 1), b = fill(K * N, 2);
    const A = upload(gpu, a), B = upload(gpu, b), O = gpu.alloc(M * N * 4);
    const cfg = matmulConfigFor(gpu, { M, N, K, transB: c.transB });
    const t = await gpuTime(gpu, () => matmul(gpu, { a: A, b: B, out: O, batch: 1, M, N, K, transB: c.transB }), o);
    rows.push(row('matmul', c.name, 'ours', t, flops, bytes, { note: configName(cfg) }));
    if (!c.transB) {
      const tn = await gpuTime(gpu, () => naiveMatmul(gpu, A, B, O, M, N, K), { ...o, iterations: Math.min(o.iterations, 2) });
      rows.push(row('matmul', c.name, 'naive', tn, flops, bytes));
      if (M * N * K <= 2 ** 27) {
        const tc = await time(() => cpuMatmul(a, b, M, N, K), { timeMs: 0, iterations: 1 });
        rows.push(row('matmul', c.name, 'cpu-js', tc, flops, bytes));
      }
      if (tf) {
        const ta = tf.tensor2d(a, [M, K]), tb = tf.tensor2d(b, [K, N]);
        const tt = await time(async () => {
          const r = tf.matMul(ta, tb);
          await r.data();
          r.dispose();
        }, o);
        rows.push(row('matmul', c.name, 'tfjs-webgpu', tt, flops, bytes, { note: 'includes readback' }));
        ta.dispose(); tb.dispose();
      }
    }
    gpu.free(A); gpu.free(B); gpu.free(O);
  }
  return rows;
}
