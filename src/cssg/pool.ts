// A lazily started pool of scoring workers. Pairs are grouped by original (`a`) and
// each original always goes to the same worker, so that worker's graph cache keeps it
// across calls; groups are balanced greedily by size. Idle workers are unref'd so they
// never keep the process alive.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { hashString } from './wl.js';
import { truncated } from './cache.js';
import type { Metric, Pair } from './score.js';
import type { CssgOptions } from './options.js';

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (s: Float64Array) => void; reject: (e: Error) => void }>;
}

let slots: Slot[] = [];
let nextId = 1;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Workers beyond the core count only add memory and contention: cap there. */
export function cappedWorkers(n: number): number {
  return Math.max(1, Math.min(Math.floor(n) || 1, availableParallelism()));
}

function ensure(n: number): Slot[] {
  while (slots.length < n) {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; scores: Float64Array }) => {
      const p = slot.pending.get(msg.id);
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      p?.resolve(msg.scores);
    });
    const fail = (e: Error) => {
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
      slots = slots.filter((s) => s !== slot);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`cssg worker exited with code ${code}`)));
    worker.unref();
    slots.push(slot);
  }
  return slots.slice(0, n);
}

function run(slot: Slot, pairs: Pair[], metric: Metric, opts: CssgOptions): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    slot.pending.set(id, { resolve, reject });
    slot.worker.ref();
    slot.worker.postMessage({ id, pairs, metric, opts });
  });
}

/** Score pairs on `n` workers; result in input order. */
export async function scoreOnWorkers(pairs: Pair[], metric: Metric, n: number, opts: CssgOptions = {}): Promise<Float64Array> {
  const use = ensure(cappedWorkers(n));
  // group by original, then route each group to the worker its hash picks, unless that
  // worker is already much busier than the least busy one
  const groups = new Map<string, number[]>();
  for (let i = 0; i < pairs.length; i++) {
    const key = pairs[i].lang + '\u0000' + (typeof pairs[i].a === 'string' ? truncated(pairs[i].a) : '');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const load = new Array<number>(use.length).fill(0);
  const parts: number[][] = use.map(() => []);
  const target = pairs.length / use.length;
  for (const [key, idx] of [...groups.entries()].sort((x, y) => y[1].length - x[1].length)) {
    let w = hashString(key) % use.length;
    if (load[w] + idx.length > target * 1.25) w = load.indexOf(Math.min(...load));
    parts[w].push(...idx);
    load[w] += idx.length;
  }
  const out = new Float64Array(pairs.length);
  await Promise.all(
    parts.map(async (idx, w) => {
      if (idx.length === 0) return;
      // only the parsed prefix of each text crosses to the worker
      const part = idx.map((i) => {
        const p = pairs[i];
        return { ...p, a: typeof p.a === 'string' ? truncated(p.a) : '', b: typeof p.b === 'string' ? truncated(p.b) : '' };
      });
      const s = await run(use[w], part, metric, opts);
      for (let k = 0; k < idx.length; k++) out[idx[k]] = s[k];
    }),
  );
  return out;
}

/** Stop all workers (tests, CLI exit). */
export async function closeWorkers(): Promise<void> {
  const s = slots;
  slots = [];
  await Promise.all(s.map((x) => x.worker.terminate()));
}
