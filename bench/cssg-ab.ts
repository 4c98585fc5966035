// CSSG throughput of two builds compared on a loaded machine, where wall-clock says
// nothing: each build scores the training pattern (bench/cssg-pairs.ts: one warm-up
// batch, then N batches of 1,024 fresh pairs, 'cssg', W workers) in its own process,
// the two alternating (A B A B ...), and each run reports pairs per CPU-second of its
// whole process (process.cpuUsage: every thread) and the split of that CPU time by
// thread, read from /proc/self/task/*/schedstat (Linux), so that any build can be
// measured, also one from before the pool reported its workers' CPU:
//   main     the parent thread (dispatch, or all the scoring when inline);
//   workers  the W busiest other threads (the scoring workers when W > 1);
//   other    the rest (V8's garbage-collection and compiler helpers).
// Run: node dist/bench/cssg-ab.js OLD_DIST NEW_DIST [--workers W] [--batches N] [--rounds R] [--warmup K]
// (K warm-up batches per run instead of one: see bench/cssg.ts on the JIT's tail) where a DIST is a build's dist/ folder (e.g. a `git worktree` of the old commit, built).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

interface Run {
  perCpuSecond: number;
  wall: number;
  main: number;
  workers: number[];
  other: number;
  load: number;
}

/** CPU nanoseconds of every thread of this process, by thread id. */
function threadTimes(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      m.set(t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return m;
}

async function child(dist: string, workers: number, batches: number, warmups: number): Promise<Run> {
  const load = (p: string) => import(pathToFileURL(join(dist, p)).href);
  const { scorePairs, closeWorkers } = await load('src/cssg/index.js');
  const { batch, BATCH } = await load('bench/cssg-pairs.js');
  let tag = 0;
  for (let i = 0; i < warmups; i++) await scorePairs(batch(++tag), { metric: 'cssg', workers });
  const t0 = threadTimes();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < batches; i++) await scorePairs(batch(++tag), { metric: 'cssg', workers });
  const wall = (performance.now() - w0) / 1000;
  const c = process.cpuUsage(c0);
  const t1 = threadTimes();
  await closeWorkers();
  const pairs = batches * BATCH;
  const per = 1000 / pairs; // seconds per 1,000 pairs
  const cpu = (c.user + c.system) / 1e6;
  const d = [...t1].map(([t, v]) => [t, (v - (t0.get(t) ?? 0)) / 1e9] as const);
  const main = d.find(([t]) => t === String(process.pid))?.[1] ?? NaN;
  const others = d.filter(([t]) => t !== String(process.pid)).map(([, v]) => v).sort((a, b) => b - a);
  const ws = workers > 1 ? others.slice(0, workers) : [];
  const rest = others.slice(ws.length).reduce((s, x) => s + x, 0);
  return { perCpuSecond: pairs / cpu, wall: pairs / wall, main: main * per, workers: ws.map((x) => x * per), other: rest * per, load: loadavg()[0] };
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got '${args[i + 1]}'`);
  return n;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  console.log(JSON.stringify(await child(args[1], Number(args[2]), Number(args[3]), Number(args[4]))));
} else {
  const dists = args.slice(0, 2).map((d) => resolve(d ?? ''));
  if (args.length < 2 || args[0].startsWith('--') || args[1].startsWith('--')) throw new Error('usage: node dist/bench/cssg-ab.js OLD_DIST NEW_DIST [--workers W] [--batches N] [--rounds R]');
  for (const d of dists) if (!existsSync(join(d, 'src', 'cssg', 'index.js'))) throw new Error(`${d} is not a built dist/ folder (no src/cssg/index.js)`);
  const workers = flag(args, '--workers', 2);
  const batches = flag(args, '--batches', 3);
  const rounds = flag(args, '--rounds', 2);
  const warmups = flag(args, '--warmup', 1);
  const self = fileURLToPath(import.meta.url);
  const runs: Run[][] = [[], []];
  console.log(`'cssg', ${workers > 1 ? `${workers} workers` : 'inline'}, ${batches} batches of 1,024 pairs after ${warmups === 1 ? 'a warm-up' : `${warmups} warm-up batches`}, per run; A = ${dists[0]}, B = ${dists[1]}`);
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '?');
  for (let r = 0; r < rounds; r++) {
    for (const k of [0, 1]) {
      const p = spawnSync(process.execPath, [self, '--child', dists[k], String(workers), String(batches), String(warmups)], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`run of ${dists[k]} failed: ${p.stderr.trim().split('\n').slice(-3).join(' ')}`);
      const run = JSON.parse(p.stdout.trim().split('\n').pop()!) as Run;
      runs[k].push(run);
      console.log(`${'AB'[k]}  ${run.perCpuSecond.toFixed(0).padStart(5)} pairs per CPU-second  ${run.wall.toFixed(0).padStart(5)} pairs/s wall   CPU-s per 1,000 pairs: main ${f(run.main)}${run.workers.length ? `, workers ${run.workers.map(f).join(' + ')}` : ''}, other ${f(run.other)}   load ${run.load.toFixed(1)}`);
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const a = mean(runs[0].map((x) => x.perCpuSecond));
  const b = mean(runs[1].map((x) => x.perCpuSecond));
  console.log(`mean pairs per CPU-second: A ${a.toFixed(0)}, B ${b.toFixed(0)} (B/A ${(b / a).toFixed(3)}, n = ${rounds} runs x ${batches * 1024} pairs each)`);
}
