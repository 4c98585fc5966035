// Load test of `batcoder serve` on 127.0.0.1 (issue 17): N similarity pairs sent as requests of
// `--batch` pairs (a group of K rollouts of one code), `--concurrency` requests in flight.
//
//   node dist/bench/serve-load.js [--pairs 20000] [--concurrency 64] [--batch 8] [--workers N]
//
// The server runs as its own process (the CLI, `batcoder serve --port 0`), so its peak RSS is
// measured apart from this client: VmHWM of /proc/<pid>/status of the server and of each of its
// scoring processes, summed (an upper bound of the peak of the sum). Pairs come from the built-in task suite: each original with its other
// implementations and other tasks' code in the same language (mostly distinct pairs, so the
// score cache does not answer them). Reports throughput (pairs/s), request latency p50/p99,
// peak RSS, errors, cache hits, and whether SIGTERM stopped the server with exit code 0.
// Bounded: exactly ceil(pairs / batch) requests, each with a 180 s client timeout.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { generateTasks } from '../src/data/tasks/index.js';
import { LANGS } from '../src/lang/parser.js';
import { repoRoot } from '../src/util/paths.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`serve-load: --${name} must be a positive integer, got '${process.argv[i + 1]}'`);
  return v;
}

const PAIRS = arg('pairs', 20_000);
const CONCURRENCY = arg('concurrency', 64);
const BATCH = arg('batch', 8);
const WORKERS = process.argv.includes('--workers') ? arg('workers', 1) : undefined;

interface Pair {
  a: string;
  b: string;
  lang: string;
}

function makePairs(n: number): Pair[] {
  const tasks = generateTasks({ seed: 17, count: Math.ceil(n / BATCH), split: 'train' });
  const out: Pair[] = [];
  tasks.forEach((t, i) => {
    const lang = LANGS[i % LANGS.length]!;
    const a = t.code[lang]!;
    const pool = [...(t.variants[lang] ?? []), ...[1, 2, 3, 5, 8, 13, 21].map((d) => tasks[(i + d) % tasks.length]!.code[lang]!)];
    for (let k = 0; k < BATCH && out.length < n; k++) out.push({ a, b: pool[k % pool.length]!, lang });
  });
  return out;
}

const quantile = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function main(): Promise<void> {
  const pairs = makePairs(PAIRS);
  const args = [join(repoRoot(), 'dist', 'src', 'cli', 'main.js'), 'serve', '--port', '0', '--quiet', ...(WORKERS ? ['--workers', String(WORKERS)] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"listening":"([^"]+)"\}/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`serve exited with ${c} before listening`)));
  });
  const health = (await (await fetch(url + '/health')).json()) as { workers: number };

  const requests: Pair[][] = [];
  for (let i = 0; i < pairs.length; i += BATCH) requests.push(pairs.slice(i, i + BATCH));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const body = JSON.stringify({ pairs: requests[next++] });
        const s = performance.now();
        try {
          const res = await fetch(url + '/v1/similarity', { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(180_000) });
          const j = (await res.json()) as { scores?: number[] };
          if (res.status !== 200 || !Array.isArray(j.scores)) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(url + '/metrics')).text();
  const num = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? NaN);
  const hwmKiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const peakKiB = hwmKiB(child.pid!) + children.reduce((a, p) => a + hwmKiB(p), 0);
  const exit = await new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  latencies.sort((x, y) => x - y);
  const result = {
    pairs: pairs.length,
    requests: requests.length,
    pairsPerRequest: BATCH,
    concurrency: CONCURRENCY,
    workers: health.workers,
    seconds: +seconds.toFixed(2),
    pairsPerSecond: +(pairs.length / seconds).toFixed(0),
    latencyMs: { p50: +quantile(latencies, 0.5).toFixed(1), p99: +quantile(latencies, 0.99).toFixed(1), max: +latencies[latencies.length - 1]!.toFixed(1) },
    peakRssMiB: +(peakKiB / 1024).toFixed(0),
    serverProcesses: 1 + children.length,
    errors,
    cacheHits: num('batcoder_serve_cache_hits_total'),
    shutdownExitCode: exit,
    machine: { cores: availableParallelism(), loadavg1m: +loadavg()[0]!.toFixed(2), node: process.version },
  };
  console.log(JSON.stringify(result, null, 2));
  if (errors || exit !== 0) process.exitCode = 1;
}

await main();
