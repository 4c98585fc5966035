// How the engine waits for the GPU (src/gpu/wait.ts): Dawn's busy poll ('spin') vs a
// 1 ms timer after the first poll ('sleep'), on the work the trainer does:
//   step     the tiny preset's training step (forward + token log-prob loss + backward), B8 x T128
//   decode   greedy generation with the tiny preset, B4, 64 new tokens (a readback per token)
//   readback 8 chained 256x256 matmuls, then a scalar read, x 20
// Each mode runs in its own process (BATCODER_GPU_WAIT), alternated spin, sleep, spin, sleep,
// so both see the same machine; per task the median wall time of its repetitions and the
// process CPU time (all threads: the main thread's spin and the shader threads' work).
// Run: node dist/bench/gpu-wait.js [--rounds N] [--quick]   (the parent; a child runs --child)
// --quick: 2 / 1 / 1 repetitions instead of 5 / 3 / 3 (the device script's local dry run)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { getGpu, releaseGpu } from '../src/gpu/index.js';
import { PRESETS } from '../src/nn/config.js';
import { Transformer } from '../src/nn/model.js';
import { generate } from '../src/sample/index.js';
import * as T from '../src/tensor/index.js';

interface TaskResult {
  ms: number;
  cpuMs: number;
}

async function timed(name: string, iterations: number, fn: () => Promise<void>): Promise<TaskResult> {
  await fn(); // compile + first-touch memory
  const bench = new Bench({ iterations, time: 0, warmup: false, throws: true });
  let cpu = 0;
  bench.add(name, async () => {
    const c0 = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c0);
    cpu += (d.user + d.system) / 1000;
  });
  await bench.run();
  const r = bench.tasks[0].result as unknown as { latency: { p50?: number; min: number; samples: number[] } };
  return { ms: r.latency.p50 ?? r.latency.min, cpuMs: cpu / r.latency.samples.length };
}

const QUICK = process.argv.includes('--quick');

async function child(): Promise<{ mode: string; step: TaskResult; decode: TaskResult; readback: TaskResult }> {
  const gpu = await getGpu();
  const model = Transformer.init(gpu, PRESETS.tiny, 0);
  const V = model.config.vocab_size;
  const B = 8;
  const Tn = 128;
  const ids = Int32Array.from({ length: B * Tn }, (_, i) => (i * 7919 + 13) % V);
  const targets = T.tensor(gpu, Int32Array.from({ length: B * Tn }, (_, i) => ((i + 1) * 7919 + 13) % V), [B, Tn], 'i32');
  model.setRequiresGrad(true);
  const step = await timed('step', QUICK ? 2 : 5, async () => {
    const l = T.tidy(() => {
      const out = T.mul(T.sum(T.tokenLogProbFused(model.forward(ids, B, Tn), targets)), -1 / (B * Tn));
      out.backward();
      return out;
    });
    await l.item();
    l.dispose();
    for (const p of model.parameters()) if (p.grad) { p.grad.dispose(); p.grad = null; }
  });
  model.setRequiresGrad(false);
  const prompts = Array.from({ length: 4 }, (_, r) => Array.from({ length: 16 }, (_, i) => (r * 31 + i * 7 + 1) % V));
  const decode = await timed('decode', QUICK ? 1 : 3, async () => {
    await generate(model, prompts, { maxNewTokens: 64, greedy: true });
  });
  const a = T.randn(gpu, [256, 256]);
  const b = T.randn(gpu, [256, 256]);
  const readback = await timed('readback', QUICK ? 1 : 3, async () => {
    for (let i = 0; i < 20; i++) {
      const s = T.tidy(() => {
        let x = a;
        for (let j = 0; j < 8; j++) x = T.mul(T.matmul(x, b), 1 / 16);
        return T.sum(x);
      });
      await s.item();
      s.dispose();
    }
  });
  model.dispose();
  return { mode: gpu.waitMode, step, decode, readback };
}

if (process.argv.includes('--child')) {
  const r = await child();
  console.log(JSON.stringify(r));
  releaseGpu();
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const ri = process.argv.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(process.argv[ri + 1]) : 2;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a positive integer, got '${process.argv[ri + 1]}'`);
  const me = fileURLToPath(import.meta.url);
  const runs: Record<string, Record<string, TaskResult>[]> = { spin: [], sleep: [] }; // mode -> rounds -> task -> result
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['spin', 'sleep']) {
      const p = spawnSync(process.execPath, [me, '--child', ...(QUICK ? ['--quick'] : [])], { encoding: 'utf8', env: { ...process.env, BATCODER_GPU_WAIT: mode } });
      const line = p.stdout.trim().split('\n').pop() ?? '';
      if (p.status !== 0 || !line.startsWith('{')) throw new Error(`gpu-wait child (${mode}) failed, status ${p.status}:\n${p.stderr}`);
      const res = JSON.parse(line);
      if (res.mode !== mode) throw new Error(`child ran in mode ${res.mode}, asked for ${mode}`);
      runs[mode].push(res);
      console.error(`round ${r + 1} ${mode} done (load ${loadavg()[0].toFixed(1)})`);
    }
  }
  const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  console.log(`| task | spin: wall ms | sleep: wall ms | spin / sleep (wall) | spin: CPU ms | sleep: CPU ms |\n|---|---|---|---|---|---|`);
  for (const task of ['step', 'decode', 'readback']) {
    const s = runs.spin.map((x) => x[task]);
    const q = runs.sleep.map((x) => x[task]);
    const ratio = s.map((x, i) => (x.ms / q[i].ms).toFixed(2)).join(' / ');
    console.log(`| ${task} | ${f(s.map((x) => x.ms))} | ${f(q.map((x) => x.ms))} | ${ratio} | ${f(s.map((x) => x.cpuMs))} | ${f(q.map((x) => x.cpuMs))} |`);
  }
  console.log(`(${rounds} rounds, each mode its own process, alternated; load average at the end ${loadavg()[0].toFixed(1)})`);
}
