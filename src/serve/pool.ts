// The server's pool of scoring threads (worker.ts), with a time limit per job.
//
// CSSG and the format filter are synchronous JavaScript: a pathological input would block the
// event loop of whoever runs it. So every such computation runs on a worker thread, one job at a
// time per thread, and a job that exceeds `jobTimeoutMs` gets its thread terminated (the only
// way to stop synchronous code) and replaced; the job is rejected with JobTimeoutError and the
// thread's queued jobs go to its replacement. Other threads keep serving meanwhile.
//
// Affinity: a job may name a key (the hash of the original code it scores against); jobs with
// the same key go to the same thread, whose CSSG graph cache (src/cssg/cache.ts, keyed by
// language and source) then already holds the original's graph. Jobs without a key go to the
// thread with the shortest queue.
import { Worker } from 'node:worker_threads';
import type { Job } from './worker.js';

export class JobTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`job_timeout_ms: the computation took longer than ${ms} ms and was stopped`);
  }
}

type JobBody = Job extends infer J ? (J extends { id: number } ? Omit<J, 'id'> : never) : never;

interface Pending {
  job: Job;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  queue: Pending[];
  running: Pending | null;
  timer: NodeJS.Timeout | null;
}

export interface PoolStats {
  jobs: number;
  timeouts: number;
  restarts: number;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  readonly stats: PoolStats = { jobs: 0, timeouts: 0, restarts: 0 };

  constructor(
    readonly size: number,
    readonly jobTimeoutMs: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`serve: --workers must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(new URL('./worker.js', import.meta.url)), queue: [], running: null, timer: null };
    slot.worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = slot.running;
      if (!p || p.job.id !== msg.id) return;
      this.finish(slot);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error ?? 'worker error'));
      this.pump(slot);
    });
    const died = (err: Error) => {
      if (this.closed || !this.slots.includes(slot)) return;
      // a crash (out of memory, a native fault): fail the job it ran, replace the thread
      const p = slot.running;
      this.finish(slot);
      p?.reject(err);
      this.replace(slot);
    };
    slot.worker.on('error', died);
    slot.worker.on('exit', (code) => died(new Error(`scoring thread exited with code ${code}`)));
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.running = null;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.stats.restarts++;
    const fresh = this.spawn();
    fresh.queue = slot.queue;
    slot.queue = [];
    this.slots[i] = fresh;
    void slot.worker.terminate();
    this.pump(fresh);
  }

  private pump(slot: Slot): void {
    if (slot.running || this.closed) return;
    const p = slot.queue.shift();
    if (!p) return;
    slot.running = p;
    this.stats.jobs++;
    slot.timer = setTimeout(() => {
      if (slot.running !== p) return;
      this.stats.timeouts++;
      this.finish(slot);
      p.reject(new JobTimeoutError(this.jobTimeoutMs));
      this.replace(slot);
    }, this.jobTimeoutMs);
    slot.worker.postMessage(p.job);
  }

  /** Run a job on a thread (the one `affinity` picks, else the least busy one). */
  run<T>(body: JobBody, affinity?: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('serve: the worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      const job = { ...body, id: this.nextId++ } as Job;
      let slot: Slot;
      if (affinity !== undefined) slot = this.slots[affinity % this.slots.length]!;
      else slot = this.slots.reduce((best, s) => (load(s) < load(best) ? s : best));
      slot.queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      this.pump(slot);
    });
  }

  /** Jobs waiting or running. */
  get backlog(): number {
    return this.slots.reduce((n, s) => n + load(s), 0);
  }

  /** Wait until every thread has loaded the environment (its first job). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.run({ op: 'ping' }, i)));
  }

  /** Reject what is queued, stop every thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.slots;
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      for (const p of [...(s.running ? [s.running] : []), ...s.queue]) p.reject(new Error('serve: shutting down'));
      s.queue = [];
      s.running = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

function load(s: Slot): number {
  return s.queue.length + (s.running ? 1 : 0);
}
