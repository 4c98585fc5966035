// Dispatch overhead on the current adapter: microseconds per tiny dispatch, unbatched
// (one dispatch, submit, wait) and batched (N dispatches in one submission, then wait),
// plus the overhead of one small tensor op (fusion bookkeeping + dispatch + realise), and
// where a recorded dispatch's CPU time goes: each WebGPU call of Gpu.dispatch timed alone
// over many repetitions (bind-group layout lookup, bind-group creation, pass encoding).
// Run: node dist/bench/dispatch.js
import { Bench } from 'tinybench';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import * as T from '../src/tensor/index.js';

export async function benchDispatch(): Promise<Record<string, number>> {
  const gpu = await getGpu();
  const k = await gpu.compile({
    name: 'tiny',
    code: '@group(0) @binding(0) var<storage, read_write> a: array<f32>; @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) { if (g.x < 64u) { a[g.x] = a[g.x] + 1.0; } }',
    storageBindings: 1,
  });
  const buf = gpu.alloc(256);
  const BATCH = 200;
  const x = T.tensor(gpu, new Float32Array(64), [64]);
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add('1 dispatch + submit + wait', async () => {
      gpu.dispatch(k, [buf], [1]);
      await gpu.sync();
    })
    .add(`${BATCH} dispatches, 1 submit + wait`, async () => {
      for (let i = 0; i < BATCH; i++) gpu.dispatch(k, [buf], [1]);
      await gpu.sync();
    })
    .add('small tensor op (x * 2 + 1, realised) + wait', async () => {
      const y = T.add(T.mul(x, 2), 1).realise();
      await gpu.sync();
      y.dispose();
    })
    .add(`${BATCH} small tensor ops, 1 wait`, async () => {
      const ys: T.Tensor[] = [];
      for (let i = 0; i < BATCH; i++) ys.push(T.add(T.mul(x, 2), 1).realise());
      await gpu.sync();
      for (const y of ys) y.dispose();
    });
  await bench.run();
  // the parts of one recorded dispatch, in microseconds each (N calls, then one submit)
  const N = 2000;
  const time = (fn: () => void): number => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) fn();
    return ((performance.now() - t0) * 1000) / N;
  };
  const dev = gpu.device;
  const layout = k.pipeline.getBindGroupLayout(0);
  const parts: Record<string, number> = {};
  parts['part: getBindGroupLayout(0)'] = time(() => k.pipeline.getBindGroupLayout(0));
  parts['part: createBindGroup (1 buffer)'] = time(() => dev.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: buf } }] }));
  const group = dev.createBindGroup({ layout, entries: [{ binding: 0, resource: { buffer: buf } }] });
  const enc = dev.createCommandEncoder();
  const pass = enc.beginComputePass();
  parts['part: setPipeline + setBindGroup + dispatchWorkgroups'] = time(() => {
    pass.setPipeline(k.pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
  });
  pass.end();
  dev.queue.submit([enc.finish()]);
  await gpu.sync();
  parts['part: Gpu.dispatch (whole, recorded only)'] = time(() => gpu.dispatch(k, [buf], [1]));
  await gpu.sync();
  const out: Record<string, number> = {};
  for (const t of bench.tasks) {
    const ms = t.result?.latency?.mean ?? (t.result as unknown as { mean: number })?.mean ?? NaN;
    const per = t.name.startsWith(String(BATCH)) ? ms / BATCH : ms;
    out[t.name] = per * 1000;
  }
  gpu.free(buf);
  return { ...out, ...parts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const gpu = await getGpu();
  console.log(`adapter: ${gpu.info.vendor} ${gpu.info.device} (${gpu.info.description})`);
  const r = await benchDispatch();
  for (const [name, us] of Object.entries(r)) console.log(`${name.padEnd(48)} ${us.toFixed(1).padStart(8)} us per dispatch/op`);
  releaseGpu();
}
