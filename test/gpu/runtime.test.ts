import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { getGpu, ShaderError } from '../../src/gpu/index.js';
import { selfCheck } from '../../src/gpu/selfcheck.js';
import { repoRoot } from '../../src/util/paths.js';

test('the self-check kernel runs and verifies', async () => {
  const gpu = await getGpu();
  const r = await selfCheck(gpu, 12_345);
  assert.ok(r.ok, `max error ${r.maxError}`);
});

test('bind groups are cached by buffers; uniforms ride dynamic offsets (one submit, distinct values)', async () => {
  const gpu = await getGpu();
  const k = await gpu.compile({
    name: 'add_uniform',
    code: `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
struct P { c: f32, n: u32, _a: u32, _b: u32 }
@group(0) @binding(2) var<uniform> p: P;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { if (g.x < p.n) { y[g.x] = y[g.x] + x[g.x] * p.c; } }`,
    storageBindings: 2,
    uniforms: true,
  });
  const n = 70;
  const x = gpu.alloc(n * 4), y = gpu.alloc(n * 4);
  gpu.write(x, Float32Array.from({ length: n }, (_, i) => i));
  gpu.write(y, new Float32Array(n));
  const u = (c: number) => { const b = new ArrayBuffer(16); new Float32Array(b)[0] = c; new Uint32Array(b)[1] = n; return new Uint8Array(b); };
  const groups0 = gpu.counters.bindGroups;
  for (const c of [1, 2, 4, 8]) gpu.dispatch(k, [x, y], [2], u(c));
  assert.is(gpu.counters.bindGroups - groups0, 1, 'one bind group for four dispatches over the same buffers');
  const got = new Float32Array(await gpu.read(y, 0, n * 4));
  for (let i = 0; i < n; i++) assert.is(got[i], i * 15, `y[${i}]`);
  gpu.dispatch(k, [y, x], [2], u(1));
  assert.is(gpu.counters.bindGroups - groups0, 2, 'other buffers: a new group');
  await gpu.sync();
  gpu.free(x);
  gpu.free(y);
});

test('a WGSL syntax error is thrown as ShaderError naming the shader', async () => {
  const gpu = await getGpu();
  const code = '@compute @workgroup_size(1) fn main() { let x = ; }';
  try {
    await gpu.compile({ name: 'broken_kernel', code, storageBindings: 0 });
    assert.unreachable('compile should have thrown');
  } catch (e) {
    assert.instance(e, ShaderError);
    assert.match((e as Error).message, /broken_kernel/);
    assert.match((e as Error).message, /broken_kernel:1:\d+/);
  }
});

test('an error from the synchronous kernel() path surfaces at the next sync()', async () => {
  const gpu = await getGpu();
  gpu.kernel({ name: 'also_broken', code: 'fn main( {', storageBindings: 0 });
  try {
    await gpu.sync();
    assert.unreachable('sync should have thrown');
  } catch (e) {
    assert.match((e as Error).message, /also_broken/);
  }
  await gpu.sync(); // and the device is still usable afterwards
});

test('wrong binding count is a clear error', async () => {
  const gpu = await getGpu();
  const k = await gpu.compile({
    name: 'copy1',
    code: '@group(0) @binding(0) var<storage, read> a: array<f32>; @group(0) @binding(1) var<storage, read_write> b: array<f32>; @compute @workgroup_size(1) fn main() { b[0] = a[0]; }',
    storageBindings: 2,
  });
  const buf = gpu.alloc(16);
  assert.throws(() => gpu.dispatch(k, [buf], [1]), /takes 2 storage buffers, got 1/);
  gpu.free(buf);
});

test('pool reuses buffers of the same size class; write/read round trip', async () => {
  const gpu = await getGpu();
  const a = gpu.alloc(1000);
  gpu.free(a);
  const b = gpu.alloc(1001);
  assert.is(a, b, 'same size class reuses the buffer');
  const data = Float32Array.from({ length: 250 }, (_, i) => i * 0.5);
  gpu.write(b, data);
  const back = new Float32Array(await gpu.read(b, 4 * 10, 4 * 5));
  assert.equal(Array.from(back), [5, 5.5, 6, 6.5, 7]);
  gpu.free(b);
});

test('a script that uses the device exits by itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batcoder-exit-'));
  const script = join(dir, 'script.mjs');
  const gpuIndex = join(repoRoot(), 'dist', 'src', 'gpu', 'index.js');
  const tensorIndex = join(repoRoot(), 'dist', 'src', 'tensor', 'index.js');
  writeFileSync(script, `
import { getGpu } from ${JSON.stringify(gpuIndex)};
import * as T from ${JSON.stringify(tensorIndex)};
const gpu = await getGpu();
const x = T.tensor(gpu, [1, 2, 3], [3]);
console.log('sum', await T.sum(T.mul(x, 2)).item());
`);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.signal, null, 'killed by the timeout: the process did not exit by itself');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /sum 12/);
});

test.run();
