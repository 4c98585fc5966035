// `batcoder bench --tune`: autotune matmul on this adapter over a few representative
// shapes (square, wide, and both transposed layouts of the backward pass) and cache the
// choice (src/kernels/autotune.ts says where and how it is keyed).
import type { Gpu } from '../src/gpu/index.js';
import { tuneMatmul, cacheFile, configName } from '../src/kernels/autotune.js';
import { matmul } from '../src/kernels/matmul.js';

export { cacheFile as tuneCacheFile };

const SHAPES = [
  { M: 1024, N: 1024, K: 1024 },
  { M: 512, N: 2048, K: 512 },
  { M: 512, N: 512, K: 2048, transB: true },
  { M: 512, N: 512, K: 2048, transA: true },
  { M: 64, N: 64, K: 64 },
];

/** Tune every shape class (up to `budgetMsPerShape` each, a minute by default), print the choices to stderr. */
export async function tuneMatmulForAdapter(gpu: Gpu, budgetMsPerShape = 60_000): Promise<void> {
  const bufs = new Map<number, GPUBuffer>();
  const buf = (n: number) => {
    if (!bufs.has(n)) bufs.set(n, gpu.alloc(n * 4));
    return bufs.get(n)!;
  };
  try {
    const res = await tuneMatmul(gpu, SHAPES, (s, c) => {
      const [A, B, O] = [buf(s.M * s.K), buf(s.K * s.N + 1), buf(s.M * s.N + 2)];
      matmul(gpu, { a: A, b: B, out: O, batch: 1, M: s.M, N: s.N, K: s.K, transA: s.transA, transB: s.transB, config: c });
    }, { budgetMsPerShape });
    for (const r of res) console.error(`tuned ${r.shapeClass}: ${configName(r.best)} (${r.ms.toFixed(2)} ms; ${r.tried.length} tried)`);
  } finally {
    for (const b of bufs.values()) gpu.free(b);
  }
}
