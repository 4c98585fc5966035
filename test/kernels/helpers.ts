// Shared helpers for kernel tests: seeded randomness, buffer upload/download, tolerances.
import * as assert from 'uvu/assert';
import { getGpu, Gpu } from '../../src/gpu/index.js';

// Tests never depend on an autotune cache left on the machine.
process.env.BATCODER_AUTOTUNE = 'off';

export { getGpu };
export { Gpu };

/** mulberry32: small, fast, seeded (the same generator as the tensor references). */
export { seededRandom as rng } from '../../src/tensor/reference.js';

export function randn(r: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(r(), 1e-12), v = r();
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export function upload(gpu: Gpu, data: Float32Array | Int32Array | Uint32Array, minElems = 0): GPUBuffer {
  const buf = gpu.alloc(Math.max(data.byteLength, minElems * 4, 4));
  if (data.byteLength) gpu.write(buf, data);
  return buf;
}

export async function download(gpu: Gpu, buf: GPUBuffer, n: number, offset = 0): Promise<Float32Array> {
  return new Float32Array(await gpu.read(buf, offset * 4, n * 4));
}

/** |got - want| <= atol + rtol * |want| elementwise; the message names the first offender. */
export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, label: string): void {
  assert.is(got.length, want.length, `${label}: length`);
  let worst = -1, worstErr = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    const tol = atol + rtol * Math.abs(want[i]);
    if (!(err <= tol)) {
      if (worst < 0 || err - tol > worstErr) { worst = i; worstErr = err - tol; }
    }
  }
  if (worst >= 0) {
    assert.unreachable(`${label}: element ${worst} got ${got[worst]} want ${want[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

/**
 * A second device on the same adapter with the gpu kernel family forced (src/gpu/family.ts), so
 * the GPU-shaped kernels are checked on lavapipe too. Destroyed when the process would exit.
 */
let gpuFamilyDevice: Promise<Gpu> | null = null;
export function getGpuFamily(): Promise<Gpu> {
  gpuFamilyDevice ??= Gpu.create({ kernels: 'gpu' }).then((g) => {
    process.once('beforeExit', () => g.destroy());
    return g;
  });
  return gpuFamilyDevice;
}

/** Both families: the shared device (its own family) and, when that is not already gpu, the forced gpu family. */
export async function bothFamilies(): Promise<Gpu[]> {
  const own = await getGpu();
  return own.kernelFamily === 'gpu' ? [own] : [own, await getGpuFamily()];
}
