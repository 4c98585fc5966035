// Norms, AdamW and the gradient norm: memory-bound kernels, reported in GB/s.
import type { Gpu } from '../src/gpu/device.js';
import { rmsNorm, layerNorm, rmsNormBackward } from '../src/kernels/norm.js';
import { adamw } from '../src/kernels/adamw.js';
import { globalNorm } from '../src/kernels/gradnorm.js';
import { gpuTime, row, fill, upload, type BenchOpts, type Row } from './harness.js';

export async function benchMisc(gpu: Gpu, o: BenchOpts): Promise<Row[]> {
  const rows: Row[] = [];
  const R = 4096, C = 1024;
  const X = upload(gpu, fill(R * C, 9)), W = upload(gpu, fill(C, 10)), Y = gpu.alloc(R * C * 4), RS = gpu.alloc(R * 4), MU = gpu.alloc(R * 4), DX = gpu.alloc(R * C * 4), DW = gpu.alloc(C * 4);
  rows.push(row('norm', `[${R},${C}]`, 'rmsnorm fwd', await gpuTime(gpu, () => rmsNorm(gpu, { x: X, weight: W, out: Y, rstd: RS, rows: R, cols: C }), o), undefined, 8 * R * C));
  rows.push(row('norm', `[${R},${C}]`, 'layernorm fwd', await gpuTime(gpu, () => layerNorm(gpu, { x: X, weight: W, bias: W, out: Y, rstd: RS, mean: MU, rows: R, cols: C }), o), undefined, 8 * R * C));
  rows.push(row('norm', `[${R},${C}]`, 'rmsnorm bwd (dx, dw)', await gpuTime(gpu, () => rmsNormBackward(gpu, { x: X, weight: W, rstd: RS, dy: Y, dx: DX, dweight: DW, rows: R, cols: C }), o), undefined, 20 * R * C));
  for (const b of [X, W, Y, RS, MU, DX, DW]) gpu.free(b);
  const n = 8 * 2 ** 20;
  const P = upload(gpu, fill(n, 11)), G = upload(gpu, fill(n, 12)), M = upload(gpu, new Float32Array(n)), V = upload(gpu, new Float32Array(n)), NRM = gpu.alloc(4);
  rows.push(row('optim', `${n / 2 ** 20}M params`, 'grad norm', await gpuTime(gpu, () => globalNorm(gpu, [{ buffer: G, n }], NRM), o), undefined, 4 * n));
  rows.push(row('optim', `${n / 2 ** 20}M params`, 'adamw (clipped)', await gpuTime(gpu, () => adamw(gpu, { param: P, grad: G, m: M, v: V, n }, { lr: 1e-3, step: 3, weightDecay: 0.1, gradNorm: NRM, maxNorm: 1 }), o), undefined, 28 * n));
  for (const b of [P, G, M, V, NRM]) gpu.free(b);
  return rows;
}
