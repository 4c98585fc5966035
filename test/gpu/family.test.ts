// The kernel-family switch (src/gpu/family.ts): how a family is chosen, and that forcing the gpu
// family really records different pipelines (so the gpu-family tests cannot silently run the
// lavapipe kernels).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, resolveKernelFamily } from '../../src/gpu/index.js';
import { getGpuFamily, upload } from '../kernels/helpers.js';
import { softmax, rowPlan } from '../../src/kernels/softmax.js';
import { defaultMatmulConfig, adapterKey } from '../../src/kernels/autotune.js';

test('auto follows the adapter type; explicit names win; unknown names are rejected by name', () => {
  assert.is(resolveKernelFamily(undefined, true), 'lavapipe');
  assert.is(resolveKernelFamily('', false), 'gpu');
  assert.is(resolveKernelFamily('auto', true), 'lavapipe');
  assert.is(resolveKernelFamily('AUTO', false), 'gpu');
  assert.is(resolveKernelFamily('gpu', true), 'gpu');
  assert.is(resolveKernelFamily('lavapipe', false), 'lavapipe');
  assert.throws(() => resolveKernelFamily('cuda', false), /BATCODER_KERNELS: unknown kernel family 'cuda'/);
});

test('a forced gpu family on this adapter plans rows, matmul tiles and tuning keys differently', async () => {
  const own = await getGpu();
  const forced = await getGpuFamily();
  assert.is(forced.kernelFamily, 'gpu');
  if (own.kernelFamily === 'gpu') return; // on a real GPU both devices are the gpu family
  assert.is(own.kernelFamily, 'lavapipe');
  assert.is.not(JSON.stringify(rowPlan(own, 512, 32000)), JSON.stringify(rowPlan(forced, 512, 32000)));
  assert.is(rowPlan(forced, 512, 32000).tpr, 256, 'a vocabulary row spreads over a 256-wide workgroup');
  assert.is(defaultMatmulConfig(own).shared, false);
  assert.is(defaultMatmulConfig(forced).shared, true);
  assert.is.not(adapterKey(own), adapterKey(forced));
});

test('the same softmax call compiles different pipelines per family', async () => {
  const own = await getGpu();
  const forced = await getGpuFamily();
  if (own.kernelFamily === 'gpu') return;
  const x = new Float32Array(64 * 1000).map((_, i) => Math.sin(i));
  for (const g of [own, forced]) {
    const X = upload(g, x), O = g.alloc(x.byteLength);
    softmax(g, { x: X, out: O, rows: 64, cols: 1000 });
    await g.sync();
    g.free(X);
    g.free(O);
  }
  const a = own.kernelNames().filter((n) => n.startsWith('softmax'));
  const b = forced.kernelNames().filter((n) => n.startsWith('softmax'));
  assert.ok(a.length === 1 && b.length === 1, `${a} / ${b}`);
  assert.is.not(a[0], b[0]);
});

test('a bad family in the options fails with a clear error', async () => {
  const { Gpu } = await import('../../src/gpu/index.js');
  try {
    await Gpu.create({ kernels: 'fast' as never });
    assert.unreachable('accepted an unknown family');
  } catch (e) {
    assert.match((e as Error).message, /GpuOptions.kernels: unknown kernel family 'fast'/);
  }
});

test.run();
