// Waiting for the GPU (src/gpu/wait.ts): how the mode is chosen, that 'sleep' really stops
// Dawn's busy poll (the global setImmediate is called about once per wait instead of
// thousands of times), that both modes read the same bytes, and that the swap is undone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Gpu, resolveWaitMode } from '../../src/gpu/index.js';
import { awaitGpu } from '../../src/gpu/wait.js';
import * as T from '../../src/tensor/index.js';

test('auto sleeps on software adapters and spins on hardware; explicit names win; unknown names are rejected by name', () => {
  assert.is(resolveWaitMode(undefined, true), 'sleep');
  assert.is(resolveWaitMode('', false), 'spin');
  assert.is(resolveWaitMode('AUTO', true), 'sleep');
  assert.is(resolveWaitMode('spin', true), 'spin');
  assert.is(resolveWaitMode('sleep', false), 'sleep');
  assert.throws(() => resolveWaitMode('poll', true), /BATCODER_GPU_WAIT: unknown GPU wait mode 'poll'/);
  assert.throws(() => resolveWaitMode('x', true, 'GpuOptions.wait'), /GpuOptions\.wait/);
});

/**
 * A read that waits for 6 chained n x n matmuls, counting the global setImmediate's calls:
 * n = 384 on a software adapter (~10^8 multiply-adds, tens of ms on lavapipe), n = 2048 on
 * hardware (~5 * 10^10: milliseconds on an H200, where 384 took so few microseconds that Dawn's
 * loop turned only 13 times, measured).
 */
async function countedRead(gpu: Gpu): Promise<{ calls: number; value: number }> {
  T.manualSeed(7);
  const n = gpu.info.software ? 384 : 2048;
  const a = T.randn(gpu, [n, n]);
  const s = T.tidy(() => {
    let x = a;
    for (let j = 0; j < 6; j++) x = T.mul(T.matmul(x, a), 1 / Math.sqrt(n));
    return T.sum(x);
  });
  const real = globalThis.setImmediate;
  let calls = 0;
  globalThis.setImmediate = ((fn: (...args: unknown[]) => void, ...args: unknown[]) => {
    calls++;
    return real(fn, ...args);
  }) as typeof setImmediate;
  let value: number;
  try {
    value = await s.item();
  } finally {
    assert.ok(globalThis.setImmediate !== real, 'the counting wrapper is back in place after the wait');
    globalThis.setImmediate = real;
  }
  s.dispose();
  a.dispose();
  return { calls, value };
}

test("'sleep' polls about once per wait where Dawn's own loop spins; both read the same value", async () => {
  const spin = await Gpu.create({ wait: 'spin' });
  const sleep = await Gpu.create({ wait: 'sleep' });
  assert.is(spin.waitMode, 'spin');
  assert.is(sleep.waitMode, 'sleep');
  await countedRead(spin); // compile
  await countedRead(sleep);
  const a = await countedRead(spin);
  const b = await countedRead(sleep);
  console.log(`setImmediate calls during one read: spin ${a.calls}, sleep ${b.calls}`);
  assert.ok(a.calls >= 20, `spin: ${a.calls} calls`);
  assert.ok(b.calls <= 2, `sleep: ${b.calls} calls`);
  assert.is(a.value, b.value);
  spin.destroy();
  sleep.destroy();
});

test('the swap is undone after overlapping waits, and an immediate made inside the window can be cleared', async () => {
  const set = globalThis.setImmediate;
  const clear = globalThis.clearImmediate;
  let fired = 0;
  let inner!: Promise<void>;
  await awaitGpu('sleep', async () => {
    assert.ok(globalThis.setImmediate !== set, 'swapped inside the window');
    inner = awaitGpu('sleep', () => new Promise<void>((r) => setTimeout(r, 5)));
    globalThis.setImmediate(() => fired++); // poll 0: the real setImmediate
    const h = globalThis.setImmediate(() => fired++); // a timer
    globalThis.clearImmediate(h);
  });
  assert.ok(globalThis.setImmediate !== set, 'the inner wait still holds the window');
  await inner;
  assert.is(globalThis.setImmediate, set);
  assert.is(globalThis.clearImmediate, clear);
  await new Promise((r) => setTimeout(r, 10));
  assert.is(fired, 1, 'the cleared one never ran');
  // a throwing wait restores too
  await awaitGpu('sleep', async () => {
    throw new Error('boom');
  }).catch(() => {});
  assert.is(globalThis.setImmediate, set);
});

test.run();
