// The cheap dispatch path (docs/gpu.md "Dispatch costs"): a recurring op finds its kernel by a
// short key without regenerating the shader, and a step that allocates the same sizes in the
// same order as the step before gets the same pooled buffers, so its bind groups are found
// in the device's cache instead of made anew.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, STORAGE_USAGE, type KernelSpec } from '../../src/gpu/index.js';
import { BufferPool } from '../../src/gpu/pool.js';

test('the pool hands out the free buffer created first, whatever order buffers were freed in', async () => {
  const gpu = await getGpu();
  const pool = new BufferPool(gpu.device, STORAGE_USAGE, 'test');
  const [a, b, c] = [pool.acquire(1000), pool.acquire(1000), pool.acquire(1000)];
  pool.release(b);
  pool.release(c);
  pool.release(a);
  assert.is(pool.acquire(1000), a, 'first: the oldest buffer');
  assert.is(pool.acquire(1000), b, 'then the next oldest');
  pool.release(a);
  assert.is(pool.acquire(1000), a, 'a buffer freed again comes back before younger ones');
  assert.is(pool.acquire(1000), c);
  assert.is(pool.snapshot().liveBuffers, 3, 'nothing new was created');
  pool.release(a); pool.release(b); pool.release(c);
  pool.trim();
});

test('kernelFor runs the generator once per key and gives the same pipeline back', async () => {
  const gpu = await getGpu();
  let made = 0;
  const make = (c: number) => (): KernelSpec => {
    made++;
    return {
      name: `kernel_for_${c}`,
      code: `@group(0) @binding(0) var<storage, read_write> a: array<f32>; @compute @workgroup_size(1) fn main() { a[0] = ${c}.0; }`,
      storageBindings: 1,
    };
  };
  const k1 = gpu.kernelFor('kernel-for-test|1', make(1));
  const again = gpu.kernelFor('kernel-for-test|1', make(1));
  assert.is(again, k1, 'same key: same kernel');
  assert.is(made, 1, 'the generator ran once');
  const k2 = gpu.kernelFor('kernel-for-test|2', make(2));
  assert.is.not(k2, k1);
  assert.is(made, 2);
  const buf = gpu.alloc(16);
  gpu.dispatch(k2, [buf], [1]);
  assert.equal(Array.from(new Float32Array(await gpu.read(buf, 0, 4))), [2]);
  gpu.free(buf);
});

test('a kernelFor key whose shader failed to compile is made again, not served from the cache', async () => {
  const gpu = await getGpu();
  let made = 0;
  const broken = (): KernelSpec => { made++; return { name: 'kernel_for_broken', code: 'fn main( {', storageBindings: 0 }; };
  gpu.kernelFor('kernel-for-test|broken', broken);
  try {
    await gpu.sync();
    assert.unreachable('sync should have thrown');
  } catch (e) {
    assert.match((e as Error).message, /kernel_for_broken/);
  }
  gpu.kernelFor('kernel-for-test|broken', broken);
  assert.is(made, 2, 'the failed entry was dropped');
  await gpu.sync().catch(() => undefined);
});

test.run();
