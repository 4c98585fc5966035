// A tiny end-to-end check of the device: compile a shader from shaders/, upload,
// dispatch with uniforms and workgroup memory, read back, compare with the CPU.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shaderDir } from '../util/paths.js';
import type { Gpu } from './device.js';

export interface SelfCheckResult {
  ok: boolean;
  maxError: number;
  n: number;
  ms: number;
}

export async function selfCheck(gpu: Gpu, n = 100_003): Promise<SelfCheckResult> {
  const t0 = performance.now();
  const code = readFileSync(join(shaderDir(), 'selfcheck.wgsl'), 'utf8');
  const k = await gpu.compile({ name: 'selfcheck', code, storageBindings: 3, uniforms: true });
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37);
  const a = 1.5, b = -0.25;
  const wgs = Math.ceil(n / 64);
  const xb = gpu.alloc(n * 4), yb = gpu.alloc(n * 4), pb = gpu.alloc(wgs * 4);
  gpu.write(xb, x);
  const params = new ArrayBuffer(16);
  new Uint32Array(params, 0, 1)[0] = n;
  new Float32Array(params, 4, 2).set([a, b]);
  gpu.dispatch(k, [xb, yb, pb], [wgs], new Uint8Array(params));
  const y = new Float32Array(await gpu.read(yb, 0, n * 4));
  const part = new Float32Array(await gpu.read(pb, 0, wgs * 4));
  let maxError = 0;
  let sum = 0, gsum = 0;
  for (let i = 0; i < n; i++) {
    const want = a * x[i] + b;
    maxError = Math.max(maxError, Math.abs(y[i] - want));
    sum += want;
  }
  for (const v of part) gsum += v;
  maxError = Math.max(maxError, Math.abs(gsum - sum) / Math.max(1, Math.abs(sum)));
  gpu.free(xb); gpu.free(yb); gpu.free(pb);
  return { ok: maxError < 1e-4, maxError, n, ms: performance.now() - t0 };
}
